// Netting, profiles and reconciling, as a user does them and reads them off the screen: the net
// view of the investment appraisals (nets, both paybacks, a memo line), the demo's reversal pairs
// and duplicate references, the schedule shown in another profile with its two totals, and the
// demo reconciled against the appraisals. The expected figures are the published ones
// (docs/domain.md, tests/fixtures/).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO, FIXTURES, setupSuite } from './support.mjs';

const withApp = setupSuite();

/** tests/fixtures/cyps-investment-bids-2016-21.csv: cumulative, £m, costs positive. */
const APPRAISALS = {
  file: join(FIXTURES, 'cyps-investment-bids-2016-21.csv'),
  name: 'cyps-investment-bids-2016-21.csv',
  title: 'cyps-investment-bids-2016-21',
  proposals: 11,
};

/**
 * The figure a cell shows first: a cell whose published figure disagrees also shows
 * "published (0.098) · ✗ error" after its own figure.
 */
function leadingFigure(text) {
  const m = /^\(?-?[\d,]+(?:\.\d+)?\)?/.exec(text.trim());
  return m ? m[0] : text.trim();
}

/** A figure as shown ("1,374.0", "(950.0)") as an exact scaled integer, for sums on screen. */
function exact(text) {
  const m = /^(\()?(-)?([\d,]+)(?:\.(\d+))?\)?$/.exec(text.trim());
  assert.ok(m, `${JSON.stringify(text)} reads as a figure`);
  const scale = (m[4] ?? '').length;
  const units = BigInt(m[3].replaceAll(',', '') + (m[4] ?? ''));
  return { units: m[1] || m[2] ? -units : units, scale };
}

/**
 * Adds the `plus` figures and takes away the `minus` ones, exactly at `scale` decimals; returns
 * the result as the page writes it ("43,881.0", "(950.0)").
 */
function sumText(plus, scale, minus = []) {
  const at = (t) => {
    const { units, scale: s } = exact(t);
    assert.ok(s <= scale, `${t} has at most ${scale} decimals`);
    return units * 10n ** BigInt(scale - s);
  };
  let total = 0n;
  for (const t of plus) total += at(t);
  for (const t of minus) total -= at(t);
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = scale ? `${int}.${digits.slice(-scale)}` : int;
  return neg ? `(${text})` : text;
}

/** Opens the page (demo), loads the appraisals and opens the net view. */
async function openAppraisalNets(app) {
  await app.open();
  await app.waitForGrandTotal(DEMO.all);
  await app.upload(APPRAISALS.file);
  await app.waitFor(`the title to name ${APPRAISALS.title}`, () => app.title(), (t) => t?.includes(APPRAISALS.title));
  assert.equal(await app.message(), '', 'no import message after the appraisals');
  await app.showTab('net');
}

/** The year headers of the net table, in column order. */
async function netYears(app) {
  const headers = (await app.get('net-table').locator('thead th').allTextContents()).map((s) => s.trim());
  return headers.filter((h) => /^20\d\d\/\d\d$/.test(h));
}

/** A schedule line row's year cells (the cells after its label, one per year). */
async function yearCells(app, row) {
  const years = await app.count('grand-total-year');
  return (await row.locator('th ~ td').allTextContents()).slice(0, years).map((s) => s.trim());
}

