// The command-centre page: sign in, draw the user's region, subscribe to its live feed over SignalR.
import * as signalR from '@microsoft/signalr';
import { LiveMap } from './map.js';

const $ = (sel) => document.querySelector(sel);
const state = {
  token: null, region: null, connection: null,
  alerts: new Map(), counters: new Map(), cases: new Map(), warnings: new Map(), escalations: new Map(),
};
window.gridgov = state; // for the browser tests and for poking at the page from devtools

async function api(path, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try { const problem = await response.json(); detail = problem.detail ?? problem.title ?? detail; } catch { /* not JSON */ }
    throw new Error(detail);
  }
  return response.json();
}

function setStatus(text, kind) {
  const s = $('#status');
  s.textContent = text;
  s.className = `status ${kind}`;
}

$('#login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('#login-error').textContent = '';
  try {
    const token = await api('/api/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: form.get('username'), password: form.get('password') }),
    });
    state.token = token.access_token;
    state.region = (form.get('region') || '').trim() || token.region_scope;
    $('#who').textContent = `${form.get('username')} · ${token.role} · ${state.region || 'whole system'}`;
    await start();
  } catch (e) {
    state.token = null;
    $('#login-error').textContent = e.message;
  }
});

async function start() {
  $('#login').hidden = true;
  $('#live').hidden = false;
  const config = await api('/api/dashboard/config');
  const map = new LiveMap($('#map'));
  state.map = map;
  if (state.region) {
    try {
      map.drawRegions(await api(`/api/regions/${encodeURIComponent(state.region)}/geojson`));
      map.drawBaseMap(config.baseMapUrl);
    } catch (e) {
      setStatus(`no map: ${e.message}`, 'warn');
    }
  }
  await connect(config, map);
}

async function connect(config, map) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(config.hubPath, { accessTokenFactory: () => state.token })
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  state.connection = connection;

  connection.on('Positions', (batch) => {
    for (const p of batch.positions) map.moveWorker(p);
    $('#worker-count').textContent = map.workers.size;
  });
  connection.on('WorkerStatus', (m) => map.setWorkerStatus(m.workerId, m.status));
  connection.on('GridTransition', () => { /* the next position batch moves the marker */ });
  connection.on('Alert', (a) => {
    if (a.active) state.alerts.set(a.alertId, a); else state.alerts.delete(a.alertId);
    map.setAlertPin(a);
    renderAlerts();
  });
  connection.on('Counters', (c) => { state.counters.set(c.regionCode, c); renderCounters(); });
  // The four-level warnings (DOMAIN.md §7) of the scope, its ancestors and the regions below: listed, and the
  // regions they cover tinted on the map in the colour of the highest level that applies.
  connection.on('Warning', (w) => {
    if (w.active) state.warnings.set(w.warningId, w); else state.warnings.delete(w.warningId);
    map.setWarnings([...state.warnings.values()]);
    renderWarnings();
  });
  // Responder escalations: shown until acknowledged, with who has them now and until when.
  connection.on('Escalation', (e) => {
    if (e.status === 'Acknowledged') state.escalations.delete(e.escalationId); else state.escalations.set(e.escalationId, e);
    renderEscalations();
  });
  // One row per case, latest version wins; closed and voided cases leave the list.
  connection.on('CaseUpdated', (c) => {
    const known = state.cases.get(c.caseId);
    if (known && known.version > c.version) return;
    if (c.status === 'Closed' || c.status === 'Void') state.cases.delete(c.caseId); else state.cases.set(c.caseId, c);
    renderCases();
  });
  connection.on('CaseEscalated', (e) => {
    const known = state.cases.get(e.caseId);
    if (known) { known.escalatedTo = e.toRegionCode; known.escalationLevel = e.level; renderCases(); }
  });

  // Groups do not survive a reconnect: subscribe again every time.
  const subscribe = async () => {
    await connection.invoke('Subscribe', state.region ?? '');
    setStatus('live', 'live');
  };
  connection.onreconnecting(() => setStatus('reconnecting…', 'warn'));
  connection.onreconnected(() => subscribe().catch((e) => setStatus(e.message, 'warn')));
  connection.onclose(() => setStatus('offline', 'off'));

  await connection.start();
  await subscribe();
}

