// Gapwise's service worker: after the first visit the page works offline.
//
// Network first, the cache as the fallback: online, every file comes fresh from the site (so a
// new build is never hidden behind an old one); offline, the copy kept at the last visit is
// used. On install it keeps the page and every file the page names (its script, WebAssembly and
// stylesheet: Trunk writes them into index.html with hashed names) and the Web Worker's files, so
// the first visit is enough.
// Only same-origin GET requests are handled; nothing is ever sent anywhere.

const CACHE = 'gapwise-v1';

async function keepPage() {
  const cache = await caches.open(CACHE);
  const page = await fetch('./', { cache: 'no-cache' });
  if (!page.ok) return;
  await cache.put('./', page.clone());
  const html = await page.text();
  // The Web Worker's files are not named in the page (the page starts the worker itself).
  const worker = ['worker-loader.js', 'gapwise-worker.js', 'gapwise-worker_bg.wasm'];
  const names = [...html.matchAll(/(?:href|src)="([^"#?]+)"/g)]
    .map((m) => m[1])
    .concat(worker)
    .map((name) => new URL(name, self.registration.scope))
    .filter((u) => u.origin === self.location.origin && !u.pathname.endsWith('/'));
  await Promise.all(
    names.map(async (u) => {
      try {
        const r = await fetch(u, { cache: 'no-cache' });
        if (r.ok) await cache.put(u, r);
      } catch {
        // a file that cannot be fetched now is fetched and kept at its first use
      }
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepPage().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) {
          // The page itself is kept once, whatever its query (?data=...) or fragment.
          const key = request.mode === 'navigate' ? './' : request;
          await cache.put(key, response.clone());
        }
        return response;
      } catch (e) {
        const kept = await cache.match(request.mode === 'navigate' ? './' : request, { ignoreSearch: request.mode === 'navigate' });
        if (kept) return kept;
        throw e;
      }
    })(),
  );
});