test('the net view of the appraisals shows each proposal net, both paybacks, and a memo line leaves the net', async (t) =>
  withApp(t, async (app) => {
    await openAppraisalNets(app);
    assert.equal(await app.count('proposal'), APPRAISALS.proposals, 'one proposal group per appraisal');
    const years = await netYears(app);
    assert.deepEqual(years, ['2016/17', '2017/18', '2018/19', '2019/20', '2020/21'], 'net-table year headers');

    // Foster Carer Payments: investment − gross saving, in the file's signs (savings negative).
    const foster = app.proposal('CYPS 1A');
    assert.equal(await foster.count(), 1, 'one proposal with data-ref "CYPS 1A"');
    assert.deepEqual(await app.textsWithin(foster, 'investment-year'), ['0.000', '1.276', '1.718', '2.182', '2.182'], 'CYPS 1A investment-year');
    assert.deepEqual(await app.textsWithin(foster, 'gross-year'), ['0.000', '(1.374)', '(2.660)', '(3.980)', '(3.980)'], 'CYPS 1A gross-year');
    assert.deepEqual(await app.textsWithin(foster, 'net-year'), ['0.000', '(0.098)', '(0.942)', '(1.798)', '(1.798)'], 'CYPS 1A net-year');
    assert.deepEqual(await app.textsWithin(foster, 'cumulative-net-year'), ['0.000', '(0.098)', '(1.040)', '(2.838)', '(4.636)'], 'CYPS 1A cumulative-net-year');
    assert.deepEqual(await app.textsWithin(foster, 'payback-annual'), ['Year 2'], 'CYPS 1A payback-annual');
    assert.deepEqual(await app.textsWithin(foster, 'payback-cumulative'), ['Year 2'], 'CYPS 1A payback-cumulative');

    // The two paybacks differ where the early years cost more than they save.
    const paybacks = async (ref) => {
      const p = app.proposal(ref);
      assert.equal(await p.count(), 1, `one proposal with data-ref ${JSON.stringify(ref)}`);
      return [(await app.textsWithin(p, 'payback-annual'))[0], (await app.textsWithin(p, 'payback-cumulative'))[0]];
    };
    assert.deepEqual(await paybacks('CYPS 2'), ['Year 2', 'Year 3'], 'Family Group Conferencing: payback annual / cumulative');
    assert.deepEqual(await paybacks('CYPS 9'), ['Year 3', 'Year 4'], 'Newly Qualified Social Workers: payback annual / cumulative');
    assert.deepEqual(await paybacks('CYPS 1B'), ['N/A', 'N/A'], 'Therapeutic Service never pays back');
    assert.deepEqual(await app.textsWithin(app.proposal('CYPS 2'), 'net-year'), ['0.100', '(0.001)', '(0.463)', '(1.090)', '(1.750)'], 'CYPS 2 net-year');
    assert.deepEqual(await app.textsWithin(app.proposal('CYPS 9'), 'net-year'), ['0.000', '0.570', '(0.265)', '(0.825)', '(0.825)'], 'CYPS 9 net-year');

    assert.equal(await app.text('checks-paybacks'), '11 of 11 published paybacks agree', 'checks-paybacks');
    const nets = await app.text('checks-nets');
    // Foster Carer's published net total (4.635) is within rounding of the sum of its cells (4.636).
    assert.equal(nets, '10 of 11 published net rows ok (1 within rounding)', 'checks-nets');

    // Open Foster Carer and mark its Investment line memo: the net is then the gross saving alone.
    const toggle = app.within(foster, 'proposal-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'CYPS 1A starts closed');
    assert.equal(await app.within(foster, 'memo-toggle').count(), 0, 'no memo boxes while closed');
    await toggle.click();
    await app.waitFor('CYPS 1A to open', () => app.within(foster, 'proposal-toggle').getAttribute('aria-expanded'), (v) => v === 'true');
    assert.equal(await app.within(foster, 'memo-toggle').count(), 3, 'CYPS 1A shows its three lines, each with a memo box');

    const investmentLine = () => foster.locator('tr', { has: app.get('memo-toggle'), hasText: 'Investment' });
    assert.equal(await investmentLine().count(), 1, 'one Investment line in CYPS 1A');
    const memo = () => app.within(investmentLine(), 'memo-toggle');
    assert.equal(await memo().isChecked(), false, 'the Investment line is not memo at first');
    const y1718 = years.indexOf('2017/18');

    await memo().click();
    const netAfter = await app.waitFor(
      'the CYPS 1A net for 2017/18 to read (1.374)',
      () => app.textsWithin(foster, 'net-year'),
      (cells) => leadingFigure(cells[y1718] ?? '') === '(1.374)',
    );
    assert.deepEqual(netAfter.map(leadingFigure), ['0.000', '(1.374)', '(2.660)', '(3.980)', '(3.980)'], 'CYPS 1A net-year with the investment memo');
    assert.ok(netAfter[y1718].includes('published (0.098)'), `the 2017/18 net cell flags the published (0.098): ${JSON.stringify(netAfter[y1718])}`);
    assert.equal(await memo().isChecked(), true, 'the memo box stays ticked');
    assert.equal(await app.within(foster, 'proposal-toggle').getAttribute('aria-expanded'), 'true', 'CYPS 1A stays open');
    assert.equal(await app.text('checks-nets'), '10 of 11 published net rows ok (1 with errors)', 'checks-nets with the memo');

    await memo().click();
    const netBack = await app.waitFor(
      'the CYPS 1A net for 2017/18 to read (0.098) again',
      () => app.textsWithin(foster, 'net-year'),
      (cells) => cells[y1718] === '(0.098)',
    );
    assert.deepEqual(netBack, ['0.000', '(0.098)', '(0.942)', '(1.798)', '(1.798)'], 'CYPS 1A net-year with the memo removed');
    assert.equal(await memo().isChecked(), false, 'the memo box is clear again');
    assert.equal(await app.text('checks-nets'), nets, 'checks-nets as before');
  }));

test('the demo lists its reversal pairs and duplicated references, and notes them on the lines', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);

    const reversals = await app.texts('reversal');
    assert.equal(reversals.length, 3, `three reversal pairs: ${JSON.stringify(reversals)}`);
    const bsr = reversals.filter((r) => r.includes('Business Support Review'));
    assert.equal(bsr.length, 1, `one reversal names Business Support Review: ${JSON.stringify(reversals)}`);
    const pair = /row (\d+), \(950\.0\), (?:partly )?reverses row (\d+)/.exec(bsr[0]);
    assert.ok(pair, `the Business Support Review reversal names the (950.0) row and the row it reverses: ${JSON.stringify(bsr[0])}`);
    assert.match(bsr[0], /nets to 0\.0$/, 'the pair nets to zero');
    const [, reversalRow, originalRow] = pair;

    const duplicates = await app.texts('duplicate-ref');
    assert.equal(duplicates.length, 8, `eight duplicated references: ${JSON.stringify(duplicates)}`);
    const cyps9 = duplicates.filter((d) => /\bCYPS9\b/.test(d));
    assert.equal(cyps9.length, 1, 'one duplicate-ref item names CYPS9');
    assert.ok(cyps9[0].includes('Newly Qualified Social Workers') && cyps9[0].includes('Edge of Care Interventions'), `CYPS9 names both its lines: ${cyps9[0]}`);

    // The (950.0) reversal line in the table: Business Support Review, (200.0) and (750.0).
    const table = app.get('schedule-table');
    const reversal = table.locator(`#row-${reversalRow}`);
    assert.equal(await reversal.count(), 1, `the table has #row-${reversalRow}`);
    assert.ok((await reversal.locator('th').first().textContent()).includes('Business Support Review'), `#row-${reversalRow} is Business Support Review`);
    assert.deepEqual(await yearCells(app, reversal), ['0.0', '(200.0)', '(750.0)', '0.0'], `#row-${reversalRow} year cells`);
    const notes = await app.textsWithin(reversal, 'note-reversal');
    assert.equal(notes.length, 1, `#row-${reversalRow} carries a note-reversal`);
    assert.ok(notes[0].includes(`row ${originalRow}`), `the note names row ${originalRow}: ${notes[0]}`);
    const original = table.locator(`#row-${originalRow}`);
    assert.deepEqual(await yearCells(app, original), ['0.0', '200.0', '750.0', '0.0'], `#row-${originalRow} year cells`);
    assert.ok((await app.textsWithin(original, 'note-reversal')).some((n) => n.includes(`row ${reversalRow}`)), `#row-${originalRow} notes it is reversed by row ${reversalRow}`);

    // Both CYPS9 lines carry a note-duplicate.
    for (const row of cyps9[0].matchAll(/row (\d+)/g)) {
      const line = table.locator(`#row-${row[1]}`);
      const dup = await app.textsWithin(line, 'note-duplicate');
      assert.ok(dup.some((n) => n.includes('CYPS9')), `#row-${row[1]} carries a note-duplicate naming CYPS9: ${JSON.stringify(dup)}`);
    }
  }));

