// The funding gap, as a user does it and reads it off the screen: the forecast that opens beside
// the demo schedule (cyps-budget-forecast-2016-21, £m) worked out and checked, its bridge and
// trend charts, the demo savings schedule (£'000) fed into it and moved by a changed saving, and
// a funding-gap table loaded from the file input beside the schedule. The expected figures are
// the published ones (docs/domain.md, tests/fixtures/); sums and differences of
// figures on screen are worked out exactly, in integer thousandths, never in floating point.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO, FIXTURES, figure, parseCsv, percentText, setupSuite, thousandths } from './support.mjs';

const withApp = setupSuite();

/** tests/fixtures/cyps-budget-forecast-2016-21.csv: the gap table the page opens with (£m). */
const FORECAST = {
  title: 'cyps-budget-forecast-2016-21',
  years: ['2016/17', '2017/18', '2018/19', '2019/20', '2020/21'],
  // Net Forecast: the published budget requirement.
  requirement: ['64.495', '64.694', '62.645', '60.641', '60.209'],
  // Overall Investment / Funding Support: with no funding row the Net Budget is the funding, so
  // this is the gap (there are no reserves, so before and after reserves alike).
  gapAfterReserves: ['8.027', '9.677', '8.928', '7.924', '7.492'],
  // Two result rows (Net Forecast, Funding Support) of five years each.
  checks: '10 of 10 published results agree',
};

/** tests/fixtures/cyps-funding-gap-2016-20.csv, loaded from the file input (£m). */
const FUNDING_GAP = {
  file: join(FIXTURES, 'cyps-funding-gap-2016-20.csv'),
  title: 'cyps-funding-gap-2016-20',
  years: ['2016/17', '2017/18', '2018/19', '2019/20'],
  // Revised Future Years Funding Gap as a result of this report, 2017/18–2019/20.
  revised: { '2017/18': '24.130', '2018/19': '7.854', '2019/20': '18.863' },
};

/** The demo schedule's file: the one the page opens with. */
const DEMO_FILE = join(FIXTURES, 'cyps-savings-2017-21.csv');

/** The year headers of the gap table, in column order. */
async function gapYears(app) {
  const headers = (await app.get('gap-table').locator('thead th').allTextContents()).map((s) => s.trim());
  return headers.filter((h) => /^20\d\d\/\d\d$/.test(h));
}

/** The gap table's derived row for one result (`data-result`). */
function gapRow(app, result) {
  return app.get('gap-table').locator(`[data-testid="gap-row"][data-result="${result}"]`);
}

/**
 * The figures a derived row shows, one per year: each gap-cell's text without its
 * `<span class="published">` note.
 */
async function gapFigures(app, result) {
  const row = gapRow(app, result);
  const n = await row.count();
  assert.equal(n, 1, `one gap-row with data-result="${result}" (found ${n})`);
  return row.locator('[data-testid="gap-cell"]').evaluateAll((cells) =>
    cells.map((td) => {
      const copy = td.cloneNode(true);
      for (const note of copy.querySelectorAll('.published')) note.remove();
      return copy.textContent.trim();
    }),
  );
}

/** The published notes of a derived row's cells ('' where a cell has none). */
async function publishedNotes(app, result) {
  return gapRow(app, result)
    .locator('[data-testid="gap-cell"]')
    .evaluateAll((cells) => cells.map((td) => (td.querySelector('.published')?.textContent ?? '').trim()));
}

/** Waits until a derived row's figures satisfy `accept`; returns them. */
function waitForFigures(app, result, what, accept) {
  return app.waitFor(what, () => gapFigures(app, result), accept);
}

/** The parts of a chart figure a reader and a screen reader get. */
async function chartParts(app, testId) {
  const chart = app.get(testId);
  assert.equal(await chart.count(), 1, `one ${testId}`);
  const svg = chart.locator('svg');
  assert.equal(await svg.count(), 1, `${testId} holds one inline svg`);
  const text = async (loc) => ((await loc.count()) === 1 ? ((await loc.textContent()) ?? '').trim() : null);
  return {
    chart,
    svg,
    role: await svg.getAttribute('role'),
    title: await text(svg.locator(':scope > title')),
    desc: await text(svg.locator(':scope > desc')),
    caption: await text(chart.locator('figcaption')),
  };
}

/** Opens the page (demo schedule and forecast) and the Funding gap view. */
async function openGap(app) {
  await app.open();
  await app.waitForGrandTotal(DEMO.all);
  await app.showTab('gap');
  await app.waitFor('the gap table', () => app.count('gap-table'), (n) => n === 1);
}

