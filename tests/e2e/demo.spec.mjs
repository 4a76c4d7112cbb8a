// Opening the page: the demo schedule (cyps-savings-2017-21) loads, is totalled and checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, percentText, setupSuite, tenthsText } from './support.mjs';

const withApp = setupSuite();

test('opening the page shows the demo schedule with its computed grand totals', async (t) =>
  withApp(t, async (app) => {
    await app.open();

    assert.equal(await app.unit(), DEMO.unit, 'schedule-unit');
    const title = await app.title();
    assert.ok(title, 'schedule-title is shown');
    assert.ok(title.includes(DEMO.title), `schedule-title ${JSON.stringify(title)} names ${DEMO.title}`);

    assert.equal(await app.count('schedule-table'), 1, 'one schedule-table');
    const row = app.get('schedule-table').locator('[data-testid="grand-total-row"]');
    assert.equal(await row.count(), 1, 'the table has one grand-total-row');
    assert.equal(await row.locator('[data-testid="grand-total-year"]').count(), DEMO.years.length, 'grand-total-year cells are in the grand-total-row');
    assert.equal(await row.locator('[data-testid="grand-total-all"]').count(), 1, 'grand-total-all is in the grand-total-row');

    const { years, all } = await app.grandTotals();
    assert.deepEqual(years, DEMO.years, 'grand-total-year texts, in year order');
    assert.equal(all, DEMO.all, 'grand-total-all');

    const subtotals = await app.text('checks-subtotals');
    assert.ok(subtotals?.includes(`${DEMO.subtotals} of ${DEMO.subtotals} subtotals ok`), `checks-subtotals: ${JSON.stringify(subtotals)}`);
    const lines = await app.text('checks-lines');
    assert.ok(lines?.includes(`${DEMO.lines} of ${DEMO.lines} line totals ok`), `checks-lines: ${JSON.stringify(lines)}`);
    assert.equal(await app.count('check-problem'), 0, 'no check-problem for the demo');

    assert.equal(await app.message(), '', 'no import message on a fresh page');
  }));

test('the page and its WebAssembly come from the page origin, the wasm as application/wasm', async (t) =>
  withApp(t, async (app, { network }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const wasm = network.responses.filter((r) => new URL(r.url).pathname.endsWith('.wasm'));
    assert.ok(wasm.length >= 1, `the page loaded a .wasm file (requests: ${network.requests.map((r) => r.url).join(', ')})`);
    for (const r of wasm) {
      assert.equal(r.status, 200, `${r.url} status`);
      assert.equal(r.contentType.split(';')[0].trim(), 'application/wasm', `${r.url} content-type`);
    }
    // withApp fails the test if any request went elsewhere; say so here too, for the record.
    assert.deepEqual(network.foreign, []);
  }));

test('the page carries a Content-Security-Policy that allows only its own origin, and still runs', async (t) =>
  withApp(t, async (app, { csp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const policy = await app.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
    assert.match(policy, /default-src 'self'/, 'default-src');
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/, 'script-src: own files, WebAssembly, the start-up script by hash');
    assert.match(policy, /connect-src 'self'/, 'connect-src');
    assert.doesNotMatch(policy, /unsafe-inline|\*|https?:/, 'no inline scripts or styles, no other origin');
    // A script the page did not write is refused (and the browser says so, as expected here).
    csp.expected.push('Executing inline script violates');
    const ran = await app.page.evaluate(async () => {
      window.__injected = false;
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.appendChild(s);
      await new Promise((r) => setTimeout(r, 50));
      return window.__injected;
    });
    assert.equal(ran, false, 'an injected inline script does not run');
  }));

test('the schedule\'s totals against the year before: each section and the grand total, exact, with the percentage', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    const rows = app.get('totals-change').locator('[data-testid="change-row"]');
    assert.equal(await rows.count(), DEMO.subtotals + 1, 'one row per section and the grand total');
    // The grand total's years as published on screen, in tenths, worked here with BigInt.
    const years = (await app.texts('grand-total-year')).map((y) => BigInt(y.replace(/[,.]/g, '')));
    assert.deepEqual(years.map(tenthsText), DEMO.years);
    const expected = years.slice(1).map((y, i) => `${tenthsText(y - years[i])} (${percentText(y - years[i], years[i])})`);
    const grand = await app.get('totals-change').locator('[data-testid="change-row"][data-key="grand"] td').allTextContents();
    assert.deepEqual(grand, expected);
    // By hand: 18,985.7 − 10,824.0 = 8,161.7, 75.40…%; 9,281.3 − 18,985.7 = −9,704.4, −51.11…%.
    assert.deepEqual(grand.slice(1), ['8,161.7 (75.4 %)', '(9,704.4) (\u221251.1 %)']);
  }));

test('any two years compared: each section and the grand total in both, and the change, exact, with its percentage', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    const cells = (key) => app.get('compare-years').locator(`[data-testid="compare-row"][data-key="${key}"] td`).allTextContents();
    const years = (await app.texts('grand-total-year')).map((y) => BigInt(y.replace(/[,.]/g, '')));
    // At first the first year against the last: 4,886.0 to 9,281.3, up 4,395.3, 89.957…%: 90.0 %.
    const first = years[0];
    const last = years.at(-1);
    assert.deepEqual(await cells('grand'), [tenthsText(first), tenthsText(last), `${tenthsText(last - first)} (${percentText(last - first, first)})`]);
    assert.deepEqual(await cells('grand'), ['4,886.0', '9,281.3', '4,395.3 (90.0 %)']);
    // 2018/19 with 2019/20.
    await app.get('compare-from').selectOption('1');
    await app.get('compare-to').selectOption('2');
    await app.waitFor('2018/19 with 2019/20', () => cells('grand'), (c) => c[0] === '10,824.0');
    assert.deepEqual(await cells('grand'), ['10,824.0', '18,985.7', '8,161.7 (75.4 %)']);
    // The sections' changes add up to the grand total's (worked here in BigInt).
    const rows = app.get('compare-years').locator('[data-testid="compare-row"]');
    assert.equal(await rows.count(), DEMO.subtotals + 1);
    let sum = 0n;
    for (let i = 0; i < DEMO.subtotals; i++) {
      const change = (await cells(`section-${i}`))[2].split(' (')[0];
      const v = BigInt(change.replace(/[(),.]/g, ''));
      sum += change.startsWith('(') ? -v : v;
    }
    assert.equal(tenthsText(sum), '8,161.7');
  }));
