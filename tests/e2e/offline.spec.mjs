// After the first visit the page works offline: a service worker keeps the page and its files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
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
      // A big file is read by the Web Worker, whose files were kept too.
      const rows = ['Project,2017/18,2018/19'];
      let tenths = 0;
      for (let i = 1; i <= 20_000; i++) {
        rows.push(`Generated saving number ${i} kept for the offline test,${i % 97}.${i % 10},1.0`);
        tenths += (i % 97) * 10 + (i % 10) + 10;
      }
      const csv = rows.join('\n') + '\n';
      assert.ok(csv.length > 600_000, 'big enough for the worker');
      await app.upload({ name: 'offline-big.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      const all = `${Math.floor(tenths / 10).toLocaleString('en-GB')}.${tenths % 10}`;
      await app.waitForGrandTotal(all, 60_000);
      assert.equal(await app.message(), '', 'no message: the worker ran offline');
      // The workbook writer, a worker of its own started only now, was kept at the first visit.
      const [download] = await Promise.all([app.page.waitForEvent('download'), app.get('export-xlsx').click()]);
      const bytes = await readFile(await download.path());
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx (a zip) written offline');
      assert.equal(await app.message(), '', 'no message: the writer ran offline');
    } finally {
      await context.setOffline(false);
    }
  }));

test('a repeat visit takes the hashed files from the cache, the page from the network, and drops an older build’s files', async (t) =>
  withApp(t, async (app) => {
    await app.open();
    await app.waitForGrandTotal(DEMO.all);
    // The page is controlled once the worker has claimed it (the first visit installs it).
    await app.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }));
      }
    });
    const wasm = await app.page.evaluate(() => [...document.querySelectorAll('link[href]')].map((l) => new URL(l.href).pathname).find((p) => /-[0-9a-f]{12,16}_bg\.wasm$/.test(p)));
    assert.ok(wasm, 'the page names a hashed WebAssembly file');
    // Mark the kept copies (same bytes, one more header), and keep a file of an older build.
    await app.page.evaluate(async (path) => {
      const cache = await caches.open('gapwise-v1');
      const mark = async (key) => {
        const kept = await cache.match(key);
        const headers = new Headers(kept.headers);
        headers.set('x-kept-copy', 'yes');
        await cache.put(key, new Response(await kept.arrayBuffer(), { headers }));
      };
      await mark(path);
      await mark('./');
      await cache.put('./gapwise-0000000000000000_bg.wasm', new Response('an older build', { headers: { 'content-type': 'application/wasm' } }));
    }, wasm);
    // Online: the hashed file is the kept copy; the page itself is fetched afresh.
    const served = await app.page.evaluate(async (path) => ({
      wasm: (await fetch(path)).headers.get('x-kept-copy'),
      page: (await fetch('./')).headers.get('x-kept-copy'),
    }), wasm);
    assert.deepEqual(served, { wasm: 'yes', page: null });
    // A visit to the page drops the hashed files it no longer names.
    await app.page.reload();
    await app.waitUntilReady();
    await app.waitForGrandTotal(DEMO.all);
    const kept = await app.page.evaluate(async () => {
      const cache = await caches.open('gapwise-v1');
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    assert.ok(!kept.some((p) => p.includes('0000000000000000')), `the older build's file is dropped: ${kept.join(', ')}`);
    assert.ok(kept.includes(wasm), `the current build's WebAssembly is kept: ${kept.join(', ')}`);
  }));