test('the demo shows both profile totals and converts its table to the cumulative profile and back', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    assert.equal(await app.get('own-profile').inputValue(), 'incremental', 'the demo reads as incremental');
    assert.equal(await app.get('shown-profile').inputValue(), 'published', 'shown as published at first');

    const fye = await app.text('fye-total');
    const period = await app.text('period-total');
    assert.ok(fye && period, `fye-total ${JSON.stringify(fye)} and period-total ${JSON.stringify(period)} are shown`);
    const all = await app.text('grand-total-all');
    assert.equal(all, DEMO.all, 'grand-total-all');

    // Incremental: the final year's full-year effect is every increment added up, except one-off
    // savings, which count only in their year (domain.md, "Profiles"). The demo's one-offs are
    // the four "One-off savings to be achieved in year" lines of 2018/19.
    const table = app.get('schedule-table');
    const oneOffs = table.locator('tr[id^="row-"]', { hasText: 'One-off savings to be achieved in year' });
    assert.equal(await oneOffs.count(), 4, 'four one-off lines');
    const oneOffCells = [];
    for (const row of await oneOffs.all()) oneOffCells.push(...(await yearCells(app, row)));
    const recurringTotal = sumText([all], 1, oneOffCells);
    assert.equal(recurringTotal, '43,881.0', 'the grand total less the one-off lines (43,977.0 − 96.0)');
    assert.equal(fye, recurringTotal, 'fye-total: the grand total over all years less the one-off savings');

    // Family Group Conferencing, as published (incremental).
    const fgc = table.locator('tr[id^="row-"]', { hasText: '2 - Family group conferencing' });
    assert.equal(await fgc.count(), 1, 'one Family group conferencing line');
    assert.equal(await fgc.getAttribute('id'), 'row-31', 'the line is file row 31 (counting from 1, as a spreadsheet does)');
    const published = ['165.0', '462.0', '627.0', '660.0'];
    assert.deepEqual(await yearCells(app, fgc), published, 'Family group conferencing as published');

    // Converted to cumulative: full-year effects; the two totals stay, and the table's own
    // totals now restate them (the last year's total is the full-year effect, the sum over the
    // years is the cash over the period).
    await app.choose('shown-profile', 'cumulative');
    const cumulative = ['165.0', '627.0', '1,254.0', '1,914.0'];
    await app.waitFor('Family group conferencing to read cumulatively', () => yearCells(app, table.locator('#row-31')), (c) => c.join() === cumulative.join());
    assert.equal(await app.get('own-profile').inputValue(), 'incremental', 'the file still reads as incremental');
    assert.equal(await app.text('fye-total'), fye, 'fye-total does not change with the view');
    assert.equal(await app.text('period-total'), period, 'period-total does not change with the view');
    const cumulativeYears = await app.texts('grand-total-year');
    assert.equal(cumulativeYears.at(-1), fye, 'the cumulative view’s last year total is fye-total');
    assert.equal(await app.text('grand-total-all'), period, 'the cumulative view’s grand total is period-total');
    assert.equal(sumText(cumulativeYears, 1), period, 'period-total is the sum of the cumulative year totals');
    // The one-offs count only in their year.
    for (const row of await oneOffs.all()) {
      const cells = await yearCells(app, row);
      assert.equal(cells[3], '0.0', `a one-off line has no effect in 2020/21: ${JSON.stringify(cells)}`);
    }

    await app.choose('shown-profile', 'published');
    await app.waitFor('Family group conferencing to read as published', () => yearCells(app, table.locator('#row-31')), (c) => c.join() === published.join());
    assert.deepEqual(await app.texts('grand-total-year'), DEMO.years, 'grand-total-year as published again');
    assert.equal(await app.text('grand-total-all'), DEMO.all, 'grand-total-all as published again');
  }));

