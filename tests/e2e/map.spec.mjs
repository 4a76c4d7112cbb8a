// The arithmetic map, as a user meets it: a published table is uploaded, and the page says which
// of its figures are derived from which (found from the figures, not the labels), how many were
// confirmed, classed rounding, or broken, and lists the broken figure first with both figures.
// Each fixture of tests/fixtures/arithmetic has one deliberate error and one drift of one unit of
// its last shown place (tests/arithmetic.rs works them natively); the shared forecast table has
// none (docs/domain.md, "The arithmetic map").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO, FIXTURES, parseCsv, setupSuite } from './support.mjs';

const withApp = setupSuite();

/** The map panel's counts and its broken figures, as the page shows them. */
async function readMap(app, file) {
  await app.waitFor(`the map of ${file}`, () => app.page.locator('[data-testid="map-panel"] h2').textContent().catch(() => ''), (v) => v.includes(file));
  const panel = app.get('map-panel');
  const counts = {};
  for (const k of ['confirmed', 'rounding', 'broken', 'identities']) counts[k] = Number(await panel.getAttribute(`data-${k}`));
  const broken = await app.page.locator('[data-testid="map-broken"]').evaluateAll((lis) =>
    lis.map((li) => ({ cell: li.dataset.cell, published: li.dataset.published, computed: li.dataset.computed, text: li.textContent })),
  );
  return { counts, broken, summary: await app.get('map-summary').textContent() };
}

const CASES = [
  // file, the broken cell, published, computed (as exact decimals), at least this many identities
  ['mtfs-plan.csv', 'E10', '7.614', '7.416', 4],
  ['mtfs-next-year.csv', 'F8', '7850', '7580', 3],
  ['budget-position.csv', 'C11', '1765.0', '1665.0', 2],
  ['monitoring.csv', 'F12', '45', '-216', 5],
  ['schedule-dash-3dp.csv', 'F7', '1.769', '1.360', 4],
];

for (const [file, cell, published, computed, identities] of CASES) {
  test(`${file}: the map finds its identities, the error is broken with both figures, the drift is rounding`, async (t) =>
    withApp(t, async (app) => {
      await app.open();
      await app.waitForGrandTotal(DEMO.all);
      await app.upload(join(FIXTURES, 'arithmetic', file));
      const map = await readMap(app, file);
      assert.ok(map.counts.identities >= identities, `${file}: ${map.counts.identities} identities`);
      assert.equal(map.counts.broken, 1, `${file}: one broken figure (${map.summary})`);
      assert.ok(map.counts.rounding >= 1, `${file}: the drift is rounding (${map.summary})`);
      assert.ok(map.counts.confirmed > map.counts.broken + map.counts.rounding, map.summary);
      assert.equal(map.broken.length, 1);
      const [b] = map.broken;
      assert.deepEqual([b.cell, b.published, b.computed], [cell, published, computed]);
      assert.match(b.text, /published .*; the other .* gives .* here/);
      assert.match(map.summary, new RegExp(`${map.counts.identities} identities found`));
    }));
}

test('the forecast table: every derived figure confirmed, none broken, though no label says total', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'cyps-budget-forecast-2016-21.csv'));
    const map = await readMap(app, 'cyps-budget-forecast-2016-21.csv');
    // Row 8 = rows 3 to 7 and row 9 = row 8 − row 3, five years each (arithmetic-examples.md).
    assert.deepEqual([map.counts.confirmed, map.counts.rounding, map.counts.broken], [10, 0, 0]);
    const ids = await app.texts('map-identity');
    assert.ok(ids.some((t) => t.startsWith('row 9 = row 8 − row 3')), ids.join('\n'));
  }));

test('the map downloads as CSV, the broken figure first with both figures and its tolerance', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'schedule-dash-3dp.csv'));
    await readMap(app, 'schedule-dash-3dp.csv');
    const { name, bytes } = await app.download('map-csv');
    assert.match(name, /arithmetic-map\.csv$/);
    const rows = parseCsv(bytes.toString('utf8'));
    assert.deepEqual(rows[0].slice(0, 8), ['status', 'cell', 'row', 'column', 'published', 'computed', 'difference', 'tolerance']);
    // A `-` at three decimals hides at most 0.0005: the 0.409 miss is an error, not rounding.
    assert.deepEqual(rows[1].slice(0, 8), ['broken', 'F7', '7', 'F', '1.769', '1.360', '0.409', '0.002']);
    // One row per check: a figure two identities derive (F7: its line's total, and its
    // column's sum of the lines above) has a row for each; every broken row is that figure.
    const broken = rows.slice(1).filter((r) => r[0] === 'broken');
    assert.ok(broken.length >= 1 && broken.every((r) => r[1] === 'F7'), JSON.stringify(broken));
  }));

