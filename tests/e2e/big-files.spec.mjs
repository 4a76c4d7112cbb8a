// Big files are parsed in the page's Web Worker: the page shows how far it has got and stays
// usable meanwhile, and a long import can be cancelled, leaving the schedule on screen as it was.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILDRENS, DEMO, setupSuite } from './support.mjs';

const withApp = setupSuite();

const YEARS = ['2017/18', '2018/19', '2019/20', '2020/21', '2021/22'];

/**
 * A savings schedule of `lines` lines × 5 years of whole pounds, and its grand total over all
 * years as the page writes it (worked out here with BigInt, independently of the engine).
 */
function generated(lines) {
  const rows = [`Project,Description,${YEARS.join(',')}`];
  let all = 0n;
  for (let i = 1; i <= lines; i++) {
    const amounts = YEARS.map((_, y) => ((i * 37 + y * 101) % 9000) + 1);
    for (const a of amounts) all += BigInt(a);
    rows.push(`Saving ${i},Generated line ${i} for the worker test,${amounts.join(',')}`);
  }
  return { csv: rows.join('\n') + '\n', all: all.toLocaleString('en-GB') };
}

/** Records, from now on, whether the import progress bar is ever on the page. */
async function watchForProgress(app) {
  await app.page.evaluate(() => {
    window.__sawProgress = false;
    const seen = () => document.querySelector('[data-testid="import-progress"]') !== null;
    new MutationObserver(() => {
      if (seen()) window.__sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
}

test('a big CSV is read in the worker, with a progress bar, and its totals are on screen', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { csv, all } = generated(30_000);
    assert.ok(csv.length > 1_000_000, 'the file is big enough for the worker');
    const path = join(tmp, 'big-30k.csv');
    await writeFile(path, csv);
    await watchForProgress(app);
    await app.upload(path);
    await app.waitForGrandTotal(all, 60_000);
    assert.equal(await app.page.evaluate(() => window.__sawProgress), true, 'the progress bar was shown');
    assert.equal(await app.count('import-progress'), 0, 'the progress bar is gone once the file is read');
    const title = await app.title();
    assert.ok(title?.includes('big-30k'), `the schedule is the big file: ${JSON.stringify(title)}`);
    assert.equal(await app.message(), '', 'no import message');
  }));

test('cancelling a long import keeps the schedule on screen, and the next file still loads', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(CHILDRENS.file);
    await app.waitForGrandTotal(CHILDRENS.all);
    const title = await app.title();
    const years = await app.texts('grand-total-year');

    // About 40 MB: seconds of parsing, so the import is still running when Cancel is pressed.
    const { csv } = generated(400_000);
    const path = join(tmp, 'very-big.csv');
    await writeFile(path, csv);
    await app.upload(path);
    await app.get('import-progress').waitFor({ state: 'visible', timeout: 30_000 });
    const said = await app.text('import-progress');
    assert.ok(said?.includes('very-big.csv'), `the progress names the file: ${JSON.stringify(said)}`);

    // The page is usable while the worker reads: another view opens and shows the schedule's net.
    await app.showTab('net');
    await app.showTab('schedule');
    assert.equal(await app.count('import-progress'), 1, 'still reading after the views were switched');

    await app.get('cancel-import').click();
    await app.get('import-progress').waitFor({ state: 'detached', timeout: 10_000 });
    const status = await app.page.locator('.status').textContent();
    assert.ok(status?.includes('cancelled'), `the status says it was cancelled: ${JSON.stringify(status)}`);
    assert.equal(await app.message(), '', 'no error message');
    // Long enough for a result the cancelled worker might still have sent to arrive.
    await app.page.waitForTimeout(1500);
    assert.equal(await app.title(), title, 'the schedule title stays');
    assert.equal(await app.text('grand-total-all'), CHILDRENS.all, 'the grand total stays');
    assert.deepEqual(await app.texts('grand-total-year'), years, 'the year totals stay');

    // A fresh worker takes the next big file.
    const next = generated(20_000);
    const nextPath = join(tmp, 'next.csv');
    await writeFile(nextPath, next.csv);
    await app.upload(nextPath);
    await app.waitForGrandTotal(next.all, 60_000);
  }));

