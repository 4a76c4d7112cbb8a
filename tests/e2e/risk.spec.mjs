// Delivery risk: a seeded simulation of each saving's delivery, run in its Web Worker, gives per
// year the spread of the gap and the chance it is closed; the same seed gives the same figures,
// and a long run can be cancelled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setupSuite, thousandths } from './support.mjs';

const withApp = setupSuite();

/** The results table's rows: year, savings P10/P50/P90, gap P10/P50/P90, scenario gap, chance. */
async function riskRows(app) {
  return app.page.locator('[data-testid="risk-year"]').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
  );
}

/** Feeds the demo schedule's savings to its gap model (the Funding gap view's tick box). */
async function feedTheGap(app) {
  await app.showTab('gap');
  await app.get('gap-feed').check();
  await app.showTab('risk');
  assert.equal(await app.count('risk-not-fed'), 0, 'the savings reach the gap');
}

async function setField(app, testId, value) {
  const input = app.get(testId);
  await input.fill(value);
  await input.press('Tab');
}

/** Runs the simulation and waits for its results (each run's results carry a new data-run). */
async function run(app) {
  const runOf = () => app.page.evaluate(() => document.querySelector('[data-testid="risk-results"]')?.dataset.run ?? '');
  const before = await runOf();
  await app.get('risk-run').click();
  await app.waitFor('new simulation results', runOf, (r) => r !== '' && r !== before, 60_000);
  assert.equal(await app.count('risk-progress'), 0, 'no progress bar once the results are in');
}

test('every saving delivered in full: the simulation gives the scenario’s gap exactly, closed or not', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('risk');
    await feedTheGap(app);
    // The demo's lines are unrated, and unrated lines are delivered in full by default.
    await setField(app, 'risk-runs', '500');
    await run(app);
    const rows = await riskRows(app);
    assert.ok(rows.length >= 4, `a row per year of the gap model: ${JSON.stringify(rows)}`);
    for (const [year, s10, s50, s90, g10, g50, g90, scenario, chance] of rows) {
      assert.equal(s10, s90, `${year}: no spread of savings`);
      assert.equal(s10, s50, `${year}: no spread of savings`);
      assert.deepEqual([g10, g50, g90], [scenario, scenario, scenario], `${year}: the gap is the scenario's in every run`);
      const closed = thousandths(scenario) <= 0n;
      assert.equal(chance, closed ? '100 %' : '0 %', `${year}: closed exactly when the gap (${scenario}) is zero or less`);
    }
    assert.equal(await app.count('fan-chart'), 1, 'the fan chart');
    const desc = await app.page.locator('#fan-desc').textContent();
    assert.ok(desc.includes(rows[0][0]), `the chart's text alternative names the years: ${desc}`);
  }));

test('uncertain delivery: the gap spreads above the scenario’s, the same seed gives the same figures, a reload keeps the settings', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('risk');
    await feedTheGap(app);
    await setField(app, 'risk-unrated-lowest', '40');
    await setField(app, 'risk-unrated-likely', '80');
    await setField(app, 'risk-runs', '2000');
    await setField(app, 'risk-seed', '7');
    assert.equal(await app.count('risk-message'), 0, 'the settings were taken');
    await run(app);
    const first = await riskRows(app);
    let spread = false;
    for (const [year, s10, s50, s90, g10, g50, g90, scenario, chance] of first) {
      // Savings can only fall short of what is published, so the gap can only be larger.
      assert.ok(thousandths(s10) <= thousandths(s50) && thousandths(s50) <= thousandths(s90), `${year}: savings P10 ≤ P50 ≤ P90`);
      assert.ok(thousandths(g10) <= thousandths(g50) && thousandths(g50) <= thousandths(g90), `${year}: gap P10 ≤ P50 ≤ P90`);
      assert.ok(thousandths(g10) >= thousandths(scenario), `${year}: gap P10 ${g10} is not below the scenario's ${scenario}`);
      if (thousandths(g90) > thousandths(g10)) spread = true;
      const m = /^(\d+(?:\.\d+)?) %$/.exec(chance);
      assert.ok(m && Number(m[1]) >= 0 && Number(m[1]) <= 100, `${year}: a chance in per cent: ${chance}`);
    }
    assert.ok(spread, 'some year has a spread of gaps');
    const summary = await app.text('risk-summary');
    assert.ok(summary.includes(first[0][0]) && summary.includes(first[0][8]), `the summary names the chance: ${summary}`);

    // Again with the same seed: the same figures.
    await run(app);
    assert.deepEqual(await riskRows(app), first, 'the same seed gives the same figures');

    // Another seed: other draws.
    await setField(app, 'risk-seed', '8');
    assert.equal(await app.count('risk-stale'), 1, 'the results say they are out of date');
    await run(app);
    const other = await riskRows(app);
    assert.notDeepEqual(other, first, 'another seed gives other figures');

    // The settings are the scenario's, saved: after a reload the same run gives the same figures.
    await app.page.waitForTimeout(800);
    await app.page.reload();
    await app.waitUntilReady();
    await app.showTab('risk');
    assert.equal(await app.get('risk-seed').inputValue(), '8', 'the seed is kept');
    await run(app);
    assert.deepEqual(await riskRows(app), other, 'the same settings after a reload give the same figures');
  }));

test('a long simulation can be cancelled; the results shown before stay', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('risk');
    await setField(app, 'risk-unrated-lowest', '40');
    await setField(app, 'risk-runs', '1000');
    await run(app);
    const before = await riskRows(app);
    await setField(app, 'risk-runs', '1000000');
    await app.get('risk-run').click();
    await app.get('risk-progress').waitFor({ timeout: 20_000 });
    // The page answers meanwhile: another view opens.
    await app.showTab('gap');
    await app.showTab('risk');
    await app.get('risk-cancel').click();
    await app.get('risk-progress').waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(await riskRows(app), before, 'the results shown before stay');
    // And the next run works.
    await setField(app, 'risk-runs', '1000');
    await run(app);
    assert.deepEqual(await riskRows(app), before, 'the same settings give the same figures again');
  }));
