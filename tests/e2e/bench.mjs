// Benchmark of the built page (not a test; nothing here passes or fails on a time):
//   - the size of the .wasm file, raw and gzip (zlib level 9), and of all of dist/, gzip;
//   - the time from navigation start to the demo's grand total being on screen, in headless
//     Debian Chromium, over N fresh page loads (a new browser context each: empty cache,
//     no compiled-code cache), median and p95.
//
//   node tests/e2e/bench.mjs [--runs 20] [--json bench-out/bench.json]
//
// Expects dist/ built already (`make bench` builds it with `trunk build --release --offline`).

import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { DIST, REPO_ROOT, startServer } from './serve.mjs';
import { CHROMIUM, DEMO, launchBrowser, recordNetwork } from './support.mjs';

function parseArgs(argv) {
  const opts = { runs: 20, json: join(REPO_ROOT, 'bench-out', 'bench.json') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--runs') opts.runs = Number(value());
    else if (flag === '--json') opts.json = value();
    else {
      console.error('usage: node tests/e2e/bench.mjs [--runs N] [--json FILE]');
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) {
    console.error('bench: --runs must be a positive integer');
    process.exit(2);
  }
  return opts;
}

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

const gzip9 = (buf) => gzipSync(buf, { level: 9 }).length;

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const bytes = (n) => n.toLocaleString('en-GB');
const ms = (n) => (n == null ? '-' : `${n.toFixed(1)} ms`);

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// Runs in the page before any of its scripts: notes performance.now() (ms since navigation
// start) when grand-total-all first reads the demo total, and at the next animation frame.
const OBSERVER = (expected) => {
  const probe = () => {
    if (window.__gapwise_shown != null) return true;
    const el = document.querySelector('[data-testid="grand-total-all"]');
    if (el && el.textContent.trim() === expected) {
      window.__gapwise_shown = performance.now();
      requestAnimationFrame(() => {
        window.__gapwise_frame = performance.now();
      });
      return true;
    }
    return false;
  };
  const start = () => {
    if (probe()) return;
    const mo = new MutationObserver(() => {
      if (probe()) mo.disconnect();
    });
    mo.observe(document, { subtree: true, childList: true, characterData: true });
  };
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
};

async function sizes() {
  const files = await filesUnder(DIST);
  const wasm = [];
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const buf = await readFile(f);
    const g = gzip9(buf);
    raw += buf.length;
    gz += g;
    if (f.endsWith('.wasm')) wasm.push({ file: relative(DIST, f), raw: buf.length, gzip: g });
  }
  return { wasm, dist: { files: files.length, raw, gzip: gz } };
}

async function loadOnce(browser, url) {
  const context = await browser.newContext();
  const network = recordNetwork(context, new URL(url).origin);
  try {
    const page = await context.newPage();
    await page.addInitScript(OBSERVER, DEMO.all);
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__gapwise_frame != null, null, { timeout: 60_000, polling: 50 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        shown: window.__gapwise_shown,
        frame: window.__gapwise_frame,
        domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
        load: nav?.loadEventEnd || null,
      };
    });
    return { ...t, foreign: network.foreign };
  } finally {
    await context.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  try {
    await stat(join(DIST, 'index.html'));
  } catch {
    console.error(`bench: ${DIST}/index.html is missing; build first (make bench does: trunk build --release --offline)`);
    process.exit(1);
  }

  const size = await sizes();
  if (size.wasm.length === 0) {
    console.error(`bench: no .wasm file in ${DIST}`);
    process.exit(1);
  }

  const server = await startServer({ root: DIST });
  const browser = await launchBrowser();
  const browserVersion = `Chromium ${browser.version()} (${CHROMIUM})`;
  const runs = [];
  let warmup;
  try {
    // One load first, not counted: it starts Chromium's renderer and network processes.
    warmup = await loadOnce(browser, server.url);
    for (let i = 0; i < opts.runs; i++) {
      runs.push(await loadOnce(browser, server.url));
      if (process.stderr.isTTY) process.stderr.write(`\rbench: page load ${i + 1}/${opts.runs}`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
  } finally {
    await browser.close();
    await server.close();
  }

  const stat1 = (key) => {
    const v = runs.map((r) => r[key]).filter((x) => typeof x === 'number').sort((a, b) => a - b);
    if (v.length === 0) return null;
    return { median: percentile(v, 50), p95: percentile(v, 95), min: v[0], max: v.at(-1), n: v.length };
  };
  const timing = {
    shown: stat1('shown'),
    frame: stat1('frame'),
    domContentLoaded: stat1('domContentLoaded'),
  };
  const foreign = [...new Set(runs.flatMap((r) => r.foreign).concat(warmup?.foreign ?? []))];

  console.log('');
  console.log(`Gapwise benchmark: the build in ${relative(REPO_ROOT, DIST).startsWith('..') ? DIST : relative(REPO_ROOT, DIST) + '/'}`);
  console.log('');
  console.log(
    table(
      ['size', 'raw', 'gzip -9'],
      [
        ...size.wasm.map((w) => [w.file, `${bytes(w.raw)} B (${kib(w.raw)})`, `${bytes(w.gzip)} B (${kib(w.gzip)})`]),
        [
          `dist/ total (${size.dist.files} files)`,
          `${bytes(size.dist.raw)} B (${kib(size.dist.raw)})`,
          `${bytes(size.dist.gzip)} B (${kib(size.dist.gzip)})`,
        ],
      ],
    ),
  );
  console.log('');
  console.log(
    `Time from navigation start, ${opts.runs} fresh page loads (new browser context each), headless ${browserVersion}`,
  );
  console.log('');
  const row = (label, s) => [label, ms(s?.median), ms(s?.p95), ms(s?.min), ms(s?.max)];
  console.log(
    table(
      ['milestone', 'median', 'p95', 'min', 'max'],
      [
        row('DOMContentLoaded', timing.domContentLoaded),
        row(`grand total ${DEMO.all} in the DOM`, timing.shown),
        row('  ... and the next frame', timing.frame),
      ],
    ),
  );
  console.log('');
  console.log('p95 is nearest-rank; one unmeasured warm-up load ran first.');
  if (foreign.length) console.log(`warning: requests to other origins: ${foreign.join(', ')}`);

  const result = {
    date: new Date().toISOString(),
    runs: opts.runs,
    chromium: browserVersion,
    sizes: size,
    timing_ms: timing,
    samples_ms: runs.map(({ shown, frame, domContentLoaded }) => ({ shown, frame, domContentLoaded })),
    foreign_requests: foreign,
  };
  if (opts.json) {
    await mkdir(dirname(opts.json), { recursive: true });
    await writeFile(opts.json, JSON.stringify(result, null, 2) + '\n');
    const shown = relative(process.cwd(), opts.json);
    console.log(`results: ${shown.startsWith('..') ? opts.json : shown}`);
  }
}

await main();
