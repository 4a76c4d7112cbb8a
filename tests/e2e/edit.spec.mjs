// Editing the schedule as in a spreadsheet, undoing it, finding it again after a reload, and a
// scenario with amber savings at 50 % compared with the baseline (totals and net) — all read
// from the screen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setupSuite, openUnratedDemo } from './support.mjs';

const withApp = setupSuite();

/** The year cells of the table row of file row `row` (after its label), as shown. */
async function yearTexts(app, row) {
  const cells = app.page.locator(`#row-${row} td[data-year]`);
  return (await cells.allTextContents()).map((s) => s.trim());
}

test('a cell edited with the keyboard changes the totals, and undo and redo take it back and forth', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    // Row 4 is 9 - Appointment of Newly Qualified Social Workers: 330.0, 385.0, 110.0, 0.0.
    assert.deepEqual(await yearTexts(app, 4), ['330.0', '385.0', '110.0', '0.0'], 'row 4 as published');

    // Click a cell, then the keyboard: arrows move, typing replaces, Enter keeps and moves down.
    await app.page.locator('#row-4 td[data-year="0"]').click();
    await app.page.keyboard.press('ArrowRight');
    await app.page.keyboard.type('1,385.0');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('44,977.0');
    assert.deepEqual(await yearTexts(app, 4), ['330.0', '1,385.0', '110.0', '0.0'], 'row 4 after the edit');
    const { years } = await app.grandTotals();
    assert.equal(years[1], '11,824.0', '2018/19 grand total moved by exactly 1,000.0');
    // The published total of the line no longer agrees, and the checks say so.
    assert.match(await app.text('checks-lines'), /63 of 64 line totals ok/, 'checks-lines after the edit');

    // Enter moved the active cell down to row 5; an invalid entry is refused and the old value kept.
    await app.page.keyboard.type('aa');
    await app.page.keyboard.press('Enter');
    await app.get('edit-message').waitFor();
    assert.match(await app.text('edit-message'), /`aa` is not an amount; the cell keeps its value/, 'edit-message');
    await app.page.keyboard.press('Escape');
    assert.deepEqual(await yearTexts(app, 5), ['0.0', '300.0', '300.0', '0.0'], 'row 5 kept its figures');
    assert.equal((await app.grandTotals()).all, '44,977.0', 'the refused entry changed nothing');

    // Undo with the keyboard, then redo with the button.
    await app.page.keyboard.press('Control+z');
    await app.waitForGrandTotal(DEMO.all);
    assert.deepEqual(await yearTexts(app, 4), ['330.0', '385.0', '110.0', '0.0'], 'row 4 after undo');
    await app.get('redo').click();
    await app.waitForGrandTotal('44,977.0');
    assert.deepEqual(await yearTexts(app, 4), ['330.0', '1,385.0', '110.0', '0.0'], 'row 4 after redo');
  }));

test('edits are saved in the browser and are there after a reload', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.page.locator('#row-31 td[data-year="3"]').click();
    await app.page.keyboard.press('Enter');
    const input = app.get('cell-input');
    await input.waitFor();
    assert.equal(await input.inputValue(), '660.0', 'Enter opens the editor on the cell text');
    await input.fill('(40.0)');
    await app.page.keyboard.press('Tab');
    await app.waitForGrandTotal('43,277.0');
    // Saved a moment after the last change.
    await app.waitForText('save-status', '✓ Saved in this browser');

    await app.page.reload();
    await app.waitForGrandTotal('43,277.0');
    assert.deepEqual(await yearTexts(app, 31), ['165.0', '462.0', '627.0', '(40.0)'], 'row 31 after the reload');

    // An edit followed at once by a reload, before the moment has passed, is kept too: leaving
    // the page saves what is waiting.
    await app.page.locator('#row-31 td[data-year="0"]').click();
    await app.page.keyboard.type('170.0');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('43,282.0');
    await app.waitForGrandTotal('43,282.0');
    assert.deepEqual(await yearTexts(app, 31), ['170.0', '462.0', '627.0', '(40.0)'], 'row 31 after the second reload');
  }));

