// Drives the dashboard page in headless Chromium (the system's /usr/bin/chromium; Playwright downloads none).
// Usage: node dashboard-page.mjs '{"url":"http://127.0.0.1:5080","username":"…","password":"…","workerId":"w1","screenshot":"/tmp/x.png"}'
// Prints JSON lines: {"event":"ready","polygons":n,"status":"live"} once signed in, subscribed and drawn;
// {"event":"marker","cx":…,"cy":…} when the worker's marker appears (the test pushes its position after "ready");
// {"event":"alert"} when alertId is given and that alert and the counters are shown; {"event":"case","text":…} when caseId is given and that case is listed; {"event":"warning"|"escalation",…} likewise for warningId / escalationId; {"event":"done","screenshot":…}; or {"event":"error","error":…}. Safety limit: timeoutMs (default 60 s).
import { chromium } from 'playwright-core';

const args = JSON.parse(process.argv[2]);
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const timeout = args.timeoutMs ?? 60_000;
setTimeout(() => { print({ event: 'timeout' }); process.exit(2); }, timeout + 5_000).unref();

const browser = await chromium.launch({
  executablePath: args.chromium ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(timeout);
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));

  await page.goto(args.url + '/');
  await page.fill('input[name=username]', args.username);
  await page.fill('input[name=password]', args.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#status.live');
  await page.waitForSelector('#regions path');
  const polygons = await page.locator('#regions path').count();
  print({ event: 'ready', polygons, status: await page.textContent('#status'), errors: consoleErrors });

  const marker = page.locator(`#markers circle[data-worker-id="${args.workerId}"]`);
  await marker.waitFor({ state: 'attached' });
  print({ event: 'marker', cx: Number(await marker.getAttribute('cx')), cy: Number(await marker.getAttribute('cy')), workers: await page.textContent('#worker-count') });

  if (args.alertId) {
    await page.waitForSelector(`#alerts li[data-alert-id="${args.alertId}"]`);
    await page.waitForSelector('#counters tr[data-counter="openCases"]');
    print({ event: 'alert', alerts: await page.textContent('#alert-count'), openCases: await page.textContent('#counters tr[data-counter="openCases"] td:last-child') });
  }
  if (args.caseId) {
    const row = page.locator(`#cases li[data-case-id="${args.caseId}"]`);
    await row.waitFor({ state: 'attached' });
    print({ event: 'case', text: await row.textContent(), light: await row.getAttribute('class'), cases: await page.textContent('#case-count') });
  }
  if (args.warningId) {
    const row = page.locator(`#warnings li[data-warning-id="${args.warningId}"]`);
    await row.waitFor({ state: 'attached' });
    print({ event: 'warning', text: await row.textContent(), level: await row.getAttribute('class'),
      tinted: await page.locator('#regions path[data-warning]').count(), warnings: await page.textContent('#warning-count') });
  }
  if (args.escalationId) {
    const row = page.locator(`#escalations li[data-escalation-id="${args.escalationId}"]`);
    await row.waitFor({ state: 'attached' });
    print({ event: 'escalation', text: await row.textContent(), escalations: await page.textContent('#escalation-count') });
  }
  if (args.screenshot) await page.screenshot({ path: args.screenshot });
  print({ event: 'done', screenshot: args.screenshot ?? null, errors: consoleErrors });
} catch (e) {
  print({ event: 'error', error: e.message });
  process.exitCode = 1;
} finally {
  await browser.close();
}
