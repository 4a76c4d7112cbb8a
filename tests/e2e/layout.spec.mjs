// Every figure readable at every screen size, results first (issue 20, "Screens").
//
// At 1280, 1024, 768 and 375 px wide (900 px high), with the demo open:
// - the page itself never scrolls sideways;
// - every numeric cell of the schedule table and of the funding gap table is inside the
//   viewport, or inside a region that scrolls sideways (overflow-x auto or scroll) whose scroll
//   width reaches it; and scrolled into view, it is what the browser shows at its centre (not
//   hidden under the row labels kept in view);
// - the first row label of each table stays in view when its region is scrolled to its right
//   end (a sticky first column), and the region says there is more (its data-more attribute,
//   "right", "left" or both while part of the table is out of view that way, which the stylesheet
//   draws as a shadow at that edge);
// - at 1280 wide the title, the key totals (the computed grand total) and the checks summary are
//   on the first screen (the first 900 px).
// Screenshots of the first screen and of both tables at each width are saved in
// tests/e2e/test-results/ (layout-<width>-*.png).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO, RESULTS, setupSuite } from './support.mjs';

const withApp = setupSuite();
const WIDTHS = [1280, 1024, 768, 375];
const HEIGHT = 900;

/**
 * For every numeric cell (a <td class="num"> with a digit) of the table with test id `testId`:
 * where it is, and whether it can be read. Returns the cells that cannot, with why.
 */
function unreadableCells(page, testId) {
  return page.evaluate((testId) => {
    const table = document.querySelector(`[data-testid="${testId}"]`);
    if (!table) return [`no ${testId}`];
    const width = document.documentElement.clientWidth;
    const scroller = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (/^(auto|scroll)$/.test(getComputedStyle(a).overflowX)) return a;
      }
      return null;
    };
    const name = (td) => {
      const tr = td.closest('tr');
      const label = tr?.querySelector('th')?.textContent.trim().slice(0, 40) ?? '?';
      return `${label} / column ${[...tr.children].indexOf(td) + 1} (${td.textContent.trim().slice(0, 20)})`;
    };
    const bad = [];
    const cells = [...table.querySelectorAll('td.num')].filter((td) => /\d/.test(td.textContent));
    if (cells.length === 0) return [`${testId} has no numeric cells`];
    for (const td of cells) {
      const r = td.getBoundingClientRect();
      const inViewport = r.left >= -0.5 && r.right <= width + 0.5;
      if (!inViewport) {
        const box = scroller(td);
        if (!box) {
          bad.push(`${name(td)}: at ${Math.round(r.left)}–${Math.round(r.right)} px, outside the ${width} px viewport, and in no region that scrolls sideways`);
          continue;
        }
        const b = box.getBoundingClientRect();
        // From the region's padding edge, where its scrolled content starts.
        const from = r.left - b.left - box.clientLeft + box.scrollLeft;
        const to = r.right - b.left - box.clientLeft + box.scrollLeft;
        if (b.left < -0.5 || b.right > width + 0.5) {
          bad.push(`${name(td)}: its scrolling region (${Math.round(b.left)}–${Math.round(b.right)} px) runs past the ${width} px viewport`);
        } else if (from < -0.5 || to > box.scrollWidth + 0.5) {
          bad.push(`${name(td)}: at ${Math.round(from)}–${Math.round(to)} px in a region ${box.scrollWidth} px wide`);
        }
      }
      // Scrolled into view, the cell is what shows at its centre: nothing covers it.
      td.scrollIntoView({ block: 'center', inline: 'nearest' });
      const s = td.getBoundingClientRect();
      const hit = document.elementFromPoint(s.left + s.width / 2, s.top + s.height / 2);
      if (!hit || !td.contains(hit)) {
        bad.push(`${name(td)}: scrolled into view, ${hit ? `<${hit.tagName.toLowerCase()} class="${hit.className}">` : 'nothing'} shows at its centre`);
      }
    }
    window.scrollTo(0, 0);
    return bad;
  }, testId);
}

/**
 * Scrolls the region holding the table with test id `testId` to its right end; returns whether
 * the region scrolls, what it signals before and after, and where its first row label is.
 */
function scrollToEnd(page, testId) {
  return page.evaluate(async (testId) => {
    const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const table = document.querySelector(`[data-testid="${testId}"]`);
    const box = table.closest('.table-scroll');
    const label = table.querySelector('tbody tr th');
    // From its left end (the cells' check above scrolled it).
    box.scrollLeft = 0;
    box.dispatchEvent(new Event('scroll'));
    label.scrollIntoView({ block: 'center' });
    await frame();
    const before = {
      scrolls: box.scrollWidth > box.clientWidth + 1,
      more: box.dataset.more ?? '',
      shadow: getComputedStyle(box.parentElement, '::after').opacity,
    };
    box.scrollLeft = box.scrollWidth;
    box.dispatchEvent(new Event('scroll'));
    return new Promise((done) =>
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          const b = box.getBoundingClientRect();
          const l = label.getBoundingClientRect();
          const hit = document.elementFromPoint(l.left + Math.min(20, l.width / 2), l.top + l.height / 2);
          done({
            ...before,
            after: box.dataset.more ?? '',
            scrollLeft: box.scrollLeft,
            label: label.textContent.trim().slice(0, 40),
            labelLeft: l.left - b.left,
            labelShown: !!hit && label.contains(hit),
            labelShadow: getComputedStyle(label, '::after').opacity,
          });
        }),
      ),
    );
  }, testId);
}