test('a scenario with amber at 50 % shows the difference from the baseline', async (t) =>
  withApp(t, async (app) => {
    // The demo's file, unrated, so that only the line rated here is amber.
    await openUnratedDemo(app);
    // Rate Family Group Conferencing (row 31: 165.0, 462.0, 627.0, 660.0) amber.
    await app.page.locator('#row-31 [data-testid="rag-select"]').selectOption('Amber');
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('comparison').waitFor();
    assert.equal(await app.get('rate-amber').inputValue(), '50', 'amber achieved defaults to 50 %');
    // Half of each amber figure is not achieved: (82.5), (231.0), (313.5), (330.0).
    assert.deepEqual(await app.texts('comparison-difference'), ['(82.5)', '(231.0)', '(313.5)', '(330.0)', '(957.0)'], 'comparison-difference');
    assert.deepEqual(await app.texts('comparison-baseline'), [...DEMO.years, DEMO.all], 'the baseline is the schedule');
    // The net counts full-year effects: the running sum of the year totals, the four 2018/19
    // one-offs (96.0) only in their year. Row 31's full-year effects 165.0, 627.0, 1,254.0,
    // 1,914.0 lose half; over the period 82.5 + 313.5 + 627.0 + 957.0 = 1,980.0.
    assert.deepEqual(await app.texts('comparison-net-baseline'), ['4,886.0', '15,710.0', '34,599.7', '43,881.0', '99,076.7'], 'comparison-net-baseline');
    assert.deepEqual(await app.texts('comparison-net-difference'), ['(82.5)', '(313.5)', '(627.0)', '(957.0)', '(1,980.0)'], 'comparison-net-difference');
    assert.equal((await app.texts('comparison-net-scenario'))[1], '15,396.5', 'the scenario net for 2018/19: 15,710.0 − 313.5');
    const lines = await app.texts('comparison-line');
    assert.equal(lines.length, 1, 'one line causes the difference');
    assert.match(lines[0], /Row 31 2 - Family group conferencing: \(957\.0\)/, 'the line and its difference');

    // Amber at 80 %: the difference becomes a fifth of the figures.
    await app.get('rate-amber').fill('80');
    await app.get('rate-amber').press('Tab');
    await app.waitFor('comparison-difference', () => app.texts('comparison-difference'), (v) => v[0] === '(33.0)');
    assert.deepEqual(await app.texts('comparison-difference'), ['(33.0)', '(92.4)', '(125.4)', '(132.0)', '(382.8)'], 'comparison-difference at 80 %');
    assert.deepEqual(await app.texts('comparison-net-difference'), ['(33.0)', '(125.4)', '(250.8)', '(382.8)', '(792.0)'], 'comparison-net-difference at 80 %');
    // The schedule itself is unchanged by the scenario.
    await app.showTab('schedule');
    assert.equal((await app.grandTotals()).all, DEMO.all, 'the schedule keeps its figures');
  }));

/** Dispatches a paste of `text` on the element matching `selector`, as a browser would. */
async function paste(app, selector, text) {
  await app.page.evaluate(([sel, t]) => {
    const target = document.querySelector(sel);
    const data = new DataTransfer();
    data.setData('text/plain', t);
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [selector, text]);
}

test('a range copied from a spreadsheet pastes at the active cell, and a whole table pastes as a schedule', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.page.locator('#row-4 td[data-year="0"]').click();
    // Row 4 and row 5, 2017/18 and 2018/19: 330.0 385.0 / 0.0 300.0 become 1,000.0 (200.0) / 5 -.
    await paste(app, '#row-4 td[data-year="0"]', '1,000.0\t(200.0)\r\n5\t-\r\n');
    await app.waitFor('row 4 after the paste', () => yearTexts(app, 4), (v) => v[0] === '1,000.0');
    assert.deepEqual(await yearTexts(app, 4), ['1,000.0', '(200.0)', '110.0', '0.0'], 'row 4 after the paste');
    assert.deepEqual(await yearTexts(app, 5), ['5.0', '0.0', '300.0', '0.0'], 'row 5 after the paste');
    // 330 → 1000 (+670), 385 → −200 (−585), 0 → 5 (+5), 300 → 0 (−300): −210 in all.
    assert.equal((await app.grandTotals()).all, '43,767.0', 'grand total after the paste');
    // A paste with a non-amount is refused whole.
    await paste(app, '#row-4 td[data-year="0"]', '1\tzz\n');
    await app.get('edit-message').waitFor();
    assert.match(await app.text('edit-message'), /`zz` is not an amount/, 'the refused paste says what and where');
    assert.equal((await app.grandTotals()).all, '43,767.0', 'nothing of the refused paste was applied');
    // One undo takes the whole paste back.
    await app.get('undo').click();
    await app.waitForGrandTotal(DEMO.all);

    // With no active cell, a whole table pasted on the page loads as the schedule.
    await app.page.keyboard.press('Escape');
    await paste(app, 'body', 'Project,2023/24,2024/25,Total\n,£m,£m,£m\nPasted saving,1.5,2.5,4.0\n');
    await app.waitForGrandTotal('4.0');
    assert.equal(await app.unit(), '£m', 'the pasted table brings its unit');
    await app.get('undo').click();
    await app.waitForGrandTotal(DEMO.all);
  }));

