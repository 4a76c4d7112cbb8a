// After the first visit the page works offline: a service worker keeps the page and its files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO, setupSuite } from './support.mjs';

const withApp = setupSuite();

test('after the first visit the page opens and computes with the network cut', async (t) =>
  withApp(t, async (app, { context }) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    const scope = await app.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, app.baseURL.endsWith('/') ? app.baseURL : `${app.baseURL}/`, 'the service worker covers the page');

    await context.setOffline(true);
    try {
      await app.page.reload();
      await app.waitUntilReady();
      await app.waitForGrandTotal(DEMO.all);
      // It computes offline: an edit moves the totals.
      await app.page.locator('#row-4 td[data-year="0"]').click();
      await app.page.keyboard.type('1330');
      await app.page.keyboard.press('Enter');
      await app.waitForGrandTotal('44,977.0');
      // A fresh load of the page's address with a query is served from the kept copy too.
      await app.page.goto(`${app.baseURL}?offline=1`);
      await app.waitUntilReady();
      await app.waitForGrandTotal('44,977.0');
    } finally {
      await context.setOffline(false);
    }
  }));