test('when the worker cannot be loaded, the page reads a big file itself', async (t) =>
  withApp(t, async (app, { tmp, context }) => {
    // The worker's start-up script is refused, as on a host that lost it.
    await context.route('**/worker-loader.js', (route) => route.fulfill({ status: 404, body: 'not here' }));
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { csv, all } = generated(10_000);
    const path = join(tmp, 'no-worker.csv');
    await writeFile(path, csv);
    await app.upload(path);
    await app.waitForGrandTotal(all, 60_000);
    assert.equal(await app.message(), '', 'no message: read by the page');
    const title = await app.title();
    assert.ok(title?.includes('no-worker'), `the schedule is the file: ${JSON.stringify(title)}`);
  }));

/**
 * Imports a generated schedule of `lines` lines, types 1038 over line 1's first year (38: the
 * total gains 1,000), waits for the save, reloads, and reads the edit and the totals back.
 */
async function editSurvivesReload(app, tmp, lines) {
  await app.open();
  await app.waitForGrandTotal(DEMO.all);
  const { csv, all } = generated(lines);
  const name = `big-${lines}`;
  const path = join(tmp, `${name}.csv`);
  await writeFile(path, csv);
  await app.upload(path);
  await app.waitForGrandTotal(all, 150_000);
  await app.page.locator('#row-2 td[data-year="0"]').click();
  await app.page.keyboard.type('1038');
  await app.page.keyboard.press('Enter');
  // The total with the edit, worked out here with BigInt from the generated amounts.
  let sum = 0n;
  for (let i = 1; i <= lines; i++) for (let y = 0; y < 5; y++) sum += BigInt(((i * 37 + y * 101) % 9000) + 1);
  const edited = (sum + 1000n).toLocaleString('en-GB');
  await app.waitForGrandTotal(edited, 60_000);
  await app.waitForText('save-status', '✓ Saved in this browser', 150_000);
  assert.equal(
    await app.page.evaluate(() => localStorage.getItem('gapwise-state')),
    '{"saved_in":"indexeddb"}',
    'too big for localStorage: the state is in IndexedDB',
  );
  await app.page.reload();
  await app.waitForGrandTotal(edited, 150_000);
  assert.equal(await app.page.locator('#row-2 td[data-year="0"]').textContent(), '1,038');
  assert.ok((await app.title())?.includes(name));
  assert.equal(await app.message(), '', 'restored without a message');
}

test('a 100,000-line schedule and its edit survive a reload (saved in IndexedDB)', async (t) =>
  withApp(t, async (app, { tmp }) => editSurvivesReload(app, tmp, 100_000)));

test('a 1,000,000-line schedule and its edit survive a reload (its lines saved as bytes)', async (t) =>
  withApp(t, async (app, { tmp }) => editSurvivesReload(app, tmp, 1_000_000)));

test('a save that the storage quota refuses says so and keeps the last save', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.waitForText('save-status', '✓ Saved in this browser');
    // The origin's quota (IndexedDB's) emulated at 1 MB: the big state cannot be written.
    const cdp = await app.page.context().newCDPSession(app.page);
    const origin = new URL(app.page.url()).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1_000_000 });
    const { csv, all } = generated(30_000);
    const path = join(tmp, 'big-30k.csv');
    await writeFile(path, csv);
    await app.upload(path);
    await app.waitForGrandTotal(all, 60_000);
    await app.waitFor('the failed save', () => app.text('save-status'), (s) => /Not saved in this browser/.test(s) && /last save in this browser is kept/.test(s), 60_000);
    // The last save (the demo, in localStorage) is what a reload shows.
    await app.page.reload();
    await app.waitForGrandTotal(DEMO.all);
  }));
