// A small SVG map in Web Mercator: region polygons, worker markers, optional raster base map.
// No tile server is needed; when the city configures Dashboard:BaseMapUrl ({z}/{x}/{y}) tiles go underneath.
const SVG = 'http://www.w3.org/2000/svg';
const SCALE = 1e6; // world units (0..1) → SVG units, keeps path numbers readable and precise

export function project(lon, lat) {
  const s = Math.sin((lat * Math.PI) / 180);
  const x = (lon + 180) / 360;
  const y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  return [x * SCALE, y * SCALE];
}

function el(name, attrs) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function ringsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

export class LiveMap {
  constructor(svg) {
    this.svg = svg;
    this.regions = svg.querySelector('#regions');
    this.tiles = svg.querySelector('#tiles');
    this.markers = svg.querySelector('#markers');
    this.alertPins = svg.querySelector('#alert-pins');
    this.workers = new Map();
    this.bounds = null;
  }

  /**
   * Tints every drawn region a warning applies to: the warned region and everything below it (DOMAIN.md §7), in the
   * colour of the highest active level. Regions are matched by code prefix as region scopes are (RegionScopeRule: a
   * city's 6-digit code ending in 00 covers its districts by its first 4 digits).
   */
  setWarnings(warnings) {
    const rank = { Blue: 1, Yellow: 2, Orange: 3, Red: 4 };
    const prefix = (c) => (c.length === 6 && c.endsWith('00') && !c.endsWith('0000') ? c.slice(0, 4) : c);
    for (const path of this.regions.querySelectorAll('path')) {
      const code = path.dataset.code ?? '';
      let top = null;
      for (const w of warnings) {
        if (code.startsWith(prefix(w.regionCode)) && (!top || rank[w.level] > rank[top])) top = w.level;
      }
      if (top) path.dataset.warning = top; else delete path.dataset.warning;
    }
  }

  /** Draws a GeoJSON FeatureCollection of regions (properties: code, name, level); coarse levels on top. */
  drawRegions(geojson) {
    this.regions.replaceChildren();
    const order = { grid: 0, community: 1, street: 2, district: 3, city: 4 };
    const features = [...(geojson.features ?? [])].sort(
      (a, b) => (order[a.properties?.level] ?? 0) - (order[b.properties?.level] ?? 0));
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const f of features) {
      let d = '';
      for (const polygon of ringsOf(f.geometry)) {
        for (const ring of polygon) {
          ring.forEach(([lon, lat], i) => {
            const [x, y] = project(lon, lat);
            minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
            d += `${i ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`;
          });
          d += 'Z';
        }
      }
      if (!d) continue;
      const p = el('path', { d, class: f.properties?.level ?? 'region', 'data-code': f.properties?.code ?? '', 'fill-rule': 'evenodd' });
      const title = el('title', {});
      title.textContent = `${f.properties?.name ?? ''} ${f.properties?.code ?? ''}`;
      p.append(title);
      this.regions.append(p);
    }
    if (minX <= maxX) this.fit(minX, minY, maxX, maxY);
  }

  fit(minX, minY, maxX, maxY) {
    const padX = (maxX - minX) * 0.03 || 50, padY = (maxY - minY) * 0.03 || 50;
    this.bounds = { minX: minX - padX, minY: minY - padY, maxX: maxX + padX, maxY: maxY + padY };
    const b = this.bounds;
    this.svg.setAttribute('viewBox', `${b.minX} ${b.minY} ${b.maxX - b.minX} ${b.maxY - b.minY}`);
    // Markers keep about 6 px on screen whatever the region's size (the SVG scales to fit, "meet").
    const w = this.svg.clientWidth || 1024, h = this.svg.clientHeight || 768;
    this.markerRadius = 6 * Math.max((b.maxX - b.minX) / w, (b.maxY - b.minY) / h);
    for (const m of this.workers.values()) m.setAttribute('r', this.markerRadius);
  }

  /** Raster tiles under the polygons, at the zoom that fits the drawn regions in the view. */
  drawBaseMap(template) {
    this.tiles.replaceChildren();
    if (!template || !this.bounds) return;
    const b = this.bounds;
    const px = this.svg.clientWidth || 1024;
    const z = Math.max(0, Math.min(19, Math.floor(Math.log2((px / 256) * SCALE / (b.maxX - b.minX)))));
    const n = 2 ** z, size = SCALE / n;
    const x0 = Math.floor(b.minX / size), x1 = Math.floor(b.maxX / size);
    const y0 = Math.floor(b.minY / size), y1 = Math.floor(b.maxY / size);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 100) return;
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const href = template.replace('{z}', z).replace('{x}', x).replace('{y}', y);
        this.tiles.append(el('image', { href, x: x * size, y: y * size, width: size, height: size }));
      }
    }
  }

  /** Moves (or adds) a worker's marker to its latest fix. */
  moveWorker(p) {
    let m = this.workers.get(p.workerId);
    if (!m) {
      m = el('circle', { r: this.markerRadius ?? 20, 'data-worker-id': p.workerId });
      m.append(el('title', {}));
      this.workers.set(p.workerId, m);
      this.markers.append(m);
    }
    const [x, y] = project(p.lon, p.lat);
    m.setAttribute('cx', x);
    m.setAttribute('cy', y);
    m.setAttribute('class', p.status);
    m.firstChild.textContent = `${p.workerId} · ${p.status}${p.gridCode ? ' · ' + p.gridCode : ''}`;
  }

  setWorkerStatus(workerId, status) {
    this.workers.get(workerId)?.setAttribute('class', status);
  }

  setAlertPin(alert) {
    const id = `alert-${alert.alertId}`;
    this.alertPins.querySelector(`[data-alert-id="${CSS.escape(alert.alertId)}"]`)?.remove();
    if (!alert.active || alert.lat == null || alert.lon == null) return;
    const [x, y] = project(alert.lon, alert.lat);
    this.alertPins.append(el('circle', { id, 'data-alert-id': alert.alertId, cx: x, cy: y, r: (this.markerRadius ?? 20) * 2 }));
  }
}
