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
