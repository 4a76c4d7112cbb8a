// Reserves, as a user does it and reads it off the screen: in the Funding gap view of the forecast
// that opens beside the demo schedule (cyps-budget-forecast-2016-21, £m), a reserve is added with
// an opening balance chosen from the gap on screen and marked to close the gap; the year it is
// exhausted, the first year the gap cannot be closed and the first year the total falls below a
// minimum are read from the page and checked against the same years worked out here, from the gap
// table's figures, in exact integer thousandths (BigInt), never in floating point. A bad entry is
// refused with a message and the previous value kept; a reload keeps the reserve; a scenario that
// stops reserves closing the gap, or changes a drawdown, changes the scenario's figures only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO, RESULTS, figure, parseCsv, setupSuite, thousandths, unzip } from './support.mjs';

const withApp = setupSuite();

/**
 * One reserve drawn down to zero to close each year's gap (the rules of the README's Reserves
 * paragraph: each year's positive gap drawn again, since reserves do not recur; never below
 * zero): the closing balance per year, and the year indexes it is exhausted, falls below
 * `minimum` and first leaves part of the gap unclosed (null when it does not).
 */
function drawDown(opening, gaps, minimum) {
  let balance = opening;
  const out = { closing: [], exhausted: null, below: null, unclosed: null };
  gaps.forEach((gap, i) => {
    const need = gap > 0n ? gap : 0n;
    const drawn = need < balance ? need : balance;
    balance -= drawn;
    out.closing.push(balance);
    if (balance === 0n && out.exhausted === null) out.exhausted = i;
    if (minimum !== null && balance < minimum && out.below === null) out.below = i;
    if (need > drawn && out.unclosed === null) out.unclosed = i;
  });
  return out;
}

/** The year headers of the gap table, in column order. */
async function gapYears(app) {
  const headers = (await app.get('gap-table').locator('thead th').allTextContents()).map((s) => s.trim());
  return headers.filter((h) => /^20\d\d\/\d\d$/.test(h));
}

/** The gap after reserves per year, as the gap table shows it (without the published notes). */
async function gapAfterReserves(app) {
  return app
    .get('gap-table')
    .locator('[data-testid="gap-row"][data-result="gap_after_reserves"] [data-testid="gap-cell"]')
    .evaluateAll((cells) =>
      cells.map((td) => {
        const copy = td.cloneNode(true);
        for (const note of copy.querySelectorAll('.published')) note.remove();
        return copy.textContent.trim();
      }),
    );
}

/** The cells of one row of a reserves table (`reserve` an id or "total", `line` e.g. "closing"). */
function reservesCells(app, table, reserve, line) {
  return app.get(table).locator(`[data-testid="reserves-row"][data-reserve="${reserve}"][data-line="${line}"] [data-testid="reserves-cell"]`).allTextContents();
}

/** The financial year a sentence names (the first `2017/18` in it), or null. */
function yearIn(text) {
  return /\b(20\d\d\/\d\d)\b/.exec(text ?? '')?.[1] ?? null;
}

/** Types into a field and leaves it with Tab, as a user does: the field's change is then read. */
async function enter(locator, text) {
  await locator.fill(text);
  await locator.press('Tab');
}

/** Opens the page (demo schedule and forecast) and the Funding gap view. */
async function openGap(app) {
  await app.open();
  await app.waitForGrandTotal(DEMO.all);
  await app.showTab('gap');
  await app.waitFor('the gap table', () => app.count('gap-table'), (n) => n === 1);
  await app.get('reserves-section').waitFor();
}