test('the recalculated CSV export carries the map: each row says what derives it and its broken figure', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'schedule-dash-3dp.csv'));
    await readMap(app, 'schedule-dash-3dp.csv');
    const { bytes } = await app.download('export-csv');
    const rows = parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    const at = rows[0].indexOf('Gapwise arithmetic (as published)');
    assert.ok(at > 0, rows[0].join(','));
    const adults = rows.find((r) => r.includes('Subtotal Adults'));
    assert.match(adults[at], /^row 7 = rows 4–6/);
    assert.match(adults[at], /1 broken: F7 published 1\.769/);
  }));

test('a plan whose labels mislead: its results are judged by the arithmetic, and only the real error remains', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'mtfs-plan.csv'));
    await readMap(app, 'mtfs-plan.csv');
    await app.get('gap-view').waitFor();
    // Read by their labels, all 16 published results disagreed; by the identities that derive
    // them, 11 of the 12 derived figures agree and the deliberate error (E10) does not. Row 3
    // ("Base budget requirement") names a result by its label, but the gap before reserves is
    // summed from it: it is the base budget, an input, and nothing is left listed as a result
    // that no identity derives.
    assert.equal(await app.get('gap-checks').textContent(), '11 of 12 published results agree (1 does not)');
    assert.equal(await app.count('gap-not-derived'), 0);
    const inputs = await app.page.locator('[data-testid="gap-input-row"]').evaluateAll((rows) =>
      rows.map((tr) => [tr.querySelector('th').textContent.trim(), tr.querySelector('[data-testid="gap-role"]').value]),
    );
    assert.deepEqual(inputs, [
      ['Base budget requirement', 'BaseBudget'],
      ['Funding', 'Funding'],
      ['General Fund reserve', 'Reserves'],
      ['Transformation reserve', 'Reserves'],
      ['Total reserves applied', 'Other'],
    ]);
  }));

/** The published notes of a derived row of the gap table, one per year. */
function gapNotes(app, result) {
  return app.page
    .locator(`[data-testid="gap-row"][data-result="${result}"] [data-testid="gap-cell"]`)
    .evaluateAll((cells) => cells.map((td) => (td.querySelector('.published')?.textContent ?? '').trim()));
}

test('next year\'s plan opens as a gap table by its arithmetic, whatever its rows are called', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'mtfs-next-year.csv'));
    await readMap(app, 'mtfs-next-year.csv');
    // By its labels it was a schedule of six lines; the map finds a gap before reserves (row
    // 5 = rows 3 + 4), the reserves taken from it (row 7 = row 5 − row 6) and the change of
    // what is left (row 8), so it is a gap table.
    await app.get('gap-view').waitFor();
    // Five years each of the gap before reserves, the gap after reserves ("Cumulative savings
    // requirement") and its change ("Annual savings requirement"): all agree but the drift in
    // C5 (19,951 against 425,150 − 405,200 = 19,950, within rounding) and the deliberate error
    // F8 (7,850 against 42,170 − 34,590 = 7,580).
    assert.equal(await app.get('gap-checks').textContent(), '14 of 15 published results agree (1 within rounding; 1 does not)');
    assert.equal(await app.count('gap-not-derived'), 0);
    const roles = await app.page.locator('[data-testid="gap-role"]').evaluateAll((s) => s.map((e) => e.value));
    assert.deepEqual(roles, ['BaseBudget', 'Funding', 'Reserves']);
    const after = await gapNotes(app, 'gap_after_reserves');
    assert.equal(after.length, 5);
    assert.ok(after.every((n) => n.endsWith('✓')), JSON.stringify(after));
    const annual = await gapNotes(app, 'annual_gap_after_reserves');
    assert.equal(annual.length, 5);
    assert.ok(annual.slice(0, 4).every((n) => n.endsWith('✓')), JSON.stringify(annual));
    assert.match(annual[4], /^published 7,850 · /);
    assert.ok(!annual[4].endsWith('✓'), annual[4]);
  }));

test('a budget position is not a gap table: it opens as a schedule with its map', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'budget-position.csv'));
    const map = await readMap(app, 'budget-position.csv');
    assert.equal(map.counts.broken, 1);
    await app.waitFor('the schedule of budget-position.csv', () => app.title(), (v) => (v ?? '').includes('budget-position'));
    // The gap view still holds the forecast that opened with the page.
    await app.showTab('gap');
    const heading = await app.get('gap-view').locator('h2').first().textContent();
    assert.ok(heading.includes('cyps-budget-forecast-2016-21') && !heading.includes('budget-position.csv'), heading);
    assert.equal(await app.text('gap-checks'), '10 of 10 published results agree');
  }));