test('reconciling the demo with the appraisals matches Foster Carer Payments year by year', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('reconcile');
    await app.reconcileWith(APPRAISALS.file);
    const summary = await app.waitFor('reconcile-summary', () => app.text('reconcile-summary'), (s) => !!s);
    assert.equal(await app.count('reconcile-message'), 0, 'no reconcile-message');

    // The demo (incremental, £'000, savings positive) against the appraisals (cumulative, £m,
    // savings negative): compared as full-year effects in £'000, savings positive. Foster Carer:
    // incremental 1,374.0, 1,286.0, 1,320.0, 0.0 ⇔ gross savings (1.374), (2.660), (3.980), (3.980) £m.
    const foster = app.page.locator('[data-testid="reconcile-row"][data-key="CYPS1A"]');
    assert.equal(await foster.count(), 1, 'one reconcile-row with data-key CYPS1A');
    assert.equal((await app.textsWithin(foster, 'reconcile-status'))[0], '✓ match', 'CYPS1A reconcile-status');
    const effects = ['1,374.0', '2,660.0', '3,980.0', '3,980.0'];
    assert.deepEqual(await app.textsWithin(foster, 'reconcile-left'), effects, 'CYPS1A reconcile-left (the demo)');
    assert.deepEqual(await app.textsWithin(foster, 'reconcile-right'), effects, 'CYPS1A reconcile-right (the appraisals, in £’000)');

    const fgc = app.page.locator('[data-testid="reconcile-row"][data-key="CYPS2"]', { hasText: 'Family group conferencing' });
    assert.equal(await fgc.count(), 1, 'one CYPS2 row for Family group conferencing');
    assert.equal((await app.textsWithin(fgc, 'reconcile-status'))[0], '✓ match', 'Family group conferencing matches');
    assert.deepEqual(await app.textsWithin(fgc, 'reconcile-left'), ['165.0', '627.0', '1,254.0', '1,914.0'], 'Family group conferencing as full-year effects');

    // The summary counts the rows on screen.
    const statuses = await app.texts('reconcile-status');
    const n = (s) => statuses.filter((x) => x === s).length;
    assert.ok(n('✓ match') >= 1, 'at least one row matches');
    const expected = `${n('✓ match')} match, ${n('≈ within rounding')} within rounding, ${n('✗ different')} different, ${n('only in this schedule')} only in this schedule, ${n('only in the other file')} only in ${APPRAISALS.name}.`;
    assert.equal(summary, expected, 'reconcile-summary counts the rows by status');
    assert.equal(summary, `10 match, 0 within rounding, 0 different, 22 only in this schedule, 1 only in ${APPRAISALS.name}.`, 'reconcile-summary');
  }));

