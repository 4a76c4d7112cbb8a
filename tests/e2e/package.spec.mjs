// The data package: "Data package" downloads a zip holding datapackage.json (a Fiscal Data
// Package whose amounts are in thousands of pounds: factor 1000, GBP; its source the demo file
// and that file's SHA-256) and the CSV, whose amounts add up, exactly, to the grand total on
// screen; uploaded again, the zip shows the same schedule and grand total.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILDRENS, DEMO, parseCsv, setupSuite, thousandths, unzip } from './support.mjs';
import { storedZip } from './xlsx.mjs';

const withApp = setupSuite();

/** Reads a plain decimal ("-200.0", "1435") as an exact BigInt of tenths (the demo has one place). */
function tenths(text) {
  const m = /^(-)?(\d+)(?:\.(\d))?$/.exec(text);
  assert.ok(m, `${JSON.stringify(text)} is a plain decimal with at most one place`);
  const units = BigInt(m[2] + (m[3] ?? '0'));
  return m[1] ? -units : units;
}

test('Data package downloads a valid-looking Fiscal Data Package that adds up and loads again', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { name, bytes } = await app.download('export-package');
    assert.equal(name, `${DEMO.title}-datapackage.zip`, 'the file name');

    const entries = unzip(bytes);
    assert.deepEqual([...entries.keys()], ['datapackage.json', 'savings.csv'], 'the zip holds the descriptor and the CSV');
    const descriptor = JSON.parse(entries.get('datapackage.json').toString('utf8'));
    assert.equal(descriptor.profile, 'tabular-data-package');
    const measure = descriptor.model?.measures?.amount;
    assert.equal(measure?.factor, 1000, `the amounts' factor is a thousand (${DEMO.unit})`);
    assert.equal(measure?.currency, 'GBP');
    assert.equal(measure?.source, 'Amount');
    assert.deepEqual(Object.keys(descriptor.model.dimensions).sort(), ['financial-year', 'measure', 'proposal', 'section']);
    const resource = descriptor.resources[0];
    assert.equal(resource.path, 'savings.csv');
    assert.equal(resource.schema.fields.find((f) => f.name === 'Amount')?.type, 'number');
    // The source is the demo file the page opened, by name and SHA-256.
    const demoBytes = await readFile(DEMO.file);
    assert.equal(descriptor.sources[0].title, `${DEMO.title}.csv`);
    assert.equal(descriptor.sources[0].sha256, createHash('sha256').update(demoBytes).digest('hex'), 'the SHA-256 of the demo file');
    const csv = entries.get('savings.csv');
    assert.equal(resource.bytes, csv.length, 'the resource size');
    assert.equal(resource.hash, `sha256:${createHash('sha256').update(csv).digest('hex')}`, 'the resource hash');

    // The CSV's amounts add up, exactly, to the grand total on screen.
    const rows = parseCsv(csv.toString('utf8').replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c !== ''));
    const amount = rows[0].indexOf('Amount');
    assert.ok(amount >= 0, `the header names Amount: ${rows[0]}`);
    assert.equal(rows.length - 1, DEMO.lines * DEMO.years.length, 'a row per line and year');
    const sum = rows.slice(1).reduce((acc, r) => acc + (r[amount] === '' ? 0n : tenths(r[amount])), 0n);
    const shown = await app.grandTotals();
    assert.equal(sum * 100n, thousandths(shown.all), `the CSV adds up to ${shown.all} on screen`);

    // Loaded again (after another schedule), the zip gives the same schedule.
    await app.upload(CHILDRENS.file);
    await app.waitForGrandTotal(CHILDRENS.all);
    const path = join(tmp, name);
    await writeFile(path, bytes);
    await app.upload(path);
    await app.waitForGrandTotal(DEMO.all);
    assert.deepEqual(await app.texts('grand-total-year'), DEMO.years, 'the year totals');
    assert.equal(await app.text('grand-total-all'), shown.all, 'the grand total');
    assert.equal(await app.message(), '', 'no import message');
    assert.equal(await app.title(), DEMO.title, 'the title comes from the package');
  }));

test('a zip that is not a data package is refused with a message, and the schedule stays', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const { bytes } = await app.download('export-package');
    // The package without its descriptor: only the CSV, zipped by hand (a stored entry).
    const csv = unzip(bytes).get('savings.csv');
    const path = join(tmp, 'no-descriptor.zip');
    await writeFile(path, storedZip([['savings.csv', csv]]));
    await app.upload(path);
    await app.waitForMessage('no datapackage.json');
    assert.equal(await app.text('grand-total-all'), DEMO.all, 'the demo stays on screen');
  }));