// Issue 16: a table with no financial years is checked, not loaded (docs/domain.md, "The
// arithmetic map", "A table with no years"); a file of several tables is mapped table by table.
test('a monitoring table with no years: its map shows the broken variance, the demo schedule stays', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const title = await app.title();
    const file = 'monitoring-no-years-error.csv';
    await app.upload(join(FIXTURES, 'tables', file));
    const map = await readMap(app, file);
    assert.ok(map.counts.identities >= 4, `${map.counts.identities} identities (${map.summary})`);
    const e7 = map.broken.find((b) => b.cell === 'E7');
    assert.ok(e7, JSON.stringify(map.broken));
    assert.deepEqual([e7.published, e7.computed], ['14100', '11400']);
    const panel = app.get('map-panel');
    assert.equal(await panel.getAttribute('data-checked-only'), 'true');
    assert.match(await app.text('map-note'), /no financial years.*checked.*not loaded as a schedule/);
    await app.waitForMessage('financial years');
    // The schedule on screen is the demo's, unchanged.
    assert.equal((await app.grandTotals()).all, DEMO.all);
    assert.equal(await app.title(), title);
  }));

test('three tables in one file: each mapped under its own heading, the second one broken', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const file = 'three-tables.csv';
    await app.upload(join(FIXTURES, 'tables', file));
    // Each table has its own summary, so the panel is read table by table, not by readMap.
    await app.waitFor(`the map of ${file}`, () => app.page.locator('[data-testid="map-panel"] h2').textContent().catch(() => ''), (v) => v.includes(file));
    assert.equal(await app.get('map-panel').getAttribute('data-tables'), '3');
    const tables = await app.page.locator('[data-testid="map-table"]').evaluateAll((ss) =>
      ss.map((s) => ({ heading: s.querySelector('h3').textContent, broken: s.dataset.broken })),
    );
    assert.deepEqual(tables.map((x) => x.heading), ['Table 1, rows 2–7', 'Table 2, rows 10–16', 'Table 3, rows 19–24']);
    assert.deepEqual(tables.map((x) => x.broken !== '0'), [false, true, false]);
  }));

test('a quarterly target/forecast/variance table: the mistyped forecast breaks its three identities; the clean twin has none', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'tables', 'quarterly.csv'));
    const clean = await readMap(app, 'quarterly.csv');
    assert.equal(clean.counts.broken, 0, clean.summary);
    assert.equal(clean.counts.identities, 8, clean.summary);
    await app.upload(join(FIXTURES, 'tables', 'quarterly-error.csv'));
    const map = await readMap(app, 'quarterly-error.csv');
    assert.deepEqual(
      map.broken.map((b) => [b.cell, b.published, b.computed]),
      [['G5', '-10', '-5'], ['O5', '455', '460'], ['F7', '185', '190']],
    );
  }));

test('a one-column bridge: checked though it has no years; the mistyped change breaks the requirement it closes', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'tables', 'bridge.csv'));
    const clean = await readMap(app, 'bridge.csv');
    assert.equal(clean.counts.broken, 0, clean.summary);
    assert.equal(clean.counts.identities, 2, clean.summary);
    await app.upload(join(FIXTURES, 'tables', 'bridge-error.csv'));
    const map = await readMap(app, 'bridge-error.csv');
    assert.equal(await app.get('map-panel').getAttribute('data-checked-only'), 'true');
    assert.deepEqual(map.broken.map((b) => [b.cell, b.published, b.computed]), [['B8', '252980', '253340']]);
    assert.match(map.broken[0].text, /closes rows 3–7, which add up to 253,340/);
    // The schedule on screen is still the demo's.
    assert.equal((await app.grandTotals()).all, DEMO.all);
  }));

test('"Download checks" lists every checked figure of the schedule and of the map, the error first', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'schedule-dash-3dp.csv'));
    await readMap(app, 'schedule-dash-3dp.csv');
    const { name, bytes } = await app.download('checks-csv');
    assert.match(name, /schedule-dash-3dp-checks\.csv$/);
    const rows = parseCsv(bytes.toString('utf8'));
    assert.deepEqual(rows[0], ['source', 'status', 'cell', 'row', 'column', 'label', 'published',
      'computed', 'difference', 'tolerance', 'identity', 'note']);
    // The subtotal's total, 1.769 published where its lines make 1.360: an error, first.
    assert.deepEqual(rows[1].slice(0, 9), ['schedule', 'error', '', '7', 'Total', 'Subtotal Adults',
      '1.769', '1.360', '0.409']);
    assert.equal(rows[1][10], 'subtotal of Adults (the total)');
    // Every row: difference = published − computed (in thousandths, exact for three places).
    const milli = (s) => Math.round(Number(s) * 1000);
    for (const r of rows.slice(1)) assert.equal(milli(r[8]), milli(r[6]) - milli(r[7]), r.join(','));
    // The map's figures follow, its broken one first among them.
    const mapped = rows.slice(1).filter((r) => r[0] === 'arithmetic map of schedule-dash-3dp.csv');
    assert.ok(mapped.length > 10, `${mapped.length} map rows`);
    assert.deepEqual(mapped[0].slice(1, 4), ['broken', 'F7', '7']);
    // The JSON has the same figures and counts by source and status.
    const json = JSON.parse((await app.download('checks-json')).bytes.toString('utf8'));
    assert.equal(json.checks.length, rows.length - 1);
    const errors = json.counts.find((c) => c.source === 'schedule' && c.status === 'error');
    assert.equal(errors.figures, 1);
  }));
