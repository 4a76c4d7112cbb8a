// Loading a file: choosing it in the file input or dropping it on the drop zone replaces the
// schedule; a file that is not a schedule shows a message naming it and keeps the schedule.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHILDRENS, DEMO, setupSuite } from './support.mjs';

const withApp = setupSuite();

async function loadChildrens(app) {
  await app.open();
  await app.waitForGrandTotal(DEMO.all);
  await app.upload(CHILDRENS.file);
  await app.waitForGrandTotal(CHILDRENS.all);
}

test('choosing a CSV in the file input replaces the schedule', async (t) =>
  withApp(t, async (app) => {
    await loadChildrens(app);
    const { years, all } = await app.grandTotals();
    assert.deepEqual(years, CHILDRENS.years, 'grand-total-year texts');
    assert.equal(all, CHILDRENS.all, 'grand-total-all');
    const title = await app.title();
    assert.ok(title?.includes(CHILDRENS.title), `schedule-title ${JSON.stringify(title)} names ${CHILDRENS.title}`);
    assert.equal(await app.unit(), "£'000", 'schedule-unit');
    const lines = await app.text('checks-lines');
    assert.ok(lines?.includes(`${CHILDRENS.lines} of ${CHILDRENS.lines} line totals ok`), `checks-lines: ${JSON.stringify(lines)}`);
    assert.equal(await app.count('check-problem'), 0, 'no check-problem');
    assert.equal(await app.message(), '', 'no import message after a good file');
  }));

test('a CSV with no year header shows a message naming the file and keeps the schedule', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await loadChildrens(app);
    const title = await app.title();

    const broken = join(tmp, 'broken.csv');
    await writeFile(broken, 'Project,Description,Amount\nLAC Placements,Mockingbird,47\nEarly Help,Family hubs,12\n');
    await app.upload(broken);
    const message = await app.waitForMessage('broken.csv');
    assert.ok(message.includes('no header row with financial years'), `message names the problem: ${JSON.stringify(message)}`);
    assert.equal(await app.get('message').getAttribute('role'), 'alert', 'message has role="alert"');
    // Its two sentences read apart, as a screen reader's summary or a copy of it has them.
    assert.match(message, /[.!?] \s*The schedule below is unchanged\.$/, JSON.stringify(message));

    assert.equal(await app.title(), title, 'the schedule title stays');
    assert.equal(await app.text('grand-total-all'), CHILDRENS.all, 'the grand total stays');
    assert.deepEqual(await app.texts('grand-total-year'), CHILDRENS.years, 'the year totals stay');
  }));

test('a binary file shows a message naming the file and keeps the schedule', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await loadChildrens(app);
    const title = await app.title();

    // The start of a zip (an .xlsx workbook), NUL bytes and bytes that are not UTF-8.
    const junk = Buffer.alloc(4096);
    Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1').copy(junk);
    for (let i = 8; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;
    const path = join(tmp, 'budget-2024.xlsx');
    await writeFile(path, junk);
    await app.upload(path);
    const message = await app.waitForMessage('budget-2024.xlsx');
    assert.ok(message.length > 'budget-2024.xlsx'.length + 5, `message names a problem: ${JSON.stringify(message)}`);

    assert.equal(await app.title(), title, 'the schedule title stays');
    assert.equal(await app.text('grand-total-all'), CHILDRENS.all, 'the grand total stays');
  }));

test('dropping a CSV on the drop zone replaces the schedule', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.dropFile(CHILDRENS.file, { name: CHILDRENS.name });
    await app.waitForGrandTotal(CHILDRENS.all);
    assert.deepEqual(await app.texts('grand-total-year'), CHILDRENS.years, 'grand-total-year texts');
    const title = await app.title();
    assert.ok(title?.includes(CHILDRENS.title), `schedule-title ${JSON.stringify(title)} names ${CHILDRENS.title}`);
    assert.equal(await app.message(), '', 'no import message after a good file');
  }));

test('text in a file is shown as text, never run as HTML', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.page.evaluate(() => {
      window.__ran = 0;
    });
    const attack = '<img src=x onerror="window.__ran=1"><script>window.__ran=2</script>';
    const csv = `Project,2024/25,2025/26\n"${attack.replace(/"/g, '""')}",1.0,2.0\nOther,3.0,4.0\n`;
    await app.upload({ name: '<b>bold</b>.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await app.waitForGrandTotal('10.0');
    const label = app.page.locator('[data-testid="schedule-table"] th.label').first();
    assert.equal((await label.textContent()).trim(), attack, 'the name shows literally');
    assert.equal(await app.page.locator('[data-testid="schedule-table"] img').count(), 0, 'no <img> element was made');
    assert.match(await app.text('schedule-source'), /<b>bold<\/b>\.csv/, 'the file name shows literally');
    await app.page.waitForTimeout(200);
    assert.equal(await app.page.evaluate(() => window.__ran), 0, 'no script ran');
  }));

test('a wrong subtotal is one error; the grand total that restates it says it carries it', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    // Total Adults prints 16.0 over lines of 15.0; the grand total adds the printed subtotals.
    const csv =
      'Proposal,2024/25,2025/26\nAdults,,\nA1,10.0,20.0\nA2,5.0,5.0\nTotal Adults,16.0,25.0\n' +
      'Children,,\nC1,1.0,2.0\nC2,4.0,4.0\nTotal Children,5.0,6.0\nGrand total,21.0,31.0\n';
    await app.upload({ name: 'carried.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await app.waitForGrandTotal('51.0');
    const subtotals = await app.text('checks-subtotals');
    assert.equal(subtotals, "1 of 3 subtotals ok (1 with errors, 1 repeating another row's error)");
    const problems = await app.texts('check-problem');
    assert.equal(problems.length, 2, JSON.stringify(problems));
    assert.match(problems[0], /error.*Row 5.*Total Adults, column 2024\/25: published 16\.0, computed 15\.0, difference 1\.0/);
    assert.match(problems[1], /carried.*Row 10.*Grand total, column 2024\/25: published 21\.0, computed 20\.0, difference 1\.0 \(repeats the error of row 5, counted there\)/);
  }));