test('the forecast that opens beside the demo checks out, and its bridge shows the chosen year', async (t) =>
  withApp(t, async (app) => {
    await openGap(app);
    const heading = await app.get('gap-view').locator('h2').first().textContent();
    assert.ok(heading.includes(FORECAST.title), `the gap view heading ${JSON.stringify(heading)} names ${FORECAST.title}`);
    assert.equal(await app.text('gap-checks'), FORECAST.checks, 'gap-checks');
    assert.deepEqual(await gapYears(app), FORECAST.years, 'gap-table year headers');
    assert.ok((await app.count('gap-input-row')) >= 1, 'the forecast rows are listed with their roles');
    assert.equal(await app.count('gap-role'), await app.count('gap-input-row'), 'one gap-role select per input row');
    assert.equal(await app.get('gap-feed').isChecked(), false, 'the savings schedule is not fed at first');
    assert.equal(await gapRow(app, 'fed_savings').count(), 0, 'no fed_savings row while nothing is fed');

    assert.deepEqual(await gapFigures(app, 'requirement'), FORECAST.requirement, 'requirement (the Net Forecast)');
    assert.deepEqual(
      await publishedNotes(app, 'requirement'),
      FORECAST.requirement.map((f) => `published ${f} ✓`),
      'each requirement cell carries the published Net Forecast, agreeing',
    );
    assert.deepEqual(await gapFigures(app, 'gap_after_reserves'), FORECAST.gapAfterReserves, 'gap_after_reserves (the Funding Support)');

    // The bridge opens on the last year, 2020/21.
    assert.equal(await app.get('bridge-year').inputValue(), '4', 'bridge-year defaults to the last year (index 4)');
    const last = await chartParts(app, 'bridge-chart');
    assert.equal(last.role, 'img', 'the bridge svg has role="img"');
    assert.ok(last.title?.includes('2020/21'), `the bridge title names 2020/21: ${JSON.stringify(last.title)}`);
    assert.match(last.desc ?? '', /gap after reserves 7\.492/i, 'the bridge desc gives the 2020/21 gap after reserves');
    assert.match(last.caption ?? '', /gap after reserves 7\.492/i, 'the bridge figcaption gives the 2020/21 gap after reserves');

    await app.choose('bridge-year', '1');
    const caption = await app.waitFor(
      'the bridge figcaption to give the 2017/18 gap after reserves, 9.677',
      async () => (await chartParts(app, 'bridge-chart')).caption,
      (c) => /gap after reserves 9\.677/i.test(c ?? ''),
    );
    assert.ok(caption.includes('2017/18'), `the figcaption names 2017/18: ${JSON.stringify(caption)}`);
    const y1718 = await chartParts(app, 'bridge-chart');
    assert.ok(y1718.title?.includes('2017/18'), `the bridge title names 2017/18: ${JSON.stringify(y1718.title)}`);
    assert.match(y1718.desc ?? '', /gap after reserves 9\.677/i, 'the bridge desc gives the 2017/18 gap after reserves');
    assert.equal(await app.get('bridge-year').inputValue(), '1', 'bridge-year stays on 2017/18');
  }));

