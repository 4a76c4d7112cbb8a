// A programme file that counts its years from one (docs/domain.md, "Files that count years from
// one"), as a user meets it: the page takes the financial year containing today as year 1 and
// says so, with a field to take another; choosing one moves the headings at once and leaves the
// amounts, and the next file with the same header opens on the choice.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO, FIXTURES, setupSuite } from './support.mjs';

const withApp = setupSuite();
const FILE = join(FIXTURES, 'programme', 'years-from-one.csv');

const label = (start) => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;

test('year 1 is today\'s financial year, said on screen; another choice moves the headings, keeps the total and is remembered', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    // The financial year containing today by the browser's clock (April to March).
    const start = await app.page.evaluate(() => {
      const d = new Date();
      return d.getMonth() >= 3 ? d.getFullYear() : d.getFullYear() - 1;
    });
    await app.upload(FILE);
    // Year 1: 200,000 × 50 % + 90,000 × 100 % (tests/programme.rs works them by hand).
    await app.waitFor('the programme totals', () => app.texts('grand-total-year'), (v) => v[0] === '190,000.00');
    const headings = await app.texts('year-heading');
    assert.equal(headings[0], `${label(start)} (year1)`);
    assert.equal(headings[4], `${label(start + 4)} (year5)`);
    const notice = await app.text('year-one-notice');
    assert.match(notice, new RegExp(`Year 1 is taken as ${label(start)} \\(the file counts years from one\\); change it:`));
    const total = await app.text('grand-total-all');
    const years = await app.texts('grand-total-year');

    await app.choose('year-one-select', label(start - 2));
    await app.waitFor('the headings to move', () => app.texts('year-heading'), (v) => v[0] === `${label(start - 2)} (year1)`);
    assert.equal(await app.text('grand-total-all'), total, 'the same total');
    assert.deepEqual(await app.texts('grand-total-year'), years, 'the same yearly totals');
    assert.match(await app.text('year-one-notice'), new RegExp(`taken as ${label(start - 2)}`));

    // The same header again: the choice is remembered.
    const buffer = await readFile(FILE);
    await app.upload({ name: 'next-export.csv', mimeType: 'text/csv', buffer });
    await app.waitFor('the title', () => app.title(), (v) => v?.includes('next-export'));
    assert.equal((await app.texts('year-heading'))[0], `${label(start - 2)} (year1)`);
  }));
