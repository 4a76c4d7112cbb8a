// Scenario links and published schedules, as a user meets them: copy a link, open it in a fresh
// browser, read the same figures; open a schedule published beside the page with ?data=, read
// its banner, share a scenario on it with a short link; hostile links and addresses refused.

import { test } from 'node:test';
import { deflateSync, inflateSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { DEMO, recordNetwork, setupSuite, openUnratedDemo } from './support.mjs';
import { GapwisePage } from './page.mjs';

const withApp = setupSuite();

const PUBLISHED = 'published/cyps-savings-2017-21.csv';

/** Opens `url` in a new browser context (nothing saved, nothing shared with the first). */
async function openFresh(context, origin, url) {
  const other = await context.browser().newContext();
  const network = recordNetwork(other, origin);
  const page = await other.newPage();
  page.setDefaultTimeout(20_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const app = new GapwisePage(page, url);
  await page.goto(url);
  await app.waitUntilReady();
  return { app, other, network, errors };
}

async function copyLink(app) {
  await app.get('copy-link').click();
  await app.get('share-link').waitFor();
  return app.get('share-link').inputValue();
}

test('a copied link opens in a fresh browser with the same schedule, scenario and figures', async (t) =>
  withApp(t, async (app, { context, server }) => {
    // The demo's file, unrated, so that only the line rated here is amber.
    await openUnratedDemo(app);
    // An edit (row 31, 2020/21: 660.0 → (40.0)) and a scenario with row 31 amber at 50 %.
    await app.page.locator('#row-31 td[data-year="3"]').click();
    await app.page.keyboard.type('(40.0)');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('43,277.0');
    await app.page.locator('#row-31 [data-testid="rag-select"]').selectOption('Amber');
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('comparison').waitFor();
    const difference = await app.texts('comparison-difference');
    assert.deepEqual(difference, ['(82.5)', '(231.0)', '(313.5)', '20.0', '(607.0)'], 'the scenario before sharing');

    const url = await copyLink(app);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#v1\.[A-Za-z0-9_-]+$/, 'a link with the state after #');
    const length = await app.text('share-length');
    assert.match(length, new RegExp(`^${url.length} characters`), 'the page shows the link length');

    const fresh = await openFresh(context, server.origin, url);
    try {
      const other = fresh.app;
      await other.get('comparison').waitFor();
      assert.deepEqual(await other.texts('comparison-difference'), difference, 'the same comparison');
      await other.showTab('schedule');
      await other.waitForGrandTotal('43,277.0');
      assert.deepEqual((await other.grandTotals()).years, ['4,886.0', '10,824.0', '18,985.7', '8,581.3'], 'the same grand totals (2020/21: 9,281.3 − 700.0)');
      assert.equal(await other.text('checks-lines'), await app.text('checks-lines'), 'the same checks');
      // The fragment is taken off the address bar once read, so a reload shows later edits.
      assert.equal(new URL(other.page.url()).hash, '', 'the link is read once');
      assert.deepEqual(fresh.network.foreign, [], 'no request to another origin');
      assert.deepEqual(fresh.errors, [], 'no page error');
    } finally {
      await fresh.other.close();
    }
  }));

test('opening a link keeps the work saved in this browser aside, and it can be put back', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const url = await copyLink(app);
    // Own work in this browser: row 4, 2017/18 330.0 → 1,330.0.
    await app.page.locator('#row-4 td[data-year="0"]').click();
    await app.page.keyboard.type('1330');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('44,977.0');
    await app.waitForText('save-status', '✓ Saved in this browser');
    await app.page.goto(url);
    await app.waitUntilReady();
    await app.waitForGrandTotal(DEMO.all);
    assert.match(await app.page.locator('.status').textContent(), /work you had in this browser was kept aside/);
    await app.get('put-back').click();
    await app.waitUntilReady();
    await app.waitForGrandTotal('44,977.0');
  }));

test('a malformed or hostile link gives a message and the page still works', async (t) =>
  withApp(t, async (app) => {
    for (const [fragment, why] of [
      ['v1.!!!notbase64', /character 1 of its saved view/],
      ['v2.abc', /newer Gapwise \(link version 2\)/],
      [`v1.${deflateSync(Buffer.from('hello')).toString('base64url')}`, /cannot be read/],
      // A bomb: 30 MB of zeros packs into a short link; the page stops unpacking at its cap.
      [`v1.${deflateSync(Buffer.alloc(30_000_000), { level: 9 }).toString('base64url')}`, /unpacks to more than 8 MB/],
      [`v1.${'A'.repeat(260_000)}`, /over the 250000 Gapwise opens/i],
    ]) {
      await app.page.goto(`${app.baseURL}#${fragment}`);
      await app.waitUntilReady();
      await app.waitForGrandTotal(DEMO.all);
      const message = await app.text('message');
      assert.match(message ?? '', /This link could not be opened/, `a message for ${fragment.slice(0, 20)}`);
      assert.match(message ?? '', why, `what was wrong with ${fragment.slice(0, 20)}`);
    }
    // The page still works: an edit changes the totals.
    await app.page.locator('#row-4 td[data-year="0"]').click();
    await app.page.keyboard.type('1330');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('44,977.0');
  }));