test('a scenario that uses 1.000 of reserves in 2018/19 closes that year\'s gap by exactly that, once', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('comparison-gap').waitFor();
    // The gap table (the budget forecast, £m) covers 2016/17 to 2020/21; 2018/19 is the third.
    const reserves = app.get('scenario-reserves');
    assert.equal(await reserves.count(), 5, 'one reserves field per gap year');
    await reserves.nth(2).fill('1.000');
    await reserves.nth(2).press('Tab');
    await app.waitFor('gap-difference', () => app.texts('gap-difference'), (v) => v[2] === '(1.000)');
    assert.deepEqual(await app.texts('gap-difference'), ['0.000', '0.000', '(1.000)', '0.000', '0.000'], 'reserves close their year only');
    assert.deepEqual(await app.texts('gap-baseline'), ['8.027', '9.677', '8.928', '7.924', '7.492'], 'the baseline gap');
    assert.equal((await app.texts('gap-scenario'))[2], '7.928', 'the scenario gap for 2018/19');
  }));

/**
 * A schedule of 600 lines in 3 sections of 200, each line 1.0 and 2.0: file row 1 is the
 * header, each section a heading row and its lines, so the last line is file row 604.
 */
function largeCsv() {
  const rows = ['Project,2024/25,2025/26,Total'];
  let n = 0;
  for (let s = 1; s <= 3; s++) {
    rows.push(`Section ${s},,,`);
    for (let i = 0; i < 200; i++) rows.push(`Project ${++n},1.0,2.0,3.0`);
  }
  return rows.join('\n') + '\n';
}

test('a large schedule draws only the rows in view, and a line far down can be scrolled to, edited and reached by keyboard', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload({ name: 'large.csv', mimeType: 'text/csv', buffer: Buffer.from(largeCsv()) });
    await app.waitForGrandTotal('1,800.0');
    const drawn = () => app.page.locator('[data-testid="schedule-table"] tbody tr[id^="row-"]').count();
    const first = await drawn();
    assert.ok(first > 10 && first < 120, `only a window of the 603 rows is drawn (${first})`);
    assert.equal(await app.page.locator('#row-604').count(), 0, 'the last line is not drawn at first');

    // Scroll the table's box to its end: the last line is drawn, and can be edited.
    // The schedule table's own box (the Change table below it scrolls in a box of its own).
    await app.page.locator('.table-scroll:has([data-testid="schedule-table"])').evaluate((box) => {
      box.scrollTop = box.scrollHeight;
    });
    await app.page.locator('#row-604').waitFor();
    assert.equal(await app.page.locator('#row-3').count(), 0, 'the first line is no longer drawn');
    assert.ok((await drawn()) < 120, 'still only a window');
    await app.page.locator('#row-604 td[data-year="0"]').click();
    await app.page.keyboard.type('11.0');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('1,810.0');
    assert.deepEqual((await app.grandTotals()).years, ['610.0', '1,200.0'], 'grand totals by year');

    // Up the table by keyboard, past the rows that were drawn: the table follows the active cell.
    await app.page.locator('#row-604 td[data-year="1"]').click();
    for (let i = 0; i < 150; i++) await app.page.keyboard.press('ArrowUp');
    // 150 lines up from row 604 is row 454 (no heading in between).
    const inView = await app.page
      .waitForFunction(() => {
        const cell = document.querySelector('#row-454 td.active');
        const box = cell?.closest('.table-scroll')?.getBoundingClientRect();
        if (!box) return false;
        const r = cell.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      }, null, { timeout: 5_000 })
      .then(() => true, () => false);
    assert.ok(inView, 'the active cell is inside the table box');
    await app.page.keyboard.type('0');
    await app.page.keyboard.press('Enter');
    await app.waitForGrandTotal('1,808.0');

    // Printing draws every row (603: 3 headings, 600 lines), and afterwards a window again.
    await app.page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await app.waitFor('every row drawn for printing', drawn, (n) => n === 603);
    await app.page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await app.waitFor('a window again after printing', drawn, (n) => n < 120);
  }));
