// Exporting: the CSV and JSON buttons download the recalculated schedule, and the downloads open
// again as the same schedule.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILDRENS, DEMO, parseCsv, setupSuite } from './support.mjs';

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