test('a schedule published beside the page opens read-only with a banner, and a scenario on it travels as a short link', async (t) =>
  withApp(t, async (app, { context, server }) => {
    await app.page.goto(`${app.baseURL}?data=${PUBLISHED}`);
    await app.waitUntilReady();
    await app.waitForGrandTotal(DEMO.all);
    await app.get('published-banner').waitFor();
    assert.equal(await app.text('published-address'), PUBLISHED, 'the banner names the file');
    assert.match(await app.text('published-checksum'), /^[0-9a-f]{64}$/, 'and its SHA-256');
    // Read-only: no editing toolbar, no editable cells, nothing saved.
    assert.equal(await app.get('undo').isVisible(), false, 'no editing toolbar');
    assert.equal(await app.get('amount-cell').count(), 0, 'no editable cells');
    assert.equal(await app.get('drop-zone').isVisible(), false, 'no upload');

    // A scenario on top: everything red slips... amber at 50 % with nothing rated changes nothing,
    // so rate every line at 50 % through the red rate after marking none: use the per-line rate.
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('comparison').waitFor();
    await app.page.locator('details.line-assumptions summary').click();
    const row31 = app.page.locator('[data-testid="scenario-line"][data-row="31"]');
    await row31.locator('[data-testid="line-rate"]').fill('50');
    await row31.locator('[data-testid="line-rate"]').press('Tab');
    await app.waitFor('comparison-difference', () => app.texts('comparison-difference'), (v) => v[0] === '(82.5)');
    const difference = await app.texts('comparison-difference');

    const url = await copyLink(app);
    assert.ok(url.length < 1_000, `a short link (${url.length} characters)`);
    const fresh = await openFresh(context, server.origin, url);
    try {
      await fresh.app.get('comparison').waitFor();
      assert.deepEqual(await fresh.app.texts('comparison-difference'), difference, 'the same comparison from the short link');
      assert.equal(await fresh.app.text('published-address'), PUBLISHED, 'the short link opens the published file');
      assert.equal(await fresh.app.text('message'), null, 'the file has not changed');
    } finally {
      await fresh.other.close();
    }

    // The same short link with another checksum: the file has changed since the link was made.
    const [base, packed] = url.split('#v1.');
    const state = JSON.parse(inflateSync(Buffer.from(packed, 'base64url')).toString('utf8'));
    assert.equal(state.kind, 'short');
    state.checksum = '0'.repeat(64);
    const changed = `${base}#v1.${deflateSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`;
    const stale = await openFresh(context, server.origin, changed);
    try {
      await stale.app.get('published-changed').waitFor();
      assert.match(await stale.app.text('published-changed'), /has changed since the link was made/);
      await stale.app.get('comparison').waitFor();
      assert.deepEqual(await stale.app.texts('comparison-difference'), difference, 'the scenario still applies');
    } finally {
      await stale.other.close();
    }
  }));

test('a published address on another site is refused before any request', async (t) =>
  withApp(t, async (app, { network }) => {
    for (const address of ['https://evil.example/x.csv', '//evil.example/x.csv', 'javascript:alert(1)']) {
      await app.page.goto(`${app.baseURL}?data=${encodeURIComponent(address)}`);
      await app.waitUntilReady();
      await app.waitForGrandTotal(DEMO.all);
      assert.match(await app.message(), /Nothing was requested/, `a message for ${address}`);
      assert.equal(await app.get('published-banner').count(), 0, 'not in published mode');
    }
    assert.deepEqual(network.foreign, [], 'no request left the site');
    // A missing file on this site: the server's answer, and the page goes on.
    await app.page.goto(`${app.baseURL}?data=published/missing.csv`);
    await app.waitUntilReady();
    await app.waitForMessage('404');
  }));

