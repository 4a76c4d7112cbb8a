// Accessibility (WCAG 2.1 A and AA): axe-core, injected into the page, finds no violation in
// any view, with the demo loaded and after an upload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { CHILDRENS, DEMO, setupSuite } from './support.mjs';

const withApp = setupSuite();
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = ['schedule', 'net', 'gap', 'scenarios', 'reconcile', 'monitoring', 'risk', 'report'];

/** The violations axe finds on the page as it is, a line each. */
async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
}

async function everyView(app, when) {
  let checked = 0;
  for (const view of VIEWS) {
    await app.showTab(view);
    if (view === 'scenarios' && (await app.get('comparison').count()) === 0) {
      await app.get('new-scenario').click();
      await app.get('comparison').waitFor();
    }
    if (view === 'risk') {
      // With results: the table and the fan chart.
      const done = await app.get('risk-results').count();
      await app.get('risk-run').click();
      if (done === 0) await app.get('fan-chart').waitFor({ timeout: 60_000 });
      await app.waitFor('the simulation to finish', () => app.count('risk-progress'), (n) => n === 0, 60_000);
    }
    assert.deepEqual(await violations(app.page), [], `${view} view, ${when}`);
    checked += 1;
  }
  return checked;
}

test('every view has no WCAG 2.1 AA violation, with the demo and after an upload', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    assert.equal(await everyView(app, 'with the demo'), VIEWS.length);
    await app.showTab('schedule');
    await app.upload(CHILDRENS.file);
    await app.waitForGrandTotal(CHILDRENS.all);
    assert.equal(await everyView(app, 'after an upload'), VIEWS.length);
  }));

test('the Reserves section and a scenario\'s reserves have no WCAG 2.1 AA violation, with a reserve and a bad entry', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('gap');
    await app.get('reserve-new-name').fill('General fund');
    await app.get('reserve-new-opening').fill('10');
    await app.get('reserve-add').click();
    await app.get('reserve-editor').waitFor();
    await app.get('reserves-total-minimum').fill('5%');
    await app.get('reserves-total-minimum').press('Tab');
    await app.get('reserve-opening').fill('oops');
    await app.get('reserve-opening').press('Tab');
    await app.get('reserves-message').waitFor();
    await app.get('reserves-table').waitFor();
    assert.deepEqual(await violations(app.page), [], 'gap view with a reserve');
    await app.showTab('scenarios');
    await app.get('new-scenario').click();
    await app.get('scenario-reserves-plan').waitFor();
    await app.get('scenario-reserves-table').waitFor();
    assert.deepEqual(await violations(app.page), [], 'scenarios view with a reserve');
  }));

/**
 * Presses Tab (Shift+Tab when `back`) until the element with test id `testId` has the focus, as
 * a keyboard user moves through the page; fails after `limit` presses.
 */
async function tabTo(page, testId, { back = false, limit = 300 } = {}) {
  for (let i = 0; i < limit; i++) {
    // A cell drawn again as it becomes active leaves the focus on <body> for a frame, until the
    // table puts it back: wait for that rather than pressing Tab into the middle of it.
    await page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 1_000 }).catch(() => {});
    const here = await page.evaluate(() => document.activeElement?.closest('[data-testid]')?.dataset.testid ?? null);
    const self = await page.evaluate(() => document.activeElement?.dataset?.testid ?? null);
    if (self === testId || here === testId) return i;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${testId} not reached with ${limit} presses of Tab`);
}

test('one whole flow by keyboard alone: upload, edit, scenario, export', async (t) =>
  withApp(t, async (app, { tmp }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const page = app.page;

    // Upload: Tab to the file input, Space opens the file chooser.
    await tabTo(page, 'file-input');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(CHILDRENS.file);
    await app.waitForGrandTotal(CHILDRENS.all);

    // Edit: Tab into the table (its one tab stop is the first figure), type, Enter.
    await tabTo(page, 'amount-cell');
    const first = await page.evaluate(() => document.activeElement.id);
    assert.equal(first, 'cell-0-0', 'the table is entered at its first figure');
    await page.keyboard.type('1000');
    await page.keyboard.press('Enter');
    await app.waitFor('the grand total after a keyboard edit', () => app.text('grand-total-all'), (v) => v !== CHILDRENS.all);
    const edited = await app.text('grand-total-all');

    // Scenario: Escape leaves the table (inside it Tab moves between figures, as in a
    // spreadsheet); then Shift+Tab to the Scenarios tab, Enter, Tab to New scenario, Enter.
    await page.keyboard.press('Escape');
    await tabTo(page, 'tab-scenarios', { back: true });
    await page.keyboard.press('Enter');
    await app.get('scenario-view').waitFor();
    await tabTo(page, 'new-scenario');
    await page.keyboard.press('Enter');
    await app.get('comparison').waitFor();
    assert.ok((await app.texts('comparison-baseline')).length > 0, 'the comparison is shown');

    // Export: Tab back to the CSV export, Enter downloads it, with the edited total.
    await tabTo(page, 'export-csv', { back: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const path = `${tmp}/keyboard.csv`;
    await download.saveAs(path);
    const csv = await readFile(path, 'utf8');
    const plain = edited.replace(/,/g, '');
    assert.ok(csv.includes(plain), `the export holds the edited grand total ${plain}`);
  }));