test('a reserve drawn to close the gap is exhausted, and falls below its minimum, in the years worked out from the gap on screen; a reload keeps it', async (t) =>
  withApp(t, async (app) => {
    await openGap(app);
    const years = await gapYears(app);
    const gaps = (await gapAfterReserves(app)).map(thousandths);
    assert.equal(gaps.length, years.length, 'one gap after reserves per year');
    assert.ok(gaps.length >= 3 && gaps.slice(0, 3).every((g) => g > 1000n), `the first three gaps are over 1.000: ${gaps.map(figure)}`);
    assert.equal(await app.count('reserve-editor'), 0, 'the forecast opens with no reserves');

    // An opening balance that covers the first two years' gaps and 1.000 of the third's.
    const opening = gaps[0] + gaps[1] + 1000n;
    // A minimum that the balance left after the first year still meets, the one after the second does not.
    const minimum = gaps[1];
    const expected = drawDown(opening, gaps, minimum);
    assert.notEqual(expected.exhausted, null, 'the worked example runs the reserve out');

    await app.get('reserve-new-name').fill('Test reserve');
    await app.get('reserve-new-opening').fill(figure(opening));
    assert.equal(await app.get('reserve-new-gap').isChecked(), true, 'a new reserve is used to close the gap unless unticked');
    await app.get('reserve-add').click();
    await app.waitFor('the reserve editor', () => app.count('reserve-editor'), (n) => n === 1);
    const editor = app.get('reserve-editor');
    const id = await editor.getAttribute('data-reserve');
    assert.equal(await app.within(editor, 'reserve-name').inputValue(), 'Test reserve');
    assert.equal(await app.within(editor, 'reserve-order').inputValue(), '1', 'drawn 1st to close the gap');
    assert.equal(await app.within(editor, 'reserve-contribution').count(), years.length, 'one contribution input per year');
    assert.equal(await app.within(editor, 'reserve-drawdown').count(), years.length, 'one planned drawdown input per year');

    // Exhaustion and the first year the gap is not closed, in words and in the table.
    const exhausted = await app.waitFor('the exhaustion sentence to name a year', () => app.text('reserves-exhausted'), (s) => yearIn(s) !== null);
    assert.equal(yearIn(exhausted), years[expected.exhausted], `reserves-exhausted: ${exhausted}`);
    assert.equal(await app.get('reserves-exhausted').getAttribute('data-year'), years[expected.exhausted]);
    assert.equal(yearIn(await app.text('reserves-gap-unclosed')), years[expected.unclosed], 'the first year the gap cannot be closed');
    const closing = await reservesCells(app, 'reserves-table', 'total', 'closing');
    assert.deepEqual(
      closing.map((c) => c.trim().split(' ')[0]),
      expected.closing.map(figure),
      'the total closing balance per year is the one worked out by hand',
    );
    assert.match(closing[expected.exhausted], /exhausted/, 'the exhaustion year says so in its cell');
    assert.match(await app.text('reserves-below-minimum'), /No minimum level is set/);

    // The trend chart names the year in the chart and in its text alternative.
    const desc = (await app.get('trend-chart').locator('svg > desc').textContent()) ?? '';
    assert.ok(desc.includes(`${years[expected.exhausted]}: `) && /reserves exhausted/.test(desc), `trend desc marks the exhaustion year: ${desc}`);
    assert.ok((await app.count('trend-reserves-mark')) >= 1, 'a mark drawn in the trend chart');
    await app.choose('bridge-year', String(expected.exhausted));
    await app.waitFor('the bridge to mark the exhaustion year', () => app.text('bridge-reserves-mark'), (s) => (s ?? '').includes('reserves exhausted'));
    assert.ok((await app.text('bridge-reserves-mark')).includes(years[expected.exhausted]));

    // A bad entry: refused, said what and where, the previous value kept.
    const openingInput = app.within(editor, 'reserve-opening');
    const before = await openingInput.inputValue();
    await enter(openingInput, '12..5');
    const message = await app.waitFor('the message', () => app.text('reserves-message'), (m) => m !== null);
    assert.ok(message.includes('opening balance of Test reserve') && message.includes('`12..5` is not an amount'), message);
    assert.equal(await openingInput.inputValue(), before, 'the field shows the value kept');
    assert.equal(yearIn(await app.text('reserves-exhausted')), years[expected.exhausted], 'the figures are unchanged');

    // A total minimum: the first year the closing balance is below it.
    await enter(app.get('reserves-total-minimum'), figure(minimum));
    const below = await app.waitFor('the minimum sentence to name a year', () => app.text('reserves-below-minimum'), (s) => yearIn(s) !== null);
    assert.notEqual(expected.below, null);
    assert.equal(yearIn(below), years[expected.below], `reserves-below-minimum: ${below}`);
    const minCells = await reservesCells(app, 'reserves-table', 'total', 'minimum');
    assert.deepEqual(minCells.map((c) => c.trim()), years.map(() => figure(minimum)), 'the total minimum per year');
    const closingNow = await reservesCells(app, 'reserves-table', 'total', 'closing');
    assert.match(closingNow[expected.below], /below minimum/, 'the breach year says so in words');
    assert.doesNotMatch(closingNow[0], /below minimum/, 'the first year is not below');

    await mkdir(RESULTS, { recursive: true });
    await app.page.screenshot({ path: join(RESULTS, 'reserves-gap-view.png'), fullPage: true });
    await app.get('reserves-section').screenshot({ path: join(RESULTS, 'reserves-section.png') });
    await app.get('trend-chart').screenshot({ path: join(RESULTS, 'reserves-trend-chart.png') });

    // Saved: a reload keeps the reserve and its figures.
    await app.page.waitForTimeout(500);
    await app.page.reload();
    await app.waitUntilReady();
    await app.showTab('gap');
    await app.get('reserves-section').waitFor();
    await app.waitFor('the reserve after the reload', () => app.count('reserve-editor'), (n) => n === 1);
    assert.equal(await app.get('reserve-editor').getAttribute('data-reserve'), id);
    assert.equal(await app.get('reserve-name').inputValue(), 'Test reserve');
    assert.equal(thousandths(await app.get('reserve-opening').inputValue()), opening);
    assert.equal(thousandths(await app.get('reserves-total-minimum').inputValue()), minimum);
    assert.equal(yearIn(await app.text('reserves-exhausted')), years[expected.exhausted], 'exhausted in the same year after the reload');
    assert.equal(yearIn(await app.text('reserves-below-minimum')), years[expected.below], 'below the minimum in the same year after the reload');
  }));