test('a 500-line schedule makes a working link of tens of thousands of characters, with the advice for long links', async (t) =>
  withApp(t, async (app, { context, server }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    // 500 lines × 4 years of tenths, with texts as councils write them; its total by BigInt.
    const rows = ['Ref,Service,Proposal,2024/25,2025/26,2026/27,2027/28', ",,,£'000,£'000,£'000,£'000"];
    let tenths = 0n;
    for (let i = 1; i <= 500; i++) {
      const a = [0, 1, 2, 3].map((y) => (i * 7919 + y * 104729) % 25000);
      for (const v of a) tenths += BigInt(v);
      rows.push(`S${String(i).padStart(3, '0')},Service ${i % 7},Review of arrangements number ${i},${a.map((v) => `${Math.floor(v / 10)}.${v % 10}`).join(',')}`);
    }
    const total = `${(tenths / 10n).toLocaleString('en-GB')}.${tenths % 10n}`;
    await app.upload({ name: 'five-hundred.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
    await app.waitForGrandTotal(total);
    const url = await copyLink(app);
    assert.ok(url.length > 8_000 && url.length < 250_000, `${url.length} characters`);
    assert.match(await app.text('share-length'), /may cut a link this long; check that it arrives whole/);
    const fresh = await openFresh(context, server.origin, url);
    try {
      await fresh.app.waitForGrandTotal(total);
      assert.equal(await fresh.app.count('share-error'), 0);
      assert.deepEqual(fresh.errors, [], 'no page error');
    } finally {
      await fresh.other.close();
    }
  }));

/** A page of another site (about:blank, no origin of ours) with Gapwise in an iframe `src`, which records the height messages it is sent. */
async function hostPage(page, src, width = 900) {
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0">
    <script>window.heights = []; addEventListener('message', (e) => { if (e.data && e.data.gapwise === 'height') window.heights.push(e.data.height); });</script>
    <iframe id="gapwise" src="${src}" style="width:${width}px;height:400px;border:0"></iframe></body></html>`);
  return page.frameLocator('#gapwise');
}

test('?embed=1 in another site\'s iframe shows the published schedule read-only, tells the page its height, and links to the full page', async (t) =>
  withApp(t, async (app) => {
    const frame = await hostPage(app.page, `${app.baseURL}?embed=1&data=${PUBLISHED}`);
    const cell = (id) => frame.locator(`[data-testid="${id}"]`);
    await app.waitFor('the total in the frame', () => cell('grand-total-all').textContent(), (v) => v === DEMO.all, 30_000);
    assert.match(await cell('schedule-title').textContent(), /\S/, 'the schedule\'s title');
    assert.match(await cell('report-check').first().textContent(), /\d+ of \d+ subtotals ok/, 'the report\'s checks');
    await cell('report-totals').waitFor();
    // Read-only and compact: no upload, no editing, no file toolbar; a link to the full page.
    for (const id of ['drop-zone', 'file-input', 'amount-cell', 'share-link']) {
      assert.equal(await cell(id).count(), 0, `no ${id} in the frame`);
    }
    for (const id of ['undo', 'add-line', 'start-again']) {
      assert.equal(await cell(id).isVisible(), false, `no ${id} shown in the frame`);
    }
    const open = cell('open-in-gapwise');
    const href = await open.getAttribute('href');
    assert.equal(href, `${app.baseURL}?data=${PUBLISHED.replace('/', '%2F')}`, 'the full page, with the data and without embed');
    assert.equal(await open.getAttribute('target'), '_blank');
    // The height the frame reports is its document's, and follows it when the frame narrows.
    const height = () => app.page.evaluate(() => window.heights.at(-1) ?? 0);
    const documentHeight = () => cell('app').evaluate(() => document.documentElement.scrollHeight);
    await app.waitFor('a height message', height, (h) => h > 400, 20_000);
    await app.waitFor('the height of the frame\'s document', async () => (await height()) === (await documentHeight()), (same) => same, 20_000);
    const wide = await height();
    await app.page.locator('#gapwise').evaluate((f) => { f.style.width = '375px'; });
    await app.waitFor('a taller height once narrowed', height, (h) => h > wide, 20_000);
    // The report's tables settle over a few frames after the narrowing: the last message
    // follows the document to its final height.
    await app.waitFor('the narrowed document\'s height', async () => (await height()) === (await documentHeight()), (same) => same, 20_000);
    // The frame worked although the browser gives a frame under this host no storage at all.
    const storage = await cell('app').evaluate(() => { try { return typeof localStorage.length; } catch (e) { return e.name; } });
    assert.equal(storage, 'SecurityError', 'no storage in the frame');
    // Where there is storage, the embedded view reads and writes none of the visitor's work
    // (the full page saves what it opens at once).
    await app.page.goto(`${app.baseURL}?embed=1&data=${PUBLISHED}`);
    await app.waitForText('grand-total-all', DEMO.all);
    await app.page.goto(`${app.baseURL}?embed=1`);
    await app.waitForText('grand-total-all', DEMO.all);
    assert.equal(await app.page.evaluate(() => localStorage.length), 0, 'nothing saved by the embedded view');
    await app.page.goto(app.baseURL);
    await app.waitForText('save-status', '✓ Saved in this browser');
    assert.ok(await app.page.evaluate(() => localStorage.getItem('gapwise-state')), 'the full page saves');
  }));

test('?embed=1 alone shows the demo with its funding gap chart; the full page in a frame offers only a link', async (t) =>
  withApp(t, async (app) => {
    let frame = await hostPage(app.page, `${app.baseURL}?embed=1`);
    await app.waitFor('the demo in the frame', () => frame.locator('[data-testid="grand-total-all"]').textContent(), (v) => v === DEMO.all, 30_000);
    await frame.locator('[data-testid="gap-trend"] [data-testid="trend-chart"]').waitFor();
    assert.equal(await frame.locator('[data-testid="open-in-gapwise"]').getAttribute('href'), app.baseURL);
    // The editing page inside another site's frame: a link to open it in its own tab, and nothing else.
    frame = await hostPage(app.page, app.baseURL);
    await frame.locator('[data-testid="framed-notice"]').waitFor();
    assert.match(await frame.locator('[data-testid="framed-notice"]').textContent(), /open Gapwise in its own tab/);
    assert.equal(await frame.locator('[data-testid="app"]').count(), 0, 'no page to work on in the frame');
  }));