const levelRank = { Blue: 1, Yellow: 2, Orange: 3, Red: 4 };

function renderWarnings() {
  $('#warnings').replaceChildren(...[...state.warnings.values()]
    .sort((a, b) => (levelRank[b.level] - levelRank[a.level]) || b.at.localeCompare(a.at))
    .map((w) => {
      const li = document.createElement('li');
      li.className = w.level;
      li.dataset.warningId = w.warningId;
      li.textContent = w.title; // names the level: 红色预警 (一级) …
      const small = document.createElement('small');
      small.textContent = `${w.regionCode} · ${new Date(w.at).toLocaleString()} · ${w.issuedBy}${w.message ? ` · ${w.message}` : ''}`;
      li.append(small);
      return li;
    }));
  $('#warning-count').textContent = state.warnings.size;
}

function renderEscalations() {
  $('#escalations').replaceChildren(...[...state.escalations.values()]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((e) => {
      const li = document.createElement('li');
      li.className = e.status;
      li.dataset.escalationId = e.escalationId;
      li.textContent = `${e.kind} · ${e.summary}`;
      const small = document.createElement('small');
      const due = e.dueAt ? ` until ${new Date(e.dueAt).toLocaleTimeString()}` : '';
      small.textContent = e.status === 'Unanswered'
        ? `${e.regionCode} · unanswered by every roster`
        : `${e.regionCode} · with ${e.responder ?? '—'} (${e.rosterRegion ?? ''})${due}`;
      li.append(small);
      return li;
    }));
  $('#escalation-count').textContent = state.escalations.size;
}

function renderAlerts() {
  const list = $('#alerts');
  list.replaceChildren(...[...state.alerts.values()]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((a) => {
      const li = document.createElement('li');
      li.className = a.severity;
      li.dataset.alertId = a.alertId;
      li.textContent = `${a.type} · ${a.subject}`;
      const small = document.createElement('small');
      small.textContent = `${new Date(a.at).toLocaleTimeString()} ${a.gridCode ?? ''} ${a.message ?? ''}`;
      li.append(small);
      return li;
    }));
  $('#alert-count').textContent = state.alerts.size;
}

function renderCases() {
  $('#cases').replaceChildren(...[...state.cases.values()]
    .sort((a, b) => (b.escalationLevel - a.escalationLevel) || b.at.localeCompare(a.at))
    .map((c) => {
      const li = document.createElement('li');
      li.className = c.light ?? 'none';
      li.dataset.caseId = c.caseId;
      li.textContent = `${c.urgent ? '紧急 ' : ''}${c.caseId} · ${c.categoryName ?? c.categoryCode} · ${c.status}`;
      const small = document.createElement('small');
      const due = c.deadline ? ` due ${new Date(c.deadline).toLocaleTimeString()}` : '';
      const escalated = c.escalatedTo ? ` · 督办 L${c.escalationLevel} → ${c.escalatedTo}` : '';
      small.textContent = `${c.regionCode}${due}${escalated}`;
      li.append(small);
      return li;
    }));
  $('#case-count').textContent = state.cases.size;
}

const counterNames = [
  ['workersInside', 'Workers inside · 在格人员'], ['online', 'Online · 在线'], ['onDuty', 'On duty · 在岗'],
  ['activeAlerts', 'Active alerts · 告警'], ['openCases', 'Open cases · 在办案件'],
  ['overdueCases', 'Overdue · 超期'], ['escalatedCases', 'Escalated · 升级'],
];

function renderCounters() {
  const c = state.counters.get(state.region) ?? [...state.counters.values()].at(-1);
  if (!c) return;
  $('#counters tbody').replaceChildren(...counterNames.map(([key, label]) => {
    const tr = document.createElement('tr');
    tr.dataset.counter = key;
    tr.innerHTML = '<td></td><td></td>';
    tr.cells[0].textContent = label;
    tr.cells[1].textContent = c[key];
    return tr;
  }));
}
