// A monitoring table as its own arithmetic reads it (issue 15; docs/domain.md "Monitoring"):
// tests/fixtures/arithmetic/monitoring.csv is costs positive (savings in brackets), its variance
// column forecast − target with favourable variances in brackets, its "Cost Reduction (Net)"
// rows the investment plus the gross saving above them, and its total's published variance (F12)
// wrong: 45 where forecast − target gives (216). The Monitoring view shows the verdicts in that
// convention, the net rows not counted, and the broken variance with both figures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO, FIXTURES, setupSuite } from './support.mjs';

const withApp = setupSuite();

test('monitoring.csv: verdicts in the file\'s convention, nets counted once, the broken variance with both figures', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'arithmetic', 'monitoring.csv'));
    await app.waitFor('the title', () => app.title(), (v) => v?.toLowerCase().includes('monitoring'));
    await app.showTab('monitoring');
    await app.get('monitoring-table').waitFor();
    await app.waitFor('the variance checks', () => app.count('monitoring-variance-check'), (n) => n === 10);
    // Costs positive: 250 → 275 of investment is adverse, (2,100) → (2,350) of saving favourable.
    const verdicts = await app.texts('monitoring-verdict');
    assert.deepEqual(verdicts, ['Adverse', 'Adverse', 'Adverse', 'On target', 'Favourable', 'Favourable', 'Favourable', 'Favourable', 'Favourable']);
    // The three net rows are shown but not counted.
    assert.equal(await app.page.locator('[data-testid="monitoring-line"].not-counted').count(), 3);
    // One total: (3,330) against (3,545), variance (215): favourable, the right way round.
    const total = await app.page.locator('[data-testid="monitoring-total"]').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
    );
    assert.equal(total.length, 1, JSON.stringify(total));
    assert.deepEqual(total[0], ['Total', '(3,330)', '(3,545)', '(215)', 'Favourable']);
    assert.deepEqual(await app.texts('monitoring-total-verdict'), ['Favourable']);
    // The published variance column, checked: F12 first, an error, with both figures.
    const checks = await app.page.locator('[data-testid="monitoring-variance-check"]').evaluateAll((trs) =>
      trs.map((tr) => ({ row: tr.dataset.row, status: tr.dataset.status, published: tr.dataset.published, computed: tr.dataset.computed, text: tr.textContent })),
    );
    const [first, ...rest] = checks;
    assert.deepEqual([first.row, first.status, first.published, first.computed], ['12', 'error', '45', '-216']);
    assert.match(first.text, /45/);
    assert.match(first.text, /\(216\)/);
    assert.match(first.text, /error/);
    assert.ok(rest.every((c) => c.status === 'ok'), JSON.stringify(rest));
    assert.equal(await app.get('variance-published').first().textContent(), '45');
    assert.equal(await app.get('variance-computed').first().textContent(), '(216)');
    assert.match(await app.get('variance-summary').textContent(), /forecast − target.*1 of 10/s);
  }));