test('feeding the savings schedule closes the gap by its full-year effects, and a changed saving moves it exactly', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await openGap(app);
    const years = await gapYears(app);
    assert.deepEqual(years, FORECAST.years, 'gap-table year headers');
    const unfed = await gapFigures(app, 'gap_after_reserves');
    assert.deepEqual(unfed, FORECAST.gapAfterReserves, 'gap_after_reserves before feeding');

    await app.get('gap-feed').check();
    const fed = await waitForFigures(app, 'fed_savings', 'the fed_savings row to show the schedule', (c) => c.length === years.length);
    assert.equal(await app.get('gap-feed').isChecked(), true, 'gap-feed stays ticked');
    assert.equal(await app.get('gap-feed-profile').inputValue(), 'cumulative', 'fed as full-year effects (cumulative)');
    // The schedule starts in 2017/18: nothing in 2016/17. Its increments 4,886.0 and 10,824.0
    // (£'000) are full-year effects of 4.886 and 15.710 (£m).
    assert.ok(['', '0.000'].includes(fed[0]), `fed_savings 2016/17 is 0.000 or empty: ${JSON.stringify(fed[0])}`);
    assert.equal(fed[1], '4.886', 'fed_savings 2017/18');
    assert.equal(fed[2], '15.710', 'fed_savings 2018/19');

    const gapFed = await gapFigures(app, 'gap_after_reserves');
    assert.equal(gapFed[1], '4.791', 'gap_after_reserves 2017/18 (9.677 − 4.886)');
    // Every year: the gap fed = the gap unfed − the fed savings, exactly.
    for (const [y, year] of years.entries()) {
      const expected = figure(thousandths(unfed[y]) - (fed[y] === '' ? 0n : thousandths(fed[y])));
      assert.equal(gapFed[y], expected, `gap_after_reserves ${year}: ${unfed[y]} − ${fed[y] || '0'}`);
    }
    // The published results are claims about the table as published: feeding never breaks them.
    assert.equal(await app.text('gap-checks'), FORECAST.checks, 'gap-checks with the feed');

    // The demo with Family group conferencing's 2017/18 saving raised by 100.0 (£'000), and its
    // TOTAL SAVING DUE with it, so that the line still reconciles.
    const original = await readFile(DEMO_FILE, 'utf8');
    const before = ',165.0,462.0,627.0,660.0,"1,914.0"';
    const after = ',265.0,462.0,627.0,660.0,"2,014.0"';
    const fgcLine = original.split('\n').filter((l) => l.includes(',2 - Family group conferencing,'));
    assert.equal(fgcLine.length, 1, 'one Family group conferencing line in the demo file');
    assert.ok(fgcLine[0].replace(/\r$/, '').endsWith(before), `its figures are ${before}: ${fgcLine[0]}`);
    assert.equal(original.split(before).length, 2, 'its figures occur once in the file');
    const changed = original.replace(before, after);
    const [was, now] = [parseCsv(original), parseCsv(changed)];
    assert.equal(now.length, was.length, 'the copy has as many rows');
    const differ = now.flatMap((row, r) => row.flatMap((cell, c) => (cell === was[r][c] && row.length === was[r].length ? [] : [[r, c, was[r][c], cell]])));
    assert.deepEqual(
      differ.map(([, c, a, b]) => [c, a, b]),
      [[4, '165.0', '265.0'], [8, '1,914.0', '2,014.0']],
      'only the 2017/18 figure and the line total change, the quoted total still one field',
    );
    assert.ok(now[differ[0][0]].includes('2 - Family group conferencing'), 'on the Family group conferencing row');
    const file = join(tmp, 'cyps-savings-2017-21-fgc.csv');
    await writeFile(file, changed);

    await app.showTab('schedule');
    await app.upload(file);
    await app.waitForGrandTotal('44,077.0');
    assert.equal(await app.message(), '', 'no import message for the changed schedule');
    assert.deepEqual(await app.texts('grand-total-year'), ['4,986.0', ...DEMO.years.slice(1)], 'grand-total-year: 2017/18 up by 100.0');
    const lines = await app.text('checks-lines');
    assert.ok(lines?.includes(`${DEMO.lines} of ${DEMO.lines} line totals ok`), `the changed line still reconciles: ${JSON.stringify(lines)}`);

    await app.showTab('gap');
    assert.equal(await app.get('gap-feed').isChecked(), true, 'the feed stays on with the new schedule');
    const moved = await waitForFigures(app, 'gap_after_reserves', 'gap_after_reserves 2017/18 to read 4.691', (c) => c[1] === '4.691');
    const fedNow = await gapFigures(app, 'fed_savings');
    assert.equal(fedNow[1], '4.986', 'fed_savings 2017/18 with the changed saving');
    for (const [y, year] of years.entries()) {
      // 2016/17 precedes the schedule; from 2017/18 on, the full-year effect is 0.100 higher.
      const shift = y === 0 ? 0n : -100n;
      assert.equal(
        thousandths(moved[y]) - thousandths(gapFed[y]),
        shift,
        `gap_after_reserves ${year} moved by ${figure(shift)}: ${gapFed[y]} → ${moved[y]}`,
      );
      const fedShift = (fedNow[y] === '' ? 0n : thousandths(fedNow[y])) - (fed[y] === '' ? 0n : thousandths(fed[y]));
      assert.equal(fedShift, -shift, `fed_savings ${year} moved by ${figure(-shift)}: ${fed[y]} → ${fedNow[y]}`);
    }
    assert.equal(await app.text('gap-checks'), FORECAST.checks, 'gap-checks with the changed schedule fed');
  }));

