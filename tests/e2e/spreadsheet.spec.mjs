// Spreadsheets as finance teams keep them: upload an .xlsx, read the sheet that holds the
// schedule (not the notes before it), pick another sheet, and load the page's own Excel export.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEMO, setupSuite } from './support.mjs';
import { xlsx } from './xlsx.mjs';

const withApp = setupSuite();

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook: notes first, then two schedules; subtotals are formulas with cached results. */
function workbook() {
  return xlsx([
    ['Notes', [['Savings programme 2024-27'], ['Prepared by the finance team; figures in £000.']]],
    [
      'Savings 2024-27',
      [
        ['Project', '2024-25', '2025-26', '2026-27', 'Total'],
        ['', "£'000", "£'000", "£'000", "£'000"],
        ['Adults'],
        ['Home care review', 120.5, 80, 0, { f: 'SUM(B4:D4)', v: 200.5 }],
        ['Day services', 40, 60.25, 10, { f: 'SUM(B5:D5)', v: 110.25 }],
        ['Total Adults', { f: 'SUM(B4:B5)', v: 160.5 }, { f: 'SUM(C4:C5)', v: 140.25 }, { f: 'SUM(D4:D5)', v: 10 }, { f: 'SUM(E4:E5)', v: 310.75 }],
        ['Children'],
        ['Foster care', 300, 0, 50, { f: 'SUM(B8:D8)', v: 350 }],
        ['Total Children', { f: 'SUM(B8:B8)', v: 300 }, { f: 'SUM(C8:C8)', v: 0 }, { f: 'SUM(D8:D8)', v: 50 }, { f: 'SUM(E8:E8)', v: 350 }],
      ],
    ],
    [
      'Capital',
      [
        ['Scheme', 'FY2024/25', 'FY2025/26'],
        ['Depot', 1000, 500],
        ['Libraries', 250, 250],
      ],
    ],
  ]);
}

test('an .xlsx upload reads the sheet with the schedule, and another sheet can be picked', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload({ name: 'programme.xlsx', mimeType: XLSX_MIME, buffer: workbook() });
    // 200.5 + 110.25 + 350 = 660.75, shown at the file's two decimals.
    await app.waitForGrandTotal('660.75');
    assert.deepEqual((await app.grandTotals()).years, ['460.50', '140.25', '60.00'], 'grand totals by year');
    assert.match(await app.text('checks-subtotals'), /2 of 2 subtotals ok/, 'the formula subtotals check');
    assert.match(await app.text('schedule-unit'), /£'000/);
    const select = app.get('sheet-select');
    assert.equal(await select.inputValue(), 'Savings 2024-27', 'the first sheet that looks like a schedule');
    assert.deepEqual(await select.locator('option').allTextContents(), ['Notes', 'Savings 2024-27', 'Capital']);

    await select.selectOption('Capital');
    await app.waitForGrandTotal('2,000');
    assert.deepEqual((await app.grandTotals()).years, ['1,250', '750'], 'FY2024/25 and FY2025/26 read as years');
    // Reading another sheet is an import: undo goes back.
    await app.get('undo').click();
    await app.waitForGrandTotal('660.75');
  }));

test('the page’s own Excel export uploads as the same schedule', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.get('export-xlsx').click()]);
    const bytes = await readFile(await download.path());
    // Change the schedule, then load the export: the demo's figures come back.
    await app.page.locator('#row-4 td[data-year="0"]').click();
    await app.page.keyboard.type('1330');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('44,977.0');
    await app.upload({ name: download.suggestedFilename(), mimeType: XLSX_MIME, buffer: bytes });
    await app.waitForGrandTotal(DEMO.all);
    assert.deepEqual((await app.grandTotals()).years, DEMO.years, 'the demo by year');
    assert.match(await app.text('schedule-source'), /64 lines in 5 sections, 4 years/, 'the same lines and sections');
  }));

test('a file with no recognisable year columns gets the column-mapping step, and the mapping is remembered', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const odd = (a, b) =>
      `Ref,Scheme,Year 1,Year 2,Year 3,Sum\nR1,Depot,${a},20.0,30.0,${a + 50}.0\nR2,Libraries,5.0,5.0,${b},${10 + b}.0\n`;
    await app.upload({ name: 'odd.csv', mimeType: 'text/csv', buffer: Buffer.from(odd(10, 5)) });
    await app.get('mapping-step').waitFor();
    assert.match(await app.text('map-doubts'), /year/i, 'the step says what it was unsure of');
    assert.equal((await app.grandTotals()).all, DEMO.all, 'the schedule on screen is kept meanwhile');
    // Year 1–3 become 2024/25–2026/27; Sum is the published total.
    const roles = app.get('map-role');
    for (const [k, year] of [[2, '2024/25'], [3, '2025/26'], [4, '2026/27']]) {
      await roles.nth(k).selectOption('year');
      const input = app.page.locator('[data-testid="map-column"]').nth(k).locator('[data-testid="map-year"]');
      await input.fill(year);
      await input.press('Tab');
    }
    await roles.nth(5).selectOption('total');
    await app.get('map-unit').selectOption("£'000");
    await app.get('map-read').click();
    await app.waitForGrandTotal('75.0');
    assert.deepEqual((await app.grandTotals()).years, ['15.0', '25.0', '35.0'], 'by year');
    assert.match(await app.text('checks-lines'), /2 of 2 line totals ok/, 'the Sum column is checked');
    assert.equal(await app.get('mapping-step').count(), 0, 'the step is done');

    // A second file with the same header is read the same way, without asking.
    await app.upload({ name: 'odd-2.csv', mimeType: 'text/csv', buffer: Buffer.from(odd(20, 15)) });
    await app.waitForGrandTotal('95.0');
    assert.equal(await app.get('mapping-step').count(), 0, 'no step for a header already mapped');
    assert.match(await app.page.locator('.status').textContent(), /columns you chose/);
  }));

test('with the worker blocked, a workbook and an Excel export each say the worker could not be loaded, and the work stays', async (t) =>
  withApp(t, async (app, { context }) => {
    // The page is built without the workbook reader and writer: they are the worker's. Its
    // start-up script is refused, as on a host that lost it or a visit offline before it was kept.
    let asked = 0;
    await context.route('**/*-loader.js', (route) => {
      asked += 1;
      return route.fulfill({ status: 404, body: 'not here' });
    });
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload({ name: 'programme.xlsx', mimeType: XLSX_MIME, buffer: workbook() });
    await app.waitFor('the message', () => app.message(), (m) => m.length > 0);
    const message = await app.message();
    assert.match(message, /programme\.xlsx: workbooks are read and written by the page's worker, which could not be loaded/);
    assert.match(message, /save the sheet as CSV and load that/);
    assert.equal((await app.grandTotals()).all, DEMO.all, 'the demo stays on screen');

    // An Excel download says the same; the CSV download, written on the page, still works.
    await app.get('export-xlsx').click();
    await app.waitFor('the export message', () => app.message(), (m) => /The export failed/.test(m));
    assert.match(await app.message(), /The export failed: .*\.xlsx: workbooks are read and written by the page's worker/);
    const [csv] = await Promise.all([app.page.waitForEvent('download'), app.get('export-csv').click()]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    assert.equal((await app.grandTotals()).all, DEMO.all, 'the schedule is unchanged');
    assert.ok(asked >= 1, 'the page asked for the worker');
  }));