async function noPageScroll(page, what) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${what}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

async function checkTable(app, testId, width, shot) {
  const page = app.page;
  await noPageScroll(page, `${testId} at ${width}`);
  assert.deepEqual(await unreadableCells(page, testId), [], `${testId} at ${width} px: every figure can be read`);
  const end = await scrollToEnd(page, testId);
  if (end.scrolls) {
    assert.match(end.more, /\bright\b/, `${testId} at ${width} px: the region says there is more to the right`);
    assert.equal(end.shadow, '1', `${testId} at ${width} px: a shadow shows at the right edge`);
    assert.ok(end.scrollLeft > 0, `${testId} at ${width} px: the region scrolled`);
    assert.ok(end.labelShown && end.labelLeft >= -1, `${testId} at ${width} px: the row label "${end.label}" stays in view at the right end (${JSON.stringify(end)})`);
    assert.match(end.after, /\bleft\b/, `${testId} at ${width} px: at the right end the region says there is more to the left`);
    assert.equal(end.labelShadow, '1', `${testId} at ${width} px: the row labels cast a shadow over the figures under them`);
    assert.doesNotMatch(end.after, /\bright\b/, `${testId} at ${width} px: nothing more to the right at its end`);
  }
  await page.screenshot({ path: join(RESULTS, `layout-${width}-${shot}.png`) });
  await noPageScroll(page, `${testId} at ${width}, scrolled`);
  return end;
}

for (const width of WIDTHS) {
  test(`at ${width} × ${HEIGHT}: no figure is cut off, row labels stay in view, results come first`, async (t) =>
    withApp(t, async (app, { page }) => {
      await mkdir(RESULTS, { recursive: true });
      await page.setViewportSize({ width, height: HEIGHT });
      await app.open();
      await app.waitForGrandTotal(DEMO.all);
      await noPageScroll(page, `the demo at ${width}`);
      await page.screenshot({ path: join(RESULTS, `layout-${width}-first-screen.png`) });

      if (width === 1280) {
        // Results first: the title, the key totals and the checks summary on the first screen.
        for (const id of ['schedule-title', 'key-total-all', 'checks-subtotals', 'checks-lines']) {
          const box = await app.get(id).boundingBox();
          assert.ok(box, `${id} is shown`);
          assert.ok(box.y >= 0 && box.y + box.height <= HEIGHT, `${id} is on the first screen (${Math.round(box.y)}–${Math.round(box.y + box.height)} px)`);
        }
        assert.equal(await app.text('key-total-all'), DEMO.all, 'the key total is the grand total');
        // The file actions are one toolbar, and the reading options a closed disclosure that
        // says what is chosen.
        const toolbar = app.get('file-toolbar');
        for (const id of ['file-input', 'export-csv', 'export-json', 'copy-link', 'print']) {
          assert.equal(await toolbar.locator(`[data-testid="${id}"]`).count(), 1, `${id} is in the file toolbar`);
        }
        assert.equal(await app.get('settings').evaluate((d) => d.tagName === 'DETAILS' && !d.open), true, 'the settings are a closed <details>');
        assert.match(await app.text('settings-chosen'), /incremental/i, 'the closed settings say what is chosen');
      }

      await checkTable(app, 'schedule-table', width, 'schedule');
      await app.showTab('gap');
      await app.get('gap-table').waitFor();
      // The role of a gap row shows as text with an edit control, not as two selects a row.
      const visibleSelects = await app.get('gap-table').locator('select').filter({ visible: true }).count();
      assert.equal(visibleSelects, 0, 'no select shows in the gap table until a role is edited');
      assert.ok((await app.count('gap-role-text')) >= 1, 'each input row shows its role as text');
      await checkTable(app, 'gap-table', width, 'gap');
    }));
}

test('the gap table: a row\'s role is changed from its edit control', async (t) =>
  withApp(t, async (app, { page }) => {
    await page.setViewportSize({ width: 375, height: HEIGHT });
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    await app.showTab('gap');
    const row = app.get('gap-input-row').first();
    const before = (await row.locator('[data-testid="gap-role-text"]').textContent()).trim();
    await row.locator('[data-testid="gap-role-edit"]').click();
    const select = row.locator('[data-testid="gap-role"]');
    assert.ok(await select.isVisible(), 'the role select shows once the edit control is used');
    const current = await select.inputValue();
    const other = current === 'Other' ? 'Funding' : 'Other';
    await select.selectOption(other);
    await app.waitFor(
      'the role text to change',
      async () => (await app.get('gap-input-row').first().locator('[data-testid="gap-role-text"]').textContent()).trim(),
      (v) => v !== before,
    );
    await noPageScroll(page, 'the gap table with a role being edited, at 375');
  }));