test('a file with 150 duplicated references lists the first 100, and its 300 proposals are drawn 200 first', async (t) =>
  withApp(t, async (app, { tmp }) => {
    // Each reference D1 … D150 on two lines with different names: 150 duplicated references.
    const lines = ['Project,Reference,2024/25,2025/26,Total', ",,£'000,£'000,£'000"];
    for (let i = 1; i <= 150; i += 1) {
      lines.push(`Review of service ${i},D${i},${i}.0,1.0,${i + 1}.0`);
      lines.push(`Other saving ${i},D${i},2.0,${i}.0,${i + 2}.0`);
    }
    const path = join(tmp, 'duplicates.csv');
    await writeFile(path, `${lines.join('\n')}\n`);
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(path);
    // 2024/25: (1 + … + 150) + 150 × 2 = 11,625; 2025/26: 150 × 1 + (1 + … + 150) = 11,475.
    await app.waitForGrandTotal('23,100.0');
    const listed = await app.waitFor('the duplicate references to be listed', () => app.texts('duplicate-ref'), (d) => d.length > 0);
    assert.equal(listed.length, 100, 'the first 100 are listed');
    assert.match(listed[0], /^D1 is used on 2 lines/, `the first is D1: ${listed[0]}`);
    assert.equal(await app.text('more-findings'), '… and 50 more, each noted on its line in the table and in the CSV export');

    // Each (reference, name) is a proposal: 300. The net view draws 200, and the rest on asking.
    await app.showTab('net');
    await app.waitFor('the net view to draw its first proposals', () => app.count('proposal'), (n) => n > 0);
    assert.equal(await app.count('proposal'), 200, 'the first 200 proposals are drawn');
    assert.match(await app.text('net-more'), /^200 of 300 proposals shown\. Show 100 more$/);
    await app.get('net-show-more').click();
    await app.waitFor('every proposal to be drawn', () => app.count('proposal'), (n) => n === 300);
    assert.equal(await app.count('net-more'), 0, 'nothing more to show');
  }));
