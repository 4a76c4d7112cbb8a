// Gapwise's service worker: after the first visit the page works offline, and a repeat visit
// on a slow line downloads only what changed.
//
// - Files with a content hash in their name (Trunk writes the page's script, WebAssembly and
//   stylesheet as `gapwise-<hash>.js`, `…_bg.wasm`, `main-<hash>.css`, the hash a 64-bit number
//   in hex without its leading zeros, so 16 digits or fewer) never change:
//   they are served from the cache first, fetched only when not kept yet.
// - Everything else (the page itself, the Web Worker's files, which have no hash in their
//   names) is network first, the cache as the fallback: online, a new build is never hidden
//   behind an old one; offline, the copy kept at the last visit is used.
// - Each time the page is fetched, the hashed files it no longer names (an older build's) are
//   dropped from the cache, so the cache holds one build, not every build ever seen.
// On install it keeps the page and every file the page names and the Web Worker's files, so the
// first visit is enough. Only same-origin GET requests are handled; nothing is sent anywhere.

const CACHE = 'gapwise-v1';
// `name-0123456789abcdef.js`, `name-0123456789abcdef_bg.wasm`, `name-0123456789abcdef.css`.
// Trunk writes the hash without leading zeros (one build in 16 has 15 digits, as `d6822393536cdae`);
// 12 to 16 digits admits those and no ordinary word.
const HASHED = /-[0-9a-f]{12,16}(?:_bg)?\.(?:js|wasm|css)$/;
// The Web Workers' files are not named in the page (the page starts them itself): the import
// worker's and the workbook writer's, kept at install so both work offline after a first visit.
const WORKER = [
  'worker-loader.js',
  'gapwise-worker.js',
  'gapwise-worker_bg.wasm',
  'writer-loader.js',
  'gapwise-writer.js',
  'gapwise-writer_bg.wasm',
];

/** The same-origin files a page's HTML names, and the worker's, as absolute URLs. */
function namedBy(html) {
  return [...html.matchAll(/(?:href|src)="([^"#?]+)"/g)]
    .map((m) => m[1])
    .concat(WORKER)
    .map((name) => new URL(name, self.registration.scope))
    .filter((u) => u.origin === self.location.origin && !u.pathname.endsWith('/'));
}

/** Drops the kept hashed files that this page's HTML no longer names (an older build's). */
async function dropOlderBuilds(cache, html) {
  const current = new Set(namedBy(html).map((u) => u.pathname));
  const keys = await cache.keys();
  await Promise.all(
    keys
      .map((request) => new URL(request.url))
      .filter((u) => HASHED.test(u.pathname) && !current.has(u.pathname))
      .map((u) => cache.delete(u.href)),
  );
}

async function keepPage() {
  const cache = await caches.open(CACHE);
  const page = await fetch('./', { cache: 'no-cache' });
  if (!page.ok) return;
  await keep(cache, './', page.clone());
  const html = await page.text();
  await Promise.all(
    namedBy(html).map(async (u) => {
      try {
        if (HASHED.test(u.pathname) && (await cache.match(u.href))) return;
        const r = await fetch(u, { cache: 'no-cache' });
        if (r.ok) await keep(cache, u, r);
      } catch {
        // a file that cannot be fetched now is fetched and kept at its first use
      }
    }),
  );
  await dropOlderBuilds(cache, html);
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

/**
 * Keeps a response in the cache if the browser lets it: a full storage quota (a big saved
 * schedule in IndexedDB shares it) refuses the put, and the response is still served.
 */
async function keep(cache, key, response) {
  try {
    await cache.put(key, response);
  } catch {
    // Not kept: the next visit fetches it again.
  }
}

/** A hashed file: the kept copy, else the network's (then kept). */
async function cacheFirst(cache, request) {
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await keep(cache, request, response.clone());
  return response;
}

/** Anything else: the network's copy (then kept), else the kept one. */
async function networkFirst(cache, request) {
  const navigate = request.mode === 'navigate';
  // The page itself is kept once, whatever its query (?data=...) or fragment.
  const key = navigate ? './' : request;
  try {
    const response = await fetch(request);
    if (response.ok) {
      await keep(cache, key, response.clone());
      if (navigate) {
        // A new build's page names new hashed files: the older build's are dropped.
        const html = await response.clone().text();
        await dropOlderBuilds(cache, html);
      }
    }
    return response;
  } catch (e) {
    const kept = await cache.match(key, { ignoreSearch: navigate });
    if (kept) return kept;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => (HASHED.test(url.pathname) ? cacheFirst(cache, request) : networkFirst(cache, request))),
  );
});
