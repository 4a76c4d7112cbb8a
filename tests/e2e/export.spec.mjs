// Exporting: the CSV and JSON buttons download the recalculated schedule, and the downloads open
// again as the same schedule; the long CSV has a row per line and year; the Excel workbook's
// totals are formulas carrying Gapwise's results; printing leaves the controls out.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILDRENS, DEMO, FIXTURES, parseCsv, setupSuite, unzip } from './support.mjs';

const withApp = setupSuite();
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

test('Export CSV downloads the schedule with computed totals and checks', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { name, bytes } = await app.download('export-csv');

    assert.ok(name.endsWith('-recalculated.csv'), `file name ${JSON.stringify(name)} ends -recalculated.csv`);
    assert.ok(name.includes(DEMO.title), `file name ${JSON.stringify(name)} names ${DEMO.title}`);
    assert.deepEqual(bytes.subarray(0, 3), BOM, 'the CSV starts with a UTF-8 byte-order mark');

    const text = bytes.subarray(3).toString('utf8');
    const firstLine = text.split(/\r?\n/, 1)[0];
    assert.ok(firstLine.endsWith('Gapwise computed total,Gapwise check'), `header row: ${firstLine}`);
    const rows = parseCsv(text).filter((r) => r.some((c) => c !== ''));
    const header = rows[0];
    const computedCol = header.indexOf('Gapwise computed total');
    const checkCol = header.indexOf('Gapwise check');
    assert.deepEqual([computedCol, checkCol], [header.length - 2, header.length - 1], 'the two Gapwise columns come last');
    assert.ok(rows[1].includes(DEMO.unit), `the unit row names ${DEMO.unit}: ${rows[1]}`);

    const grand = rows.at(-1);
    const firstText = grand.find((c) => c !== '');
    assert.equal(firstText, 'Gapwise grand total', 'the last row is the grand total row');
    assert.equal(grand[computedCol], DEMO.csvAll, 'grand total in the Gapwise computed total column');
    const yearCells = grand.slice(0, computedCol).filter((c) => c !== '' && c !== 'Gapwise grand total');
    assert.deepEqual(yearCells, DEMO.csvYears, 'year totals of the grand total row, plain decimals');
    for (const v of DEMO.csvYears) {
      const col = grand.indexOf(v);
      assert.match(header[col], /\b20\d\d\/(\d\d|\d{4})\b/, `${v} sits under a year header (${header[col]})`);
    }

    // The same figures as on screen, without the thousands separators.
    const shown = await app.grandTotals();
    assert.deepEqual(yearCells, shown.years.map((s) => s.replaceAll(',', '')), 'CSV year totals equal the page');
    assert.equal(grand[computedCol], shown.all.replaceAll(',', ''), 'CSV grand total equals the page');

    // Every line and subtotal of the demo checks out.
    const checks = rows.slice(2, -1).map((r) => r[checkCol]).filter((c) => c !== '' && c !== undefined);
    assert.deepEqual([...new Set(checks)], ['ok'], 'every check in the CSV is ok');
    assert.equal(checks.length, DEMO.lines + DEMO.subtotals, 'one check per line and per subtotal');
  }));

test('Export JSON downloads a gapwise-schedule/1 document', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { name, bytes } = await app.download('export-json');
    assert.ok(name.endsWith('.json'), `file name ${JSON.stringify(name)} ends .json`);
    assert.ok(name.includes(DEMO.title), `file name ${JSON.stringify(name)} names ${DEMO.title}`);
    const doc = JSON.parse(bytes.toString('utf8'));
    assert.equal(doc.format, 'gapwise-schedule/1');
    assert.equal(doc.title, DEMO.title);
    assert.equal(doc.years?.length, DEMO.years.length, 'four years');
    assert.equal(doc.lines?.length, DEMO.lines, 'every line');
  }));