test("a scenario that doesn't use reserves to close the gap, or changes a drawdown, changes the scenario's reserves only", async (t) =>
  withApp(t, async (app) => {
    await openGap(app);
    const years = await gapYears(app);
    const gaps = (await gapAfterReserves(app)).map(thousandths);
    const opening = gaps[0] + gaps[1] + 1000n;
    await app.get('reserve-new-name').fill('General fund');
    await app.get('reserve-new-opening').fill(figure(opening));
    await app.get('reserve-add').click();
    await app.waitFor('the reserve editor', () => app.count('reserve-editor'), (n) => n === 1);
    const id = await app.get('reserve-editor').getAttribute('data-reserve');
    const baseline = drawDown(opening, gaps, null);
    await app.waitFor('the baseline exhaustion year', () => app.text('reserves-exhausted'), (s) => yearIn(s) === years[baseline.exhausted]);

    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('scenario-reserves-plan').waitFor();
    // Before any change the scenario's reserves are the baseline's.
    await app.waitFor('the scenario exhaustion year', () => app.text('scenario-reserves-exhausted'), (s) => yearIn(s) === years[baseline.exhausted]);

    // No reserves for the gap: the balance is never drawn; the first positive gap is unclosed.
    await app.get('scenario-no-gap-draws').check();
    await app.waitFor('the scenario to leave the reserve untouched', () => app.text('scenario-reserves-exhausted'), (s) => /not exhausted/.test(s ?? ''));
    const untouched = await reservesCells(app, 'scenario-reserves-table', id, 'closing');
    assert.deepEqual(untouched.map((c) => c.trim()), years.map(() => figure(opening)), 'the closing balance stays at the opening balance');
    const firstGap = gaps.findIndex((g) => g > 0n);
    assert.equal(yearIn(await app.text('scenario-reserves-gap-unclosed')), years[firstGap]);

    // A planned drawdown in the first year in place of the plan's (none): the balance falls by it.
    const draw = 1500n;
    await enter(app.get('scenario-reserve-drawdown').first(), figure(draw));
    await app.waitFor('the scenario drawdown to be taken', () => reservesCells(app, 'scenario-reserves-table', id, 'closing'), (c) => c[0]?.trim() === figure(opening - draw));
    assert.equal((await reservesCells(app, 'scenario-reserves-table', id, 'planned'))[0].trim(), figure(draw));

    // The baseline is unchanged.
    await app.showTab('gap');
    await app.get('reserves-section').waitFor();
    assert.equal(yearIn(await app.text('reserves-exhausted')), years[baseline.exhausted], 'the baseline still draws its reserve');
    assert.equal((await reservesCells(app, 'reserves-table', id, 'planned'))[0].trim(), figure(0n));
  }));

