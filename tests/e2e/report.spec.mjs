// The Report view (issue 19, "A report to publish"): the file, the checks, the totals by section
// and year, the net by proposal, the gap and the scenario, in reading order; its figures are the
// Schedule view's; printed, it is alone on A4 with no controls.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO, FIXTURES, figure, setupSuite, tenthsText, thousandths } from './support.mjs';

const withApp = setupSuite();

/** The cells of every row of a report table, label first. */
async function reportRows(app, testid) {
  return app.get(testid).locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
}

/** "4,886.0" or "(12.5)" as a BigInt of tenths. */
const tenths = (text) => {
  const neg = text.startsWith('(');
  const v = BigInt(text.replace(/[(),.]/g, ''));
  return neg ? -v : v;
};

test('the Report view has the Schedule view\'s totals and checks and the gap, and prints alone on A4', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const years = await app.texts('grand-total-year');
    const subtotals = await app.text('checks-subtotals');
    await app.showTab('report');
    // The totals table: one row per section, then the grand total, which is the Schedule view's.
    const rows = await reportRows(app, 'report-totals');
    assert.equal(rows.length, DEMO.subtotals + 1, 'a row per section and the grand total');
    const grand = rows.at(-1);
    assert.deepEqual(grand.slice(1), [...years, DEMO.all], 'the grand total as the Schedule view has it');
    // The sections add up, year by year and over the period, to the grand total (worked in BigInt).
    for (let c = 1; c < grand.length; c++) {
      const sum = rows.slice(0, -1).reduce((acc, r) => acc + tenths(r[c]), 0n);
      assert.equal(tenthsText(sum), grand[c], `column ${c}`);
    }
    assert.equal((await app.texts('report-check'))[0], subtotals, 'the checks as the checks panel says them');
    assert.equal(await app.count('report-all-right'), 1, 'nothing wrong in the demo');
    // The gap: its rows and its chart; the demo nets nothing, so no net table.
    const gap = await reportRows(app, 'report-gap');
    assert.ok(gap.some((r) => r[0] === 'Gap after reserves'), 'the gap after reserves');
    await app.page.locator('[data-testid="report"] [data-testid="trend-chart"]').waitFor();

    // Printed: the report alone (with the title), no controls, on A4 portrait.
    await app.page.emulateMedia({ media: 'print' });
    assert.equal(await app.get('report').isVisible(), true);
    assert.equal(await app.get('schedule-title').isVisible(), true);
    for (const id of ['print-report', 'tab-report', 'checks-subtotals', 'fye-total', 'print']) {
      assert.equal(await app.get(id).isVisible(), false, `${id} is not printed`);
    }
    const pdf = (await app.page.pdf({ preferCSSPageSize: true })).toString('latin1');
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
    assert.ok(box, 'a page size in the PDF');
    // A4 is 210 × 297 mm: 595.3 × 841.9 points.
    assert.deepEqual([Math.round(Number(box[1])), Math.round(Number(box[2]))], [595, 842]);
    await app.page.emulateMedia({ media: 'screen' });
  }));

test('the Report view lists a wrong figure with both values, the file\'s checksum, and the scenario looked at', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    const path = join(FIXTURES, 'subtotal-off-by-one.csv');
    await app.upload(path);
    await app.waitForGrandTotal('1,828.0');
    await app.showTab('report');
    // Staffing's 2018/19 subtotal is published as 790.0; its lines add to 300.0 + 489.0 = 789.0.
    const problem = app.get('report-problem').first();
    assert.equal(await problem.getAttribute('data-status'), 'error');
    const cells = (await problem.locator('td, th').allTextContents()).map((s) => s.trim());
    assert.deepEqual(cells.slice(4, 7), ['790.0', '789.0', '1.0'], 'published, computed, difference');
    assert.match(cells[3], /Total Staffing/);
    assert.equal(await app.count('report-all-right'), 0);
    // What the file is: its name and the SHA-256 of its bytes, worked out here.
    const sha = createHash('sha256').update(await readFile(path)).digest('hex');
    const source = (await app.texts('report-source')).join(' ');
    assert.ok(source.includes('subtotal-off-by-one.csv'), source);
    assert.ok(source.includes(sha), `the checksum ${sha} in: ${source}`);
    // A scenario looked at is in the report, with its assumptions in words.
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('scenario-name').waitFor();
    await app.showTab('report');
    await app.get('report-scenario').waitFor();
    const assumptions = await app.get('report-assumptions').textContent();
    assert.match(assumptions, /Savings count at 0 % of their figures when rated red, 50 % amber, 100 % green and 100 % unrated\./);
    const scenario = await reportRows(app, 'report-scenario-table');
    assert.equal(scenario[0][0], 'Baseline grand total');
    assert.equal(scenario[0].at(-1), '1,828.0', 'the baseline is the schedule\'s grand total');
  }));

/** `tenths × base ÷ index` in tenths, rounded half away from zero, worked out in BigInt. */
function real(tenths, base, index) {
  const num = tenths * base;
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + index) / (2n * index);
  return neg ? -q : q;
}