test('an exported CSV and JSON open again as the same schedule', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const csv = await app.download('export-csv');
    const json = await app.download('export-json');

    for (const file of [csv, json]) {
      await app.upload(CHILDRENS.file);
      await app.waitForGrandTotal(CHILDRENS.all);
      const path = join(tmp, file.name);
      await writeFile(path, file.bytes);
      await app.upload(path);
      await app.waitForGrandTotal(DEMO.all);
      assert.deepEqual(await app.texts('grand-total-year'), DEMO.years, `${file.name}: year totals`);
      assert.equal(await app.message(), '', `${file.name}: no import message`);
      const subtotals = await app.text('checks-subtotals');
      assert.ok(subtotals?.includes(`${DEMO.subtotals} of ${DEMO.subtotals} subtotals ok`), `${file.name}: checks-subtotals ${JSON.stringify(subtotals)}`);
    }
  }));

/** The demo fixture's lines (rows with a year figure that are not published totals) and years. */
async function demoFixture() {
  const text = await readFile(join(FIXTURES, `${DEMO.title}.csv`), 'utf8');
  const rows = parseCsv(text).filter((r) => r.some((c) => c !== ''));
  const yearCols = rows[0].flatMap((h, i) => (/^20\d\d\/\d\d/.test(h) ? [i] : []));
  const lines = rows.slice(2).filter((r) => !/^total/i.test(r[0]) && yearCols.some((i) => r[i] !== ''));
  return { header: rows[0], yearCols, lines };
}

const LONG_HEADER = ['Row', 'Section', 'Reference', 'Line', 'Year', 'Amount', 'Unit'];

test('Export CSV (one row per line and year) downloads the long table', async (t) =>
  withApp(t, async (app) => {
    const fixture = await demoFixture();
    assert.equal(fixture.lines.length, DEMO.lines, 'the fixture has the demo\'s lines');
    assert.equal(fixture.yearCols.length, DEMO.years.length, 'the fixture has the demo\'s years');

    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { name, bytes } = await app.download('export-csv-long');
    assert.ok(name.endsWith('-long.csv'), `file name ${JSON.stringify(name)} ends -long.csv`);
    assert.ok(name.includes(DEMO.title), `file name ${JSON.stringify(name)} names ${DEMO.title}`);
    assert.deepEqual(bytes.subarray(0, 3), BOM, 'the CSV starts with a UTF-8 byte-order mark');

    const rows = parseCsv(bytes.subarray(3).toString('utf8')).filter((r) => r.some((c) => c !== ''));
    assert.deepEqual(rows[0], LONG_HEADER, 'the header, with no scenario column at the baseline');
    const data = rows.slice(1);
    assert.equal(data.length, fixture.lines.length * fixture.yearCols.length, 'one row per line and year (64 × 4)');
    assert.ok(data.every((r) => r.length === LONG_HEADER.length), 'every row has every column');
    assert.deepEqual([...new Set(data.map((r) => r[6]))], [DEMO.unit], 'the unit on every row');
    const years = [...new Set(data.map((r) => r[4]))];
    assert.equal(years.length, DEMO.years.length, `four years: ${years}`);
    assert.equal(years[0], '2017/18');

    // One known cell: CYPS9, file row 4, 330.0 in 2017/18.
    const cyps9 = fixture.lines.find((r) => r[2] === 'CYPS9');
    const cell = data.find((r) => r[2] === 'CYPS9' && r[4] === '2017/18');
    assert.deepEqual(cell, ['4', 'Staffing Related Savings', 'CYPS9', cyps9[1], '2017/18', '330.0', DEMO.unit]);

    // The amounts add up to the grand total on the page (tenths, so exact in integers).
    const tenths = data.reduce((sum, r) => sum + (r[5] === '' || Number.isNaN(Number(r[5])) ? 0 : Math.round(Number(r[5]) * 10)), 0);
    assert.equal((tenths / 10).toFixed(1), DEMO.csvAll, 'the amounts sum to the grand total');
  }));

test('the long CSV adds the active scenario\'s amounts', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('scenario-name').waitFor({ state: 'attached' });
    const scenario = await app.get('scenario-name').inputValue();
    const { bytes } = await app.download('export-csv-long');
    const rows = parseCsv(bytes.subarray(3).toString('utf8')).filter((r) => r.some((c) => c !== ''));
    assert.deepEqual(rows[0], [...LONG_HEADER, `Scenario amount: ${scenario}`], 'the scenario column is named');
    assert.equal(rows.length - 1, DEMO.lines * DEMO.years.length, 'one row per line and year');
    assert.ok(rows.slice(1).every((r) => r.length === LONG_HEADER.length + 1), 'every row has a scenario amount cell');
  }));