test('a funding gap table from the file input opens in the gap view and leaves the schedule', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(FUNDING_GAP.file);
    const heading = await app.waitFor(
      `the gap view heading to name ${FUNDING_GAP.title}`,
      async () => ((await app.get('gap-view').locator('h2').first().textContent({ timeout: 500 })) ?? '').trim(),
      (h) => h.includes(FUNDING_GAP.title),
    );
    assert.ok(heading.includes(FUNDING_GAP.title), 'gap view heading');
    assert.equal(await app.message(), '', 'no import message for the funding gap table');
    assert.deepEqual(await gapYears(app), FUNDING_GAP.years, 'gap-table year headers');

    const checks = await app.text('gap-checks');
    const agree = /^(\d+) of (\d+) published results agree$/.exec(checks ?? '');
    assert.ok(agree && agree[1] === agree[2] && Number(agree[1]) > 0, `gap-checks: every published result agrees: ${JSON.stringify(checks)}`);

    const years = await gapYears(app);
    const before = await gapFigures(app, 'gap_before_reserves');
    for (const [year, expected] of Object.entries(FUNDING_GAP.revised)) {
      assert.equal(before[years.indexOf(year)], expected, `gap_before_reserves ${year} (the revised gap)`);
    }
    // The revised gap is the reported gap plus the changes: a changes row is shown.
    assert.equal(await gapRow(app, 'changes').count(), 1, 'a changes row');

    // The schedule is still the demo.
    const title = await app.title();
    assert.ok(title?.includes(DEMO.title), `schedule-title ${JSON.stringify(title)} still names ${DEMO.title}`);
    await app.showTab('schedule');
    assert.equal(await app.text('grand-total-all'), DEMO.all, 'grand-total-all of the demo');
    assert.deepEqual(await app.texts('grand-total-year'), DEMO.years, 'grand-total-year of the demo');
    assert.equal(await app.unit(), DEMO.unit, 'schedule-unit');
  }));

test('the charts have a text alternative: role, title, description, and the bridge as a table', async (t) =>
  withApp(t, async (app) => {
    await openGap(app);
    for (const testId of ['bridge-chart', 'trend-chart']) {
      const { role, title, desc, caption } = await chartParts(app, testId);
      assert.equal(role, 'img', `${testId}: the svg has role="img"`);
      assert.ok(title, `${testId}: the svg has a non-empty <title>: ${JSON.stringify(title)}`);
      assert.ok(desc, `${testId}: the svg has a non-empty <desc>: ${JSON.stringify(desc)}`);
      assert.ok(caption, `${testId}: a non-empty <figcaption>`);
      // Its accessible name starts with its title (the svg is labelled by its title and desc).
      const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const named = app.get(testId).getByRole('img', { name: new RegExp(`^${escaped}`) });
      assert.equal(await named.count(), 1, `${testId}: the svg is an image whose name starts with ${JSON.stringify(title)}`);
    }
    const trend = await chartParts(app, 'trend-chart');
    assert.ok(trend.desc.includes('2020/21: cumulative 7.492'), `the trend desc gives the 2020/21 cumulative gap: ${JSON.stringify(trend.desc)}`);

    // The bridge: one table row, one bar and one described step per step of the bridge, from
    // the starting gap to the gap after reserves, each running gap the one before plus the step.
    const checkBridge = async (what) => {
      const bridge = await chartParts(app, 'bridge-chart');
      const table = bridge.chart.locator('details table');
      assert.equal(await table.count(), 1, `${what}: the bridge has a table inside a <details>`);
      assert.ok(((await bridge.chart.locator('details > summary').textContent()) ?? '').trim(), `${what}: the <details> has a summary`);
      const rows = await table.locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
      );
      const steps = bridge.desc.split('; ');
      assert.equal(rows.length, steps.length, `${what}: one table row per step described (${JSON.stringify(steps)})`);
      assert.equal(await bridge.svg.locator('rect').count(), rows.length, `${what}: one bar per table row`);
      assert.equal(rows[0][0], 'Starting gap', `${what}: the first step is the starting gap`);
      assert.equal(rows.at(-1)[0], 'Gap after reserves', `${what}: the last step is the gap after reserves`);
      for (const [i, [label]] of rows.entries()) {
        assert.ok(steps[i].startsWith(`${label} `), `${what}: step ${i + 1} is described as ${JSON.stringify(label)}: ${JSON.stringify(steps[i])}`);
      }
      let running = thousandths(rows[0][2]);
      for (const [label, change, gap] of rows.slice(1, -1)) {
        running += thousandths(change);
        assert.equal(gap, figure(running), `${what}: the running gap after ${JSON.stringify(label)}`);
      }
      assert.equal(rows.at(-1)[2], figure(running), `${what}: the gap after reserves is where the steps end`);
      return rows;
    };
    const plain = await checkBridge('2020/21');
    assert.equal(plain.at(-1)[2], '7.492', 'the 2020/21 bridge ends at 7.492');

    // Fed, the schedule's savings are one more step.
    await app.get('gap-feed').check();
    await waitForFigures(app, 'fed_savings', 'the fed_savings row', (c) => c.length === FORECAST.years.length);
    const fed = await checkBridge('2020/21 fed');
    assert.equal(fed.length, plain.length + 1, 'feeding the schedule adds one bridge step');
    assert.ok(fed.some(([label]) => label === 'Savings from the schedule'), 'a "Savings from the schedule" step');
  }));