test('real terms: a price index typed in shows the schedule and the report in one year\'s prices, labelled; the key figures stay cash', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    assert.match(await app.text('price-basis'), /cash/);
    const cash = (await app.texts('grand-total-year')).map(tenths);
    await app.reveal('price-index');
    // An index that lacks a year of the schedule converts nothing and says which year.
    await app.get('price-index').fill('Year, GDP deflator\n2018/19, 92\n2019/20, 96\n2020/21, 100\n');
    await app.get('apply-prices').click();
    assert.equal(await app.text('prices-problem'), 'The price index has no figure for 2017/18.');
    assert.deepEqual(await app.texts('grand-total-year'), DEMO.years, 'still cash');
    // With every year: 2020/21 prices (the last year, chosen at first).
    const index = [90n, 92n, 96n, 100n];
    await app.get('price-index').fill('Year, GDP deflator\n2017/18, 90\n2018/19, 92\n2019/20, 96\n2020/21, 100\n');
    await app.get('apply-prices').click();
    const expected = cash.map((c, i) => tenthsText(real(c, 100n, index[i])));
    // By hand (docs/domain.md): 4,886.0 × 100 / 90 = 5,428.9 and so on.
    assert.deepEqual(expected, ['5,428.9', '11,765.2', '19,776.8', '9,281.3']);
    await app.waitFor('the grand totals in real terms', () => app.texts('grand-total-year'), (v) => JSON.stringify(v) === JSON.stringify(expected));
    assert.equal(await app.text('grand-total-all'), '46,252.2', 'the sum of the converted cells, rounded once');
    assert.match(await app.text('price-basis'), /2020\/21 prices \(real terms\)/);
    assert.match(await app.text('settings-chosen'), /real terms, 2020\/21 prices/);
    // The tables of cash figures say so while real terms are shown.
    assert.match(await app.get('totals-change').locator('caption').textContent(), /£'000, cash/);
    // The key figures are the cash figures as published, and say so.
    assert.equal(await app.text('key-total-all'), DEMO.all);
    assert.match(await app.page.locator('.key-grand dt').first().textContent(), /, cash$/);
    // The report: cash totals, then the same totals in real terms, labelled.
    await app.showTab('report');
    assert.match(await app.text('report-real-heading'), /In real terms \(£'000, 2020\/21 prices\)/);
    const realRows = await reportRows(app, 'report-real-totals');
    assert.deepEqual(realRows.at(-1).slice(1), [...expected, '46,252.2']);
    assert.deepEqual((await reportRows(app, 'report-totals')).at(-1).slice(1), [...DEMO.years, DEMO.all]);
    // The demo's gap table starts in 2016/17, which this index lacks: the report says so.
    assert.equal(await app.text('report-real-problem'), 'The price index has no figure for 2016/17.');
    // The gap view converts the years it can: each gap after reserves × 100 ÷ its year's index.
    const gapCash = (await reportRows(app, 'report-gap')).find((r) => r[0] === 'Gap after reserves').slice(1);
    await app.showTab('gap');
    const gapReal = await app.get('gap-change').locator('[data-testid="gap-change-row"][data-key="gap_real"] td').allTextContents();
    assert.deepEqual(gapReal, ['no index', ...gapCash.slice(1).map((c, i) => figure(real(thousandths(c), 100n, index[i])))]);
    // The prices chosen are saved with the work: after a reload the schedule is in the same
    // prices, and the index shows as it was read.
    await app.showTab('schedule');
    await app.waitForText('save-status', '✓ Saved in this browser');
    await app.page.reload();
    await app.waitFor('the grand totals in real terms after a reload', () => app.texts('grand-total-year'), (v) => JSON.stringify(v) === JSON.stringify(expected));
    assert.match(await app.text('price-basis'), /2020\/21 prices \(real terms\)/);
    await app.reveal('price-index');
    assert.equal(await app.get('price-index').inputValue(), '2017/18, 90\n2018/19, 92\n2019/20, 96\n2020/21, 100');
    // A link made now carries the prices: opened over work in cash, it shows real terms.
    await app.get('copy-link').click();
    await app.get('share-link').waitFor();
    const url = await app.get('share-link').inputValue();
    await app.get('show-cash').click();
    await app.waitForGrandTotal(DEMO.all);
    await app.waitForText('save-status', '✓ Saved in this browser');
    await app.page.goto(url);
    await app.waitFor('the grand totals in real terms from the link', () => app.texts('grand-total-year'), (v) => JSON.stringify(v) === JSON.stringify(expected));
    assert.match(await app.text('price-basis'), /2020\/21 prices \(real terms\)/);
    // Back to cash, which is saved too.
    await app.reveal('show-cash');
    await app.get('show-cash').click();
    await app.waitForGrandTotal(DEMO.all);
    assert.deepEqual(await app.texts('grand-total-year'), DEMO.years);
    await app.waitForText('save-status', '✓ Saved in this browser');
    await app.page.reload();
    await app.waitForGrandTotal(DEMO.all);
    assert.match(await app.text('price-basis'), /cash/);
  }));
