// Accessibility (WCAG 2.1 A and AA): axe-core, injected into the page, finds no violation in
// any view, with the demo loaded and after an upload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { CHILDRENS, DEMO, setupSuite } from './support.mjs';

const withApp = setupSuite();
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const VIEWS = ['schedule', 'net', 'gap', 'scenarios', 'reconcile'];

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
