// Several measures per year, as a user meets them (issue 16; docs/domain.md "Measures beside
// years"): a workstream table with gross benefits, costs and net savings under each year and net
// savings over both years is uploaded, not refused; the Net view shows each workstream's net per
// year (benefit + cost) and its payback, and the one net cell published £1,000 out is flagged
// with both figures. The fixture is tests/fixtures/measures/workstreams.csv (tests/measures.rs
// works it natively).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEMO, FIXTURES, setupSuite } from './support.mjs';

const withApp = setupSuite();

test('a workstream table with gross, cost and net beside each year: nets, paybacks and the wrong net on screen', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'measures', 'workstreams.csv'));
    await app.waitFor('the title to name the business case', () => app.title(), (t) => t?.includes('Transformation programme'));
    assert.equal(await app.message(), '', 'no import message: the table is read, not refused');
    await app.showTab('net');
    assert.equal(await app.count('proposal'), 7, 'one proposal per workstream');

    // W1: benefit 1,002,833 and cost (374,071) net to 628,762; 1,250,400 − 120,500 = 1,129,900.
    const w1 = app.proposal('W1');
    assert.equal(await w1.count(), 1);
    assert.deepEqual(await app.textsWithin(w1, 'gross-year'), ['1,002,833', '1,250,400']);
    assert.deepEqual(await app.textsWithin(w1, 'investment-year'), ['(374,071)', '(120,500)']);
    assert.deepEqual(await app.textsWithin(w1, 'net-year'), ['628,762', '1,129,900']);
    assert.deepEqual(await app.textsWithin(w1, 'payback-annual'), ['Year 1']);

    // W3: the 2016/17 net is published 568,780; 655,780 − 88,000 = 567,780.
    const w3 = app.proposal('W3');
    const nets = await app.textsWithin(w3, 'net-year');
    assert.equal(nets[0], '202,600');
    assert.ok(nets[1].startsWith('567,780'), JSON.stringify(nets[1]));
    assert.ok(nets[1].includes('568,780'), `the published figure beside it: ${JSON.stringify(nets[1])}`);
    assert.match(await app.text('checks-nets'), /^6 of 7 published net rows ok/);
  }));

test('the mapping step shows a measure beside each year, and a corrected measure reads the file again', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'measures', 'workstreams-clean.csv'));
    await app.waitFor('the business case', () => app.title(), (t) => t?.includes('Transformation programme'));
    await app.get('check-columns').click();
    await app.waitFor('the mapping step', () => app.count('map-column'), (n) => n === 9);
    const columns = app.page.locator('[data-testid="map-column"]');
    const measureOf = async (k) => columns.nth(k).locator('[data-testid="map-measure"]').inputValue();
    const yearOf = async (k) => columns.nth(k).locator('[data-testid="map-year"]').inputValue();
    assert.deepEqual(
      [await measureOf(2), await measureOf(3), await measureOf(4), await measureOf(8)],
      ['benefit', 'cost', 'net', 'net'],
    );
    assert.deepEqual([await yearOf(3), await yearOf(6)], ['2015/16', '2016/17']);
    assert.equal(await columns.nth(0).locator('[data-testid="map-measure"]').count(), 0, 'no measure on a text column');
    // The 2016/17 costs read as investment: the Net view's investment row is still the cost.
    await columns.nth(6).locator('[data-testid="map-measure"]').selectOption('investment');
    await app.get('map-read').click();
    await app.waitFor('the step to close', () => app.count('mapping-step'), (n) => n === 0);
    await app.showTab('net');
    const w1 = app.proposal('W1');
    assert.deepEqual(await app.textsWithin(w1, 'investment-year'), ['(374,071)', '(120,500)']);
    assert.deepEqual(await app.textsWithin(w1, 'net-year'), ['628,762', '1,129,900']);
    // Calling it a benefit makes the 2016/17 benefit twice: refused, saying which columns.
    await app.get('check-columns').click();
    await app.waitFor('the mapping step', () => app.count('map-column'), (n) => n === 9);
    await columns.nth(6).locator('[data-testid="map-measure"]').selectOption('benefit');
    await app.get('map-read').click();
    await app.waitFor('the refusal', () => app.text('map-message').catch(() => ''), (m) => /2016\/17/.test(m) && /Gross Benefit 2016\/17/.test(m));
  }));

test('years in a caption row over Gross, Investment, Net: the nets, a payback and the mistyped net on screen', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.upload(join(FIXTURES, 'measures', 'caption-years.csv'));
    await app.waitFor('the title', () => app.title(), (t) => t?.includes('Savings proposals by year'));
    assert.equal(await app.message(), '', 'read, not refused');
    await app.showTab('net');
    assert.equal(await app.count('proposal'), 3);
    // No reference column: each proposal is found by its name.
    const named = (name) => app.page.locator('[data-testid="proposal"]').filter({ hasText: name });
    const library = named('Library hubs');
    assert.deepEqual(await app.textsWithin(library, 'net-year'), ['40.5', '194.5']);
    assert.deepEqual(await app.textsWithin(library, 'payback-annual'), ['Year 1']);
    // Waste rounds' 2025/26 net is published 302.0; 320.0 + nil = 320.0.
    const nets = await app.textsWithin(named('Waste rounds'), 'net-year');
    assert.ok(nets[1].startsWith('320.0') && nets[1].includes('302.0'), JSON.stringify(nets));
    assert.match(await app.text('checks-nets'), /^2 of 3 published net rows ok/);
  }));