test('the gap against the year before and the net budget: exact changes, percentages rounded once', async (t) =>
  withApp(t, async (app) => {
    await openGap(app);
    const row = (key) => app.get('gap-change').locator(`[data-testid="gap-change-row"][data-key="${key}"] td`).allTextContents();
    const gaps = FORECAST.gapAfterReserves.map(thousandths);
    // The forecast's Net Budget row (tests/fixtures/cyps-budget-forecast-2016-21.csv) and its
    // savings (Savings / Cost Avoidance, shown negative: savings of 2.276 and so on).
    const budget = ['56.468', '55.017', '53.717', '52.717', '52.717'].map(thousandths);
    const savings = ['0.000', '2.276', '5.190', '8.061', '9.601'].map(thousandths);
    const dash = '–';
    assert.deepEqual(await row('gap_change'), [dash, ...gaps.slice(1).map((g, i) => figure(g - gaps[i]))]);
    assert.deepEqual(await row('gap_change_percent'), [dash, ...gaps.slice(1).map((g, i) => percentText(g - gaps[i], gaps[i]))]);
    assert.deepEqual(await row('savings_share'), savings.map((s, i) => percentText(s, budget[i])));
    assert.deepEqual(await row('gap_share'), gaps.map((g, i) => percentText(g, budget[i])));
    // Worked by hand for one year: 9.677 − 8.027 = 1.650, 1.650 / 8.027 = 20.55…%: 20.6 %.
    assert.equal((await row('gap_change_percent'))[1], '20.6 %');
    assert.equal((await row('gap_change_percent'))[2], '\u22127.7 %');
  }));

test('an MTFS table takes away its funding, not reserves, and shows the remaining gap', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    // Net Budget Requirement − Total Funding (council tax, business rates, grant) = Budget Gap;
    // Budget Gap + Savings proposals = Remaining Gap (£m).
    await app.upload(join(FIXTURES, 'tables', 'mtfs-funding.csv'));
    // The heading names the table by its title row.
    await app.waitFor(
      'the gap view heading to name the MTFS',
      async () => ((await app.get('gap-view').locator('h2').first().textContent({ timeout: 500 })) ?? '').trim(),
      (h) => h.includes('Medium Term Financial Strategy'),
    );
    const roles = {};
    const rows = app.get('gap-table').locator('[data-testid="gap-input-row"]');
    for (let i = 0; i < (await rows.count()); i++) {
      const label = ((await rows.nth(i).locator('th').textContent()) ?? '').trim();
      roles[label] = ((await rows.nth(i).locator('[data-testid="gap-role-text"]').textContent()) ?? '').trim();
    }
    for (const label of ['Council Tax', 'Business Rates', 'Revenue Support Grant']) {
      assert.equal(roles[label], 'Funding', `${label} is funding: ${JSON.stringify(roles)}`);
    }
    assert.ok(!Object.values(roles).includes('Use of reserves'), `no row is read as reserves: ${JSON.stringify(roles)}`);
    assert.equal(roles['Savings proposals'], 'Savings');
    const checks = await app.text('gap-checks');
    const agree = /^(\d+) of (\d+) published results agree$/.exec(checks ?? '');
    assert.ok(agree && agree[1] === agree[2] && Number(agree[1]) > 0, `gap-checks: ${JSON.stringify(checks)}`);
    // The gap before reserves is the remaining gap, worked out here from the file's figures in
    // integer tenths: requirement − funding + savings (savings published in brackets).
    const table = parseCsv(await readFile(join(FIXTURES, 'tables', 'mtfs-funding.csv'), 'utf8'));
    const row = (label) => table.find((r) => r[0] === label).slice(1).map((c) => Math.round(Number(c.replace(/[(),]/g, (m) => (m === '(' ? '-' : ''))) * 10));
    const want = row('Net Budget Requirement').map((v, y) => v - row('Total Funding')[y] + row('Savings proposals')[y]);
    const shown = (await gapFigures(app, 'gap_before_reserves')).map((s) => Math.round(Number(s.replace(/[(),]/g, (m) => (m === '(' ? '-' : ''))) * 10));
    assert.deepEqual(shown, want, 'gap before reserves = the remaining gap');
    assert.deepEqual(want, [157, 167, 187, 209], 'the independent sums');
  }));