test('one gap after reserves: the gap table, the plan, the schedule summary, the bridge, the trend chart, the comparison and the exported gap agree', async (t) =>
  withApp(t, async (app) => {
    await openGap(app);
    const years = await gapYears(app);
    const before = (await gapAfterReserves(app)).map(thousandths);
    assert.ok(before.length >= 3 && before.slice(0, 3).every((g) => g > 1000n), `the first three gaps are over 1.000: ${before.map(figure)}`);

    // A reserve that covers the first two years' gaps and 1.000 of the third's: that year the gap
    // after reserves is the gap before less the 1.000 drawn, and every view must say so.
    const y = 2;
    const opening = before[0] + before[1] + 1000n;
    const expected = before[y] - 1000n;
    await app.get('reserve-new-name').fill('General fund');
    await app.get('reserve-new-opening').fill(figure(opening));
    await app.get('reserve-add').click();
    await app.waitFor('the reserve editor', () => app.count('reserve-editor'), (n) => n === 1);
    const id = await app.get('reserve-editor').getAttribute('data-reserve');

    // The gap table: the gap after reserves, and the reserve's own row of drawdowns.
    const after = await app.waitFor(`the gap after reserves of ${years[y]} to be ${figure(expected)}`, () => gapAfterReserves(app), (c) => c[y] === figure(expected));
    assert.deepEqual(after.slice(0, 2), [figure(0n), figure(0n)], 'the first two years are closed by the reserve');
    assert.deepEqual(after.slice(y + 1), before.slice(y + 1).map(figure), 'the reserve is exhausted: later years keep their gap');
    const drawnCells = await app
      .get('gap-table')
      .locator(`[data-testid="gap-row"][data-result="plan_draw"][data-reserve="${id}"] [data-testid="gap-cell"]`)
      .allTextContents();
    assert.deepEqual(drawnCells.map((c) => c.trim()).slice(0, 3), [before[0], before[1], 1000n].map(figure), 'drawn from the reserve, year by year');

    // The plan's own table: the gap after reserves row.
    const planAfter = (await reservesCells(app, 'reserves-table', 'total', 'gap-after')).map((c) => c.trim().split(' ')[0]);
    assert.equal(planAfter[y], figure(expected), `the reserves table's gap after reserves, ${years[y]}`);
    assert.deepEqual(planAfter, after, 'the reserves table gives the gap table\'s figures');

    // The bridge of that year: a step named after the reserve, ending at the gap after reserves.
    await app.choose('bridge-year', String(y));
    const bridgeRow = (step, extra = '') => app.get('bridge-chart').locator(`[data-testid="bridge-row"][data-step="${step}"]${extra}`);
    await app.waitFor('the bridge of the year', () => app.get('bridge-chart').locator('svg > title').textContent(), (s) => (s ?? '').includes(years[y]));
    const step = await bridgeRow('reserve', `[data-reserve="${id}"]`).locator('th, td').allTextContents();
    assert.deepEqual(step.map((c) => c.trim()), ['General fund', figure(-1000n), figure(expected)], 'the reserve\'s step in the bridge table');
    const end = await bridgeRow('end').locator('th, td').allTextContents();
    assert.equal(end.map((c) => c.trim())[2], figure(expected), 'the bridge ends at the gap after reserves');
    assert.equal(await app.get('bridge-chart').locator(`[data-testid="bridge-bar"][data-reserve="${id}"]`).count(), 1, 'one bar for the reserve');
    const desc = (await app.get('bridge-chart').locator('svg > desc').textContent()) ?? '';
    assert.ok(desc.includes(`General fund ${figure(-1000n)}`) && desc.includes(`Gap after reserves ${figure(expected)}`), `the bridge's text alternative: ${desc}`);

    // The gap over the years: its table's gap after reserves column.
    assert.equal((await app.texts('trend-gap-after'))[y], figure(expected), 'the trend chart\'s gap after reserves');

    // The exported gap: the CSV's and the JSON's row of the gap after reserves.
    const csv = await app.download('gap-export-csv');
    const rows = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
    assert.equal(rows[0][y + 1], years[y], 'the CSV\'s year columns');
    const csvAfter = rows.find((r) => r[0] === 'Gap after reserves');
    assert.ok(csvAfter, 'a Gap after reserves row in the CSV');
    assert.equal(thousandths(csvAfter[y + 1]), expected, `the CSV's gap after reserves, ${years[y]}: ${csvAfter[y + 1]}`);
    const csvDrawn = rows.find((r) => r[0] === 'Drawn from General fund to close the gap');
    assert.equal(thousandths(csvDrawn[y + 1]), 1000n, 'the CSV\'s row of the reserve drawn');
    const json = JSON.parse((await app.download('gap-export-json')).bytes.toString('utf8'));
    const jsonAfter = json.rows.find((r) => r.key === 'gap_after_reserves');
    assert.equal(thousandths(jsonAfter.values[y]), expected, 'the JSON\'s gap after reserves');
    // The gap's workbook, written by the workbook writer's worker: its sheet and the figure.
    const book = unzip((await app.download('gap-export-xlsx')).bytes);
    assert.match(book.get('xl/workbook.xml').toString('utf8'), /name="Funding gap"/, 'the gap\'s sheet');
    const sheet = book.get('xl/worksheets/sheet1.xml').toString('utf8');
    const cells = [...sheet.matchAll(/<v>([^<]*)<\/v>/g)].map((m) => m[1]);
    assert.ok(cells.includes(String(Number(expected) / 1000)), `the workbook holds the gap after reserves ${expected}: ${cells.join(' ')}`);

    // The schedule's summary of the gap.
    await app.showTab('schedule');
    const summary = await app.waitFor('the schedule summary of the gap', () => app.texts('summary-gap'), (s) => s.length === years.length);
    assert.equal(summary[y], figure(expected), 'the schedule summary\'s gap after reserves');

    // The scenario comparison's baseline gap after reserves.
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    const baseline = await app.waitFor('the comparison of the gap', () => app.texts('gap-baseline'), (c) => c.length === years.length);
    assert.equal(baseline[y], figure(expected), 'the comparison\'s baseline gap after reserves');
  }));