test('Export Excel workbook downloads an xlsx whose totals are live formulas', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { name, bytes } = await app.download('export-xlsx');
    assert.ok(name.endsWith('.xlsx'), `file name ${JSON.stringify(name)} ends .xlsx`);
    assert.ok(name.includes(DEMO.title), `file name ${JSON.stringify(name)} names ${DEMO.title}`);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the workbook is a zip');
    assert.equal(await app.message(), '', 'no export message');

    const entries = unzip(bytes);
    for (const part of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']) {
      assert.ok(entries.has(part), `the workbook has ${part} (${[...entries.keys()].join(', ')})`);
    }
    const sheet = entries.get('xl/worksheets/sheet1.xml').toString('utf8');
    const sums = sheet.match(/<f>SUM\(/g) ?? [];
    assert.equal(sums.length, DEMO.lines, 'a SUM formula for each line\'s total');
    const subtotals = sheet.match(/<f>SUBTOTAL\(9,[^<]*\)<\/f><v>[^<]*<\/v>/g) ?? [];
    assert.ok(subtotals.length > DEMO.subtotals, `SUBTOTAL formulas for the sections and the grand total: ${subtotals.length}`);
    assert.ok(
      subtotals.some((f) => /<v>43977(\.0)?<\/v>$/.test(f)),
      `the grand total formula caches ${DEMO.csvAll}: ${subtotals.slice(-6).join(' ')}`,
    );
    for (const v of DEMO.csvYears) {
      assert.ok(subtotals.some((f) => f.endsWith(`<v>${v}</v>`) || f.endsWith(`<v>${v.replace(/\.0$/, '')}</v>`)), `a year total caches ${v}`);
    }
    const strings = entries.get('xl/sharedStrings.xml')?.toString('utf8') ?? sheet;
    assert.ok(strings.includes('Gapwise grand total'), 'the grand total row is labelled');
    assert.ok(strings.includes(DEMO.title), 'the title is in the workbook');
  }));

test('printing shows the report without the controls', async (t) =>
  withApp(t, async (app, { page }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    assert.equal(await app.get('print-date').isVisible(), false, 'the print date is not on screen');

    await page.emulateMedia({ media: 'print' });
    for (const id of ['export-csv', 'export-csv-long', 'export-xlsx', 'export-json', 'export-package', 'tab-schedule', 'tab-gap', 'undo', 'own-profile', 'file-input']) {
      const el = app.get(id);
      if ((await el.count()) === 0) continue;
      assert.equal(await el.first().isVisible(), false, `${id} is not printed`);
    }
    assert.equal(await page.locator('main button:not(.link-button), main select, main input:not([type="checkbox"])').filter({ visible: true }).count(), 0, 'no control is printed (checkboxes print as their state)');
    for (const id of ['schedule-title', 'schedule-unit', 'grand-total-all', 'checks-subtotals', 'schedule-table']) {
      assert.ok(await app.get(id).first().isVisible(), `${id} is printed`);
    }
    const printed = await app.text('print-date');
    assert.match(printed, /^Printed \d{1,2} [A-Z][a-z]+ 20\d\d$/, 'the print date');
    // The table is printed whole: nothing scrolls inside it.
    const clipped = await app.get('schedule-table').evaluate((el) => {
      const box = el.closest('.table-scroll') ?? el;
      return box.scrollHeight > box.clientHeight + 1 ? `${box.scrollHeight} > ${box.clientHeight}` : '';
    });
    assert.equal(clipped, '', 'the schedule table is not clipped');

    // The funding gap prints its charts and tables, not the year chooser.
    await page.emulateMedia({ media: 'screen' });
    await app.showTab('gap');
    await page.emulateMedia({ media: 'print' });
    for (const id of ['gap-table', 'bridge-chart', 'trend-chart']) {
      assert.ok(await app.get(id).first().isVisible(), `${id} is printed`);
    }
    assert.equal(await app.get('bridge-year').isVisible(), false, 'the bridge year chooser is not printed');
    assert.ok(await app.get('bridge-chart').locator('svg').isVisible(), 'the bridge chart\'s svg is printed');
  }));
