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

test('every share fixed at the scenario’s rates: the simulation gives the scenario’s gap exactly, closed or not', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('risk');
    await feedTheGap(app);
    // The demo's illustrative ratings, each fixed at the scenario's rate for it (red 0 %, amber
    // 50 %, green and unrated 100 %): every run is the scenario, whatever the correlation.
    for (const [field, value] of [
      ['risk-red-likely', '0'], ['risk-red-highest', '0'],
      ['risk-amber-likely', '50'], ['risk-amber-lowest', '50'], ['risk-amber-highest', '50'],
      ['risk-green-lowest', '100'],
    ]) {
      await setField(app, field, value);
    }
    await setField(app, 'risk-runs', '500');
    assert.equal(await app.count('risk-message'), 0, 'the settings were taken');
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

test('uncertain delivery: the gap spreads, the same seed gives the same figures, a reload keeps the settings', async (t) =>
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
      // (The scenario's gap, at its rates of red 0 % and amber 50 %, is not a bound of the band:
      // the distributions' means are other shares.)
      assert.ok(thousandths(s10) <= thousandths(s50) && thousandths(s50) <= thousandths(s90), `${year}: savings P10 ≤ P50 ≤ P90`);
      assert.ok(thousandths(g10) <= thousandths(g50) && thousandths(g50) <= thousandths(g90), `${year}: gap P10 ≤ P50 ≤ P90`);
      assert.ok(scenario !== '', `${year}: the scenario's gap is shown`);
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

/** The band of the gap (P90 − P10, in thousandths) of each year with a gap. */
function bands(rows) {
  return rows.map(([, , , , g10, , g90]) => thousandths(g90) - thousandths(g10));
}

test('the demo, with no upload: illustrative ratings, a band that is not falsely certain, the correlation stated and changed', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('risk');
    // Rated lines, and the page says the ratings are illustrative.
    const hint = await app.page.locator('[data-testid="risk-view"] p.hint').first().textContent();
    const rated = Number(/(\d+) of the lines are rated/.exec(hint)?.[1]);
    assert.ok(rated > 40, `most of the demo's lines are rated: ${hint}`);
    assert.match(await app.text('risk-illustrative'), /illustrative/, 'the ratings are said to be illustrative');
    assert.equal(await app.get('risk-correlation').inputValue(), '0.5', 'the default correlation');

    // The settings as they are (10,000 runs, on the baseline), the savings fed to the gap: the
    // savings delivered and the gap spread, and the table and the chart state the correlation.
    await feedTheGap(app);
    await run(app);
    for (const [year, s10, , s90] of (await riskRows(app)).slice(1)) {
      assert.notEqual(s10, s90, `${year}: the savings delivered spread`);
    }
    await setField(app, 'risk-runs', '2000');
    await run(app);
    const half = await riskRows(app);
    assert.ok(half.some(([, , , , g10, , g90]) => g10 !== g90), `a band of the gap: ${JSON.stringify(half)}`);
    assert.match(await app.page.locator('[data-testid="risk-table"] caption').textContent(), /correlation between lines 0\.5\)/);
    assert.match(await app.page.locator('[data-testid="fan-chart"] figcaption').textContent(), /correlation between lines of 0\.5/);

    // Independent lines: the band narrows; wholly correlated: it widens beyond the half's.
    await setField(app, 'risk-correlation', '0');
    assert.equal(await app.count('risk-message'), 0, 'correlation 0 is taken');
    await run(app);
    const none = await riskRows(app);
    assert.match(await app.page.locator('[data-testid="risk-table"] caption').textContent(), /correlation between lines 0\)/);
    await setField(app, 'risk-correlation', '1');
    await run(app);
    const all = await riskRows(app);
    const [b0, bHalf, b1] = [bands(none), bands(half), bands(all)];
    const last = b0.length - 1;
    assert.ok(b0[last] < bHalf[last] && bHalf[last] < b1[last], `the last year's band widens with the correlation: ${b0[last]}, ${bHalf[last]}, ${b1[last]}`);
    assert.notDeepEqual(none, half, 'another correlation, other figures');

    // A correlation outside 0 to 1 is refused with the reason; the one set stays.
    await setField(app, 'risk-correlation', '1.5');
    assert.match(await app.text('risk-message'), /correlation between lines 1\.5 is outside 0 to 1/);
    await setField(app, 'risk-correlation', 'lots');
    assert.match(await app.text('risk-message'), /not a number from 0 to 1/);
    await run(app);
    assert.match(await app.page.locator('[data-testid="risk-table"] caption').textContent(), /correlation between lines 1\)/, 'the correlation is unchanged');
  }));
