// Benchmark of the built page (not a test; nothing here passes or fails on a time):
//   - the size of the .wasm file, raw and gzip (zlib level 9), and of all of dist/, gzip;
//   - the time from navigation start to the demo's grand total being on screen, in headless
//     Debian Chromium, over N fresh page loads (a new browser context each: empty cache,
//     no compiled-code cache), median and p95;
//   - editing a 10,000-line schedule (generated here: 20 sections, 5 years) with a gap model of
//     the same years that the schedule feeds: the time from uploading it to its grand total on
//     screen, the edit latency of 50 cell edits (from the Enter keydown until the new grand
//     total is on screen and the gap summary's last year has changed; the lines spread evenly,
//     edited from the bottom of the table up, the table scrolled to each first), and the time
//     to create a scenario and to switch between
//     it and the baseline (until the comparison appears or goes). Each step has a time limit; a
//     step over it is reported as "did not finish in N s", the next one runs on a new page with
//     the file uploaded again, and after 3 edits in a row over it the rest are not tried;
//   - importing generated CSVs (--import-sizes) --import-runs times each: file chosen → grand
//     total on screen, where the time goes (the page's and the worker's marks,
//     window.__gapwiseTimings, src/ui/timings.rs), and the peer in the same browser run on the
//     same file, PapaParse 5 parse only (tests/e2e/node_modules/papaparse), with the ratio;
//     the XLSX of the same table once;
//   - the first visit and a repeat visit on a slow line (--slow-runs times each; Chromium's
//     Network.emulateNetworkConditions: 10 Mbit/s down and up, 40 ms latency): navigation →
//     the demo's grand total on screen, and the bytes fetched by then (the resources' transfer
//     sizes as sent: a second local server sends text and WebAssembly gzip-compressed, as a
//     static host would). The repeat visit reloads once the service worker controls the page,
//     as a second visit would.
//
//   node tests/e2e/bench.mjs [--runs 20] [--json bench-out/bench.json]
//                            [--lines 10000] [--edits 50] [--toggles 10] [--step-timeout 120]
//                            [--import-sizes 1000,100000,1000000 | 0] [--import-runs 3]
//                            [--risk-lines 1000 | 0]
//   (--lines 0 skips the second part)
//
// Expects dist/ built already (`make bench` builds it with `trunk build --release --offline`).

import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { DIST, REPO_ROOT, startServer } from './serve.mjs';
import { CHROMIUM, DEMO, launchBrowser, recordNetwork } from './support.mjs';

function parseArgs(argv) {
  const opts = {
    runs: 20,
    json: join(REPO_ROOT, 'bench-out', 'bench.json'),
    lines: 10_000,
    edits: 50,
    toggles: 10,
    stepTimeout: 120,
    importSizes: [1_000, 100_000, 1_000_000],
    importRuns: 3,
    riskLines: 1_000,
    slowRuns: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--runs') opts.runs = Number(value());
    else if (flag === '--json') opts.json = value();
    else if (flag === '--lines') opts.lines = Number(value());
    else if (flag === '--edits') opts.edits = Number(value());
    else if (flag === '--toggles') opts.toggles = Number(value());
    else if (flag === '--step-timeout') opts.stepTimeout = Number(value());
    else if (flag === '--risk-lines') opts.riskLines = Number(value());
    else if (flag === '--import-runs') opts.importRuns = Number(value());
    else if (flag === '--slow-runs') opts.slowRuns = Number(value());
    else if (flag === '--import-sizes') {
      const v = value();
      opts.importSizes = v === '0' ? [] : v.split(',').map(Number);
    }
    else {
      console.error(
        'usage: node tests/e2e/bench.mjs [--runs N] [--json FILE] [--lines N] [--edits N] [--toggles N] [--step-timeout S] [--import-sizes 1000,100000,1000000 | 0] [--import-runs 3] [--risk-lines 1000 | 0] [--slow-runs 3 | 0]',
      );
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) {
    console.error('bench: --runs must be a positive integer');
    process.exit(2);
  }
  if (!Number.isInteger(opts.importRuns) || opts.importRuns < 1) {
    console.error('bench: --import-runs must be a positive integer');
    process.exit(2);
  }
  for (const k of ['lines', 'edits', 'toggles']) {
    if (!Number.isInteger(opts[k]) || opts[k] < 0) {
      console.error(`bench: --${k} must be a whole number`);
      process.exit(2);
    }
  }
  if (opts.lines > 0 && opts.lines < LARGE_SECTIONS) {
    console.error(`bench: --lines must be 0 or at least ${LARGE_SECTIONS} (one line per section)`);
    process.exit(2);
  }
  if (!(opts.stepTimeout > 0)) {
    console.error('bench: --step-timeout must be a positive number of seconds');
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

/** Chromium's network emulation of a slow line: 10 Mbit/s each way, 40 ms latency. */
const SLOW_LINE = {
  offline: false,
  latency: 40,
  downloadThroughput: (10 * 1000 * 1000) / 8,
  uploadThroughput: (10 * 1000 * 1000) / 8,
};

/** Navigation → demo total, and the bytes fetched by the time it showed, in the page. */
async function shownAndBytes(page) {
  await page.waitForFunction(() => window.__gapwise_frame != null, null, { timeout: 120_000, polling: 50 });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const by = window.__gapwise_shown;
    const fetched = performance
      .getEntriesByType('resource')
      .filter((r) => r.responseEnd <= by)
      .reduce((sum, r) => sum + (r.transferSize || 0), nav?.transferSize || 0);
    return { shown: by, bytes: fetched };
  });
}

/**
 * A first visit on a slow line (fresh context: empty cache, no service worker), then a repeat
 * visit once the service worker controls the page (its cache-first hashed files).
 */
async function slowVisits(browser, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_LINE);
    await page.addInitScript(OBSERVER, DEMO.all);
    await page.goto(url, { waitUntil: 'commit' });
    const first = await shownAndBytes(page);
    // The service worker installs (keeping the files) and takes control; then a second visit.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    await page.reload({ waitUntil: 'commit' });
    const repeat = await shownAndBytes(page);
    return { first, repeat };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Part two: editing a large schedule.

const LARGE_SECTIONS = 20;
const LARGE_YEARS = ['2021/22', '2022/23', '2023/24', '2024/25', '2025/26'];

/** A small deterministic PRNG (mulberry32), so every run edits the same schedule the same way. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer tenths as the CSV writes them: 1234.5 (never negative here). */
const plainTenths = (t) => `${Math.trunc(t / 10)}.${t % 10}`;

/** Integer tenths as the page shows them at one decimal: 1,234.5, negatives in brackets. */
function shownTenths(t) {
  const abs = Math.abs(t);
  const int = String(Math.trunc(abs / 10)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${int}.${abs % 10}`;
  return t < 0 ? `(${text})` : text;
}

/**
 * The large schedule: a header, a unit row, then LARGE_SECTIONS sections of a heading row (the
 * first cell only), its lines (figures in tenths up to 200.0, and their TOTAL) and a closing
 * `Total ...` row with the exact sums. Every sum is kept in integer tenths.
 */
function largeSchedule(lineCount) {
  const rand = prng(20_212_026);
  const rows = [
    ['Source', 'Project name', 'Reference No.', 'Description', ...LARGE_YEARS, 'TOTAL'],
    ['', '', '', '', ...LARGE_YEARS.map(() => "£'000"), "£'000"],
  ];
  const lines = []; // { row, years: [tenths...] }, row the file row counting from 1
  let n = 0;
  for (let s = 0; s < LARGE_SECTIONS; s++) {
    const inSection = Math.floor(lineCount / LARGE_SECTIONS) + (s < lineCount % LARGE_SECTIONS ? 1 : 0);
    rows.push([`Directorate ${s + 1}`, '', '', '', ...LARGE_YEARS.map(() => ''), '']);
    const sums = LARGE_YEARS.map(() => 0);
    for (let j = 0; j < inSection; j++) {
      n += 1;
      // Most figures 0.0 to 200.0; about one in eight a round 0.0.
      const years = LARGE_YEARS.map(() => (rand() < 0.125 ? 0 : Math.floor(rand() * 2001)));
      years.forEach((t, y) => (sums[y] += t));
      const total = years.reduce((a, b) => a + b, 0);
      rows.push([
        s % 2 ? 'Capital' : 'Revenue',
        `Project ${n}`,
        `BR${String(n).padStart(5, '0')}`,
        `Saving ${n} in directorate ${s + 1}`,
        ...years.map(plainTenths),
        plainTenths(total),
      ]);
      lines.push({ row: rows.length, years });
    }
    rows.push([
      `Total Directorate ${s + 1}`,
      '',
      '',
      '',
      ...sums.map(plainTenths),
      plainTenths(sums.reduce((a, b) => a + b, 0)),
    ]);
  }
  const csv = rows.map((r) => r.join(',')).join('\n') + '\n';
  const grand = lines.reduce((a, l) => a + l.years.reduce((b, t) => b + t, 0), 0);
  return { csv, lines, grand, rows: rows.length, table: rows };
}

/**
 * Runs in the page before any of its scripts. `__bench.arm(trigger, want)` prepares one
 * measurement: its start is performance.now() when the trigger event (a keydown of a key, a
 * change or a click on the element with a test id) reaches the window, in the capture phase,
 * before any of the page's own handlers; its end is when `want` holds (the element with a test
 * id reads a text, is visible, or is hidden or gone), seen by a MutationObserver or, failing
 * that, at an animation frame; and the frame after.
 */
const PROBE = () => {
  const bench = { pending: null, done: null };
  window.__bench = bench;
  // The element with a test id (the last of several: the gap summary's last year).
  const find = (testid) => [...document.querySelectorAll(`[data-testid="${testid}"]`)].at(-1) ?? null;
  const visible = (el) => !!el && el.isConnected && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const text = (testid) => find(testid)?.textContent.trim() ?? null;
  // `want` is one condition or a list that must all hold: the text of an element is `text`, or
  // has `changed` from what it read when the probe was armed; the element is visible or hidden.
  const holds = (want) => {
    if (Array.isArray(want)) return want.every(holds);
    const el = find(want.testid);
    if (want.state === 'text') return !!el && el.textContent.trim() === want.text;
    if (want.state === 'changed') return !!el && el.textContent.trim() !== want.was;
    if (want.state === 'visible') return visible(el);
    return !visible(el);
  };
  const remember = (want) => {
    if (Array.isArray(want)) return want.map(remember);
    return want.state === 'changed' ? { ...want, was: text(want.testid) } : want;
  };
  let observer = null;
  const check = () => {
    const p = bench.pending;
    if (!p || p.start == null || p.shown != null) return;
    if (!holds(p.want)) return;
    p.shown = performance.now();
    observer?.disconnect();
    observer = null;
    requestAnimationFrame(() => {
      p.frame = performance.now();
      bench.done = p;
      bench.pending = null;
    });
  };
  const poll = () => {
    const p = bench.pending;
    if (!p || p.shown != null) return;
    check();
    requestAnimationFrame(poll);
  };
  bench.arm = (trigger, want) => {
    observer?.disconnect();
    observer = null;
    bench.done = null;
    bench.pending = { trigger, want: remember(want), start: null, shown: null, frame: null };
  };
  const onEvent = (ev) => {
    const p = bench.pending;
    if (!p || p.start != null) return;
    const t = p.trigger;
    if (ev.type !== t.type) return;
    if (t.key && ev.key !== t.key) return;
    if (t.testid && !(ev.target instanceof Element && ev.target.closest(`[data-testid="${t.testid}"]`))) return;
    p.start = performance.now();
    observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, characterData: true });
    requestAnimationFrame(poll);
  };
  for (const type of ['keydown', 'change', 'click']) window.addEventListener(type, onEvent, { capture: true });
};

class StepTimeout extends Error {}

/**
 * Runs one step of the benchmark within `seconds`: resolves to { ok: true, ...value }, or to
 * { ok: false, timeout: true } when it did not finish in time (its work may still be going on
 * in the page), or to { ok: false, error } when it failed otherwise.
 */
async function step(seconds, fn) {
  let timer;
  const limit = new Promise((_, no) => {
    timer = setTimeout(() => no(new StepTimeout()), seconds * 1000);
  });
  const run = fn(Date.now() + seconds * 1000);
  run.catch(() => {}); // a step abandoned at its time limit may fail later; that is not news
  try {
    return { ok: true, ...(await Promise.race([run, limit])) };
  } catch (e) {
    if (e instanceof StepTimeout || e?.name === 'TimeoutError') return { ok: false, timeout: true };
    return { ok: false, error: String(e?.message ?? e).split('\n')[0] };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Measures one action in the page: arms the probe, runs `action` (which must cause `trigger`),
 * and waits until `want` holds and a frame has passed. Times in ms from the trigger.
 */
async function measure(page, deadline, trigger, want, action) {
  const left = () => Math.max(1, deadline - Date.now());
  await page.evaluate(([t, w]) => window.__bench.arm(t, w), [trigger, want]);
  await action(left);
  await page.waitForFunction(() => window.__bench.done != null, null, { timeout: left(), polling: 50 });
  return page.evaluate(() => {
    const d = window.__bench.done;
    return { shown: d.shown - d.start, frame: d.frame - d.start };
  });
}

function stats(values) {
  const v = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return null;
  return { median: percentile(v, 50), p95: percentile(v, 95), min: v[0], max: v.at(-1), n: v.length };
}

/** The texts of the page's messages and checks, to see whether anything looks wrong. */
async function screenNotes(page, seconds) {
  const r = await step(seconds, () =>
    page.evaluate(() => {
      const out = {};
      for (const id of ['message', 'problems', 'edit-message', 'save-status', 'checks-subtotals', 'checks-lines', 'schedule-title', 'schedule-unit']) {
        const els = [...document.querySelectorAll(`[data-testid="${id}"]`)];
        if (els.length) out[id] = els.map((e) => e.textContent.trim().replace(/\s+/g, ' ').slice(0, 300)).join(' | ');
      }
      // Table rows with a file row id: lines, section headings and total rows.
      out.table_rows = document.querySelectorAll('[data-testid="schedule-table"] tr[id^="row-"]').length;
      return out;
    }),
  );
  if (r.ok) {
    delete r.ok;
    return r;
  }
  return { unreadable: r.timeout ? `the page did not answer in ${seconds} s` : r.error };
}

/** After this many edits in a row do not finish, the remaining (higher up, slower) are not tried. */
const EDIT_GIVE_UP = 3;

/**
 * Opens the page in a new browser context and uploads the large schedule: the upload measured
 * from the file input's change event to the grand total on screen.
 */
async function openLarge(browser, serverUrl, gen, seconds, log) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const network = recordNetwork(context, new URL(serverUrl).origin);
  log.networks.push(network);
  const page = await context.newPage();
  page.setDefaultTimeout(seconds * 1000);
  page.on('pageerror', (e) => log.pageErrors.push(String(e?.message ?? e).split('\n')[0]));
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text().split('\n')[0]);
    else if (m.type() === 'warning') log.consoleWarnings.push(m.text().split('\n')[0]);
  });
  page.on('crash', () => log.pageErrors.push('the page crashed'));
  await page.addInitScript(PROBE);
  const opened = await step(seconds, async (deadline) => {
    await page.goto(serverUrl, { timeout: deadline - Date.now() });
    await page
      .locator('[data-testid="app"][data-ready="true"]')
      .waitFor({ state: 'attached', timeout: deadline - Date.now() });
    return {};
  });
  if (!opened.ok) return { context, page, opened, upload: null };
  const upload = await step(seconds, (deadline) =>
    measure(page, deadline, { type: 'change', testid: 'file-input' }, { testid: 'grand-total-all', state: 'text', text: shownTenths(gen.grand) }, (left) =>
      page
        .locator('[data-testid="file-input"]')
        .setInputFiles({ name: `large-schedule-${gen.lines.length}.csv`, mimeType: 'text/csv', buffer: Buffer.from(gen.csv) }, { timeout: left() }),
    ),
  );
  if (!upload.ok) return { context, page, opened, upload };
  // The gap model of the same years, fed by the schedule: uploaded, the feed turned on in the
  // Funding gap view, back to the table.
  const gap = await step(seconds, async (deadline) => {
    const left = () => Math.max(1, deadline - Date.now());
    await page
      .locator('[data-testid="file-input"]')
      .setInputFiles({ name: 'large-gap.csv', mimeType: 'text/csv', buffer: Buffer.from(largeGap()) }, { timeout: left() });
    await page.locator('[data-testid="gap-view"]').waitFor({ timeout: left() });
    await page.locator('[data-testid="gap-feed"]').check({ timeout: left() });
    await page.locator('[data-testid="tab-schedule"]').click({ timeout: left() });
    await page.locator('[data-testid="gap-summary"]', { hasText: 'fed in' }).waitFor({ timeout: left() });
    return {};
  });
  return { context, page, opened, upload: gap.ok ? upload : { ok: false, error: `the gap model: ${gap.error ?? 'timed out'}` } };
}

/**
 * A funding gap table of the large schedule's years, in £'000: the net budget, pressures,
 * investment, funding and use of reserves; the schedule's savings are fed in on top.
 */
function largeGap() {
  const row = (label, f) => [label, ...LARGE_YEARS.map((_, y) => plainTenths(f(y)))].join(',');
  return [
    ['Line', ...LARGE_YEARS].join(','),
    ['', ...LARGE_YEARS.map(() => "£'000")].join(','),
    row('Net Budget', () => 5_000_000),
    row('Pressures (demand and inflation)', (y) => 200_000 * (y + 1)),
    row('Investment', (y) => 20_000 * (y + 1)),
    row('Funding available', (y) => 5_050_000 + 100_000 * y),
    row('Use of reserves', () => 10_000),
  ].join('\n') + '\n';
}

/**
 * Scrolls the schedule table so the row of file row `row` is drawn: the table draws only the
 * rows in view, each `data-row-px` high, in file order (the generated file's rows 1 and 2 are
 * its header and unit row, so file row r is the table's (r − 3)th body row).
 */
async function scrollToRow(page, row, timeout) {
  await page.evaluate((r) => {
    const box = document.querySelector('[data-testid="schedule-table"]')?.closest('.table-scroll');
    const spacer = box?.querySelector('tr.spacer');
    const px = Number(box?.dataset.rowPx ?? 0);
    if (!box || !spacer || !px || document.getElementById(`row-${r}`)) return;
    box.scrollTop = Math.max(0, spacer.offsetTop + (r - 3) * px - box.clientHeight / 2);
  }, row);
  await page.locator(`#row-${row}`).waitFor({ state: 'attached', timeout });
}

/** Closes a browser context, a stuck one included, without waiting more than 30 s. */
async function closeContext(context) {
  await Promise.race([context.close().catch(() => {}), sleep(30_000)]);
}

async function largeScheduleBench(browser, serverUrl, opts) {
  const seconds = opts.stepTimeout;
  // Screenshots (the viewport, for a look at what was on screen) go next to the JSON.
  const shotDir = opts.json ? dirname(opts.json) : join(REPO_ROOT, 'bench-out');
  const progress = (text) => process.stderr.isTTY && process.stderr.write(text);
  const gen = largeSchedule(opts.lines);
  const out = {
    lines: gen.lines.length,
    years: LARGE_YEARS.length,
    sections: LARGE_SECTIONS,
    csv_rows: gen.rows,
    csv_bytes: Buffer.byteLength(gen.csv),
    step_timeout_s: seconds,
    grand_total: shownTenths(gen.grand),
    uploads: [],
    edits: [],
    toggles: [],
    reopened: [],
  };
  const log = { networks: [], pageErrors: [], consoleErrors: [], consoleWarnings: [] };
  let s = null; // the page in use: { context, page, opened, upload }
  // A new page with the schedule uploaded afresh (a new browser context: nothing saved).
  const reopen = async (why) => {
    if (s) await closeContext(s.context);
    if (why) out.reopened.push(why);
    s = await openLarge(browser, serverUrl, gen, seconds, log);
    if (!s.opened.ok) out.open = s.opened;
    else out.uploads.push(s.upload);
    return s.opened.ok && s.upload.ok;
  };
  try {
    let ready = await reopen(null);
    out.after_upload = await screenNotes(s.page, 30);
    progress('bench: large schedule uploaded\n');

    // Edits at `opts.edits` lines spread evenly over the schedule, made from the bottom up (the
    // table's redraw with a cell editor open costs more the more rows follow the cell). Each:
    // click the line's first year cell, type a new figure, wait until the editor holds it, then
    // Enter, measured from the Enter keydown to the new grand total and gap on screen. An edit that does
    // not finish leaves the page busy: the next one starts on a new page with the file uploaded
    // again.
    const original = gen.lines.map((l) => l.years[0]);
    let first = original.slice();
    let grand = gen.grand;
    let stuck = false;
    let inARow = 0;
    const rand = prng(5_000);
    const picks = [];
    for (let k = 0; k < opts.edits; k++) picks.push(Math.floor(((k + 0.5) * gen.lines.length) / opts.edits));
    picks.reverse();
    for (let i = 0; i < picks.length && ready; i++) {
      const index = picks[i];
      const line = gen.lines[index];
      let value;
      do value = Math.floor(rand() * 100_000); // 0.0 to 9,999.9
      while (value === first[index]);
      if (inARow >= EDIT_GIVE_UP) {
        out.edits.push({ row: line.row, line: index + 1, ok: false, skipped: true });
        continue;
      }
      if (stuck) {
        ready = await reopen(`before the edit of row ${line.row}: the previous edit did not finish`);
        first = original.slice();
        grand = gen.grand;
        stuck = false;
        if (!ready) break;
      }
      const typed = plainTenths(value);
      const expected = shownTenths(grand - first[index] + value);
      const page = s.page;
      const r = await step(seconds, async (deadline) => {
        const left = () => Math.max(1, deadline - Date.now());
        const t0 = Date.now();
        await scrollToRow(page, line.row, left());
        await page.locator(`#row-${line.row} td[data-year="0"]`).click({ timeout: left() });
        await page.keyboard.type(typed);
        await page.waitForFunction(
          (text) => document.querySelector('[data-testid="cell-input"]')?.value === text,
          typed,
          { timeout: left(), polling: 50 },
        );
        const typing = Date.now() - t0;
        const want = [
          { testid: 'grand-total-all', state: 'text', text: expected },
          { testid: 'summary-gap', state: 'changed' },
        ];
        const m = await measure(page, deadline, { type: 'keydown', key: 'Enter' }, want, () => page.keyboard.press('Enter'));
        return { ...m, click_and_type_wall_ms: typing };
      });
      out.edits.push({ row: line.row, line: index + 1, from: shownTenths(first[index]), typed, expected, ...r });
      if (r.ok) {
        grand = grand - first[index] + value;
        first[index] = value;
        inARow = 0;
      } else {
        stuck = true;
        inARow += 1;
      }
      progress(`\rbench: edit ${i + 1}/${picks.length}`);
    }
    progress('\n');
    out.after_edits = stuck ? { unreadable: 'the last edit did not finish; the page was left busy' } : await screenNotes(s.page, 30);
    if (!stuck) await s.page.screenshot({ path: join(shotDir, 'large-schedule.png'), timeout: 30_000 }).catch(() => {});

    // Scenarios: the tab, a new scenario (until the comparison is visible), then the select
    // between the baseline and the scenario, until the comparison appears or goes. On a new page
    // if the edits left theirs busy.
    if (stuck && ready) ready = await reopen('before the scenarios: the last edit did not finish');
    if (ready) {
      const page = s.page;
      out.scenarios_on = stuck ? 'the schedule as uploaded' : 'the schedule after the edits';
      out.scenario_tab_ms = await step(seconds, (deadline) =>
        measure(page, deadline, { type: 'click', testid: 'tab-scenarios' }, { testid: 'scenario-view', state: 'visible' }, (left) =>
          page.locator('[data-testid="tab-scenarios"]').click({ timeout: left() }),
        ),
      );
      if (out.scenario_tab_ms.ok) {
        out.new_scenario_ms = await step(seconds, (deadline) =>
          measure(page, deadline, { type: 'click', testid: 'new-scenario' }, { testid: 'comparison', state: 'visible' }, (left) =>
            page.locator('[data-testid="new-scenario"]').click({ timeout: left() }),
          ),
        );
      }
      if (out.new_scenario_ms?.ok) {
        for (let i = 0; i < opts.toggles; i++) {
          const to = i % 2 === 0 ? 'baseline' : '0';
          const r = await step(seconds, (deadline) =>
            measure(
              page,
              deadline,
              { type: 'change', testid: 'scenario-select' },
              { testid: 'comparison', state: to === 'baseline' ? 'hidden' : 'visible' },
              (left) => page.locator('[data-testid="scenario-select"]').selectOption(to, { timeout: left() }),
            ),
          );
          out.toggles.push({ to, ...r });
          if (!r.ok) break; // the page is busy; the rest would only wait for it
          progress(`\rbench: scenario switch ${i + 1}/${opts.toggles}`);
        }
        progress('\n');
      }
      out.after_scenarios = await screenNotes(page, 30);
      await page.screenshot({ path: join(shotDir, 'large-scenarios.png'), timeout: 30_000 }).catch(() => {});
    }
  } finally {
    if (s) await closeContext(s.context);
    out.page_errors = [...new Set(log.pageErrors)];
    out.console_errors = [...new Set(log.consoleErrors)].slice(0, 20);
    out.console_warnings = [...new Set(log.consoleWarnings)].slice(0, 20);
    out.foreign_requests = [...new Set(log.networks.flatMap((n) => n.foreign))];
  }
  const okTimes = (list, key) => list.filter((r) => r.ok).map((r) => r[key]);
  out.upload_stats_ms = { shown: stats(okTimes(out.uploads, 'shown')), frame: stats(okTimes(out.uploads, 'frame')) };
  out.edit_ms = { shown: stats(okTimes(out.edits, 'shown')), frame: stats(okTimes(out.edits, 'frame')) };
  out.toggle_ms = {
    shown: stats(okTimes(out.toggles, 'shown')),
    frame: stats(okTimes(out.toggles, 'frame')),
    to_baseline: stats(okTimes(out.toggles.filter((t) => t.to === 'baseline'), 'shown')),
    to_scenario: stats(okTimes(out.toggles.filter((t) => t.to !== 'baseline'), 'shown')),
  };
  return out;
}

/** The lines of the second part's report. */
function printLarge(large, opts) {
  const limit = `did not finish in ${large.step_timeout_s} s`;
  const failed = (r) => (r?.timeout ? limit : r?.error ? `failed: ${r.error}` : 'not run');
  const one = (label, r, key = 'shown') =>
    r?.ok ? [label, ms(r[key]), '-', '-', '-', '1'] : [label, failed(r), '', '', '', '0'];
  const many = (label, s, list, want) => {
    const bad = list.find((r) => !r.ok && !r.skipped);
    const n = `${s?.n ?? 0} of ${want}`;
    if (!s) return [label, bad ? failed(bad) : 'not run', '', '', '', n];
    return [label, ms(s.median), ms(s.p95), ms(s.min), ms(s.max), n];
  };
  const uploads = large.uploads ?? [];
  console.log('');
  console.log(
    `Editing a ${large.lines.toLocaleString('en-GB')}-line schedule (${large.sections} sections × ${large.years} years, ` +
      `${bytes(large.csv_bytes)} B of CSV, grand total ${large.grand_total}), same Chromium`,
  );
  console.log('');
  console.log(
    table(
      ['step (ms from the triggering event)', 'median', 'p95', 'min', 'max', 'n'],
      [
        many('upload (change) → grand total in the DOM', large.upload_stats_ms?.shown, uploads, uploads.length || 1),
        many('  ... and the next frame', large.upload_stats_ms?.frame, uploads, uploads.length || 1),
        many('edit (Enter) → new grand total and gap in the DOM', large.edit_ms?.shown, large.edits ?? [], opts.edits),
        many('  ... and the next frame', large.edit_ms?.frame, large.edits ?? [], opts.edits),
        one('Scenarios tab (click) → view shown', large.scenario_tab_ms),
        one('  ... and the next frame', large.scenario_tab_ms, 'frame'),
        one('new scenario (click) → comparison shown', large.new_scenario_ms),
        one('  ... and the next frame', large.new_scenario_ms, 'frame'),
        many('switch scenario ↔ baseline → comparison shown/gone', large.toggle_ms?.shown, large.toggles ?? [], opts.toggles),
        many('  ... and the next frame', large.toggle_ms?.frame, large.toggles ?? [], opts.toggles),
        many('  of which → baseline (comparison gone)', large.toggle_ms?.to_baseline, (large.toggles ?? []).filter((t) => t.to === 'baseline'), Math.ceil(opts.toggles / 2)),
        many('  of which → scenario (comparison shown)', large.toggle_ms?.to_scenario, (large.toggles ?? []).filter((t) => t.to !== 'baseline'), Math.floor(opts.toggles / 2)),
      ],
    ),
  );
  console.log('');
  console.log(`Each step has ${large.step_timeout_s} s. Uploads: the first, and one more on each new page.`);
  const edits = large.edits ?? [];
  if (edits.length) {
    const done = edits.filter((e) => e.ok);
    const late = edits.filter((e) => e.timeout);
    const skipped = edits.filter((e) => e.skipped);
    const other = edits.filter((e) => !e.ok && !e.timeout && !e.skipped);
    const rows = (list) => (list.length ? `rows ${list.map((e) => e.row).join(', ')}` : 'none');
    console.log(
      `Edits: ${opts.edits} lines spread evenly, from the bottom of the table up; clicking and typing before Enter not counted ` +
        `(its wall time: ${done.length ? `median ${ms(stats(done.map((e) => e.click_and_type_wall_ms)).median)}` : '-'}).`,
    );
    console.log(`  finished: ${done.length} (${done.length ? `rows ${done.at(-1).row} to ${done[0].row}` : 'none'})`);
    if (late.length) console.log(`  ${limit}, clicking and typing included: ${late.length} (${rows(late)})`);
    if (other.length) console.log(`  failed: ${other.length} (${other.map((e) => `row ${e.row}: ${e.error}`).join('; ')})`);
    if (skipped.length) console.log(`  not tried after ${EDIT_GIVE_UP} in a row did not finish: ${skipped.length} (rows ${skipped.at(-1).row} to ${skipped[0].row})`);
  }
  for (const why of large.reopened ?? []) console.log(`New page, the file uploaded again, ${why}.`);
  if (large.scenarios_on) console.log(`Scenarios on ${large.scenarios_on}.`);
  if (large.open && !large.open.ok) console.log(`warning: the page did not open: ${failed(large.open)}`);
  if (large.page_errors?.length) console.log(`warning: the page threw: ${large.page_errors.join(' | ')}`);
  if (large.console_errors?.length) console.log(`warning: console errors: ${large.console_errors.join(' | ')}`);
  if (large.foreign_requests?.length) console.log(`warning: requests to other origins: ${large.foreign_requests.join(', ')}`);
  for (const [when, notes] of [
    ['after the upload', large.after_upload],
    ['after the edits', large.after_edits],
    ['after the scenarios', large.after_scenarios],
  ]) {
    if (!notes) continue;
    const shown = Object.entries(notes)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ');
    console.log(`on screen ${when}: ${shown}`);
  }
}

const sleep = (n) => new Promise((ok) => setTimeout(ok, n));

/** The peak resident memory (VmHWM) of Chromium's renderer processes, in bytes. */
async function rendererPeak(browser) {
  try {
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    await cdp.detach();
    let peak = 0;
    for (const p of processInfo.filter((p) => p.type === 'renderer')) {
      const status = await readFile(`/proc/${p.id}/status`, 'utf8').catch(() => '');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb * 1024);
    }
    return peak || null;
  } catch {
    return null;
  }
}

/**
 * The page's marks of an import (`window.__gapwiseTimings`, src/ui/timings.rs), as the phases
 * between them in ms, with the worker's own phase times and the draw (to the grand total on
 * screen, as the probe saw it). `start` is the change event's time on the page's clock.
 */
function importPhases(t, start, shown) {
  if (!t) return null;
  const gap = (a, b) => (typeof t[a] === 'number' && typeof t[b] === 'number' ? t[b] - t[a] : null);
  const w = t.worker ?? {};
  const inWorker = gap('posted', 'received');
  const workerSum = ['copy_in', 'read', 'map', 'encode'].reduce((a, k) => a + (w[k] ?? 0), 0);
  return {
    'page: file read (change → bytes)': typeof t.file_read === 'number' ? t.file_read - start : null,
    'page: job encoded, file copied, posted': gap('file_read', 'posted'),
    'worker: file copied in': w.copy_in ?? null,
    'worker: read (decode, parse, build lines)': w.read ?? null,
    'worker: arithmetic map': w.map ?? null,
    'worker: encode report (MessagePack)': w.encode ?? null,
    'worker → page: post, queue, copy out': inWorker == null ? null : inWorker - workerSum,
    'page: decode report': gap('received', 'decoded'),
    'page: apply (gap check, state, history)': gap('decoded', 'applied'),
    'page: calculate (Live::new)': gap('applied', 'calculated'),
    'page: rest of finish': gap('calculated', 'finished'),
    'page: first draw (→ grand total in the DOM)': typeof t.finished === 'number' ? start + shown - t.finished : null,
  };
}

/** PapaParse 5, the peer: its minified script, injected into a page of the same origin. */
const PAPAPARSE = join(dirname(new URL(import.meta.url).pathname), 'node_modules', 'papaparse', 'papaparse.min.js');

/**
 * The peer on the same file in the same browser: PapaParse 5 parse only (`worker: false`, no
 * header, no typing, no sums), from the file input's change event to its `complete` callback
 * with every row parsed. The page is Gapwise's own origin (the script injected, so the page's
 * Content-Security-Policy is bypassed in this context only).
 */
async function peerParse(browser, serverUrl, path, seconds) {
  const script = await readFile(PAPAPARSE, 'utf8');
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(seconds * 1000);
  try {
    return await step(seconds, async () => {
      await page.goto(serverUrl);
      await page.locator('[data-testid="app"][data-ready="true"]').waitFor({ state: 'attached' });
      await page.addScriptTag({ content: script });
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.id = 'peer-input';
        document.body.append(input);
        window.__peer = null;
        input.addEventListener('change', () => {
          const t0 = performance.now();
          window.Papa.parse(input.files[0], {
            worker: false,
            complete: (r) => {
              window.__peer = { ms: performance.now() - t0, rows: r.data.length, errors: r.errors.length, version: window.Papa.VERSION ?? null };
            },
          });
        });
      });
      await page.locator('#peer-input').setInputFiles(path);
      await page.waitForFunction(() => window.__peer != null, null, { polling: 20 });
      return page.evaluate(() => window.__peer);
    });
  } finally {
    await closeContext(context);
  }
}

/**
 * Importing generated schedules of each size, as CSV and as XLSX (the same table; the XLSX
 * written by tests/e2e/xlsx.mjs): the time from the file input's change event to the grand
 * total on screen (or to the page's message, for a file it refuses), the page's WebAssembly
 * memory afterwards, and the peak resident memory of the renderer. Each on a new page. The CSV
 * is imported `--import-runs` times, each run followed by the peer (PapaParse, parse only) on the same
 * file, and each import's phases are read from the page (`importPhases`); the XLSX once.
 */
/** Keeps every long task (over 50 ms) of the page's thread, as the browser reports them. */
const LONG_TASKS = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

/**
 * What follows the totals of an import, on the page's thread: netting (proposals, reversals,
 * duplicate references) on screen (`data-netting`), then the work saved in the browser. Times
 * from the file chosen; the long tasks are those that ended after the totals were on screen.
 */
async function afterTotals(page, deadline) {
  const left = () => Math.max(1, deadline - Date.now());
  const shownAt = await page.evaluate(() => window.__bench.done.shown);
  await page.locator('[data-testid="app"][data-netting="true"]').waitFor({ state: 'attached', timeout: left() });
  const netted = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent.includes('Saved'), null, { timeout: left(), polling: 20 });
  return page.evaluate(([shownAt, netted]) => {
    const start = window.__bench.done.start;
    const tasks = window.__longTasks.filter((t) => t.start + t.ms > shownAt);
    return {
      netting_shown: netted - start,
      saved: performance.now() - start,
      long_tasks: tasks.length,
      longest_task: tasks.reduce((m, t) => Math.max(m, t.ms), 0),
      long_task_ms: tasks.reduce((m, t) => m + t.ms, 0),
      // The last save: from its start to its text kept (localStorage or IndexedDB committed).
      save_ms: (() => {
        const starts = performance.getEntriesByName('gapwise-save-start');
        const kept = performance.getEntriesByName('gapwise-saved');
        const start = starts[starts.length - 1];
        const done = kept[kept.length - 1];
        return start && done && done.startTime >= start.startTime ? done.startTime - start.startTime : null;
      })(),
      // Each long task after the totals: when it began (ms after the file was chosen) and how long.
      tasks: tasks.map((t) => [Math.round(t.start - start), Math.round(t.ms)]),
      totals_shown: shownAt - start,
    };
  }, [shownAt, netted]);
}

async function importBench(browser, serverUrl, opts) {
  const { xlsx } = await import('./xlsx.mjs');
  const out = [];
  for (const n of opts.importSizes) {
    const gen = largeSchedule(n);
    const files = [['csv', 'text/csv', Buffer.from(gen.csv)]];
    const sheet = n > 200_000 ? [] : gen.table.map((row, r) => (r < 2 ? row : row.map((c, i) => (i >= 4 && c !== '' ? Number(c) : c))));
    let book = null;
    try {
      // A workbook of a million lines would be some 400 MB, far over the import limit (as the
      // CSV of that size already is): not generated.
      if (n > 200_000) throw new Error('some 400 MB, over the 128 MB import limit');
      book = xlsx([['Schedule', sheet]]);
    } catch (e) {
      out.push({ lines: n, format: 'xlsx', ok: false, error: `not generated: ${String(e.message ?? e).split('\n')[0]}` });
    }
    if (book) files.push(['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', book]);
    for (const [format, , buffer] of files) {
      // Handed to the page by path: Playwright passes no buffer over 50 MB.
      const path = join(tmpdir(), `gapwise-bench-generated-${n}.${format}`);
      await writeFile(path, buffer);
      const runs = format === 'csv' ? opts.importRuns : 1;
      const samples = [];
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        page.setDefaultTimeout(opts.stepTimeout * 1000);
        await page.addInitScript(PROBE);
        await page.addInitScript(LONG_TASKS);
        await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => (window.__wasm = e.detail.wasm)));
        const r = await step(opts.stepTimeout, async (deadline) => {
          await page.goto(serverUrl);
          await page.locator('[data-testid="app"][data-ready="true"]').waitFor({ state: 'attached' });
          const want = [{ testid: 'grand-total-all', state: 'text', text: shownTenths(gen.grand) }];
          const raced = await Promise.race([
            measure(page, deadline, { type: 'change', testid: 'file-input' }, want, (left) =>
              page.locator('[data-testid="file-input"]').setInputFiles(path, { timeout: left() }),
            ).then((m) => ({ ...m, loaded: true })),
            page
              .locator('[data-testid="message"]')
              .waitFor({ timeout: Math.max(1, deadline - Date.now()) })
              .then(async () => ({ loaded: false, message: (await page.locator('[data-testid="message"]').textContent()).trim().slice(0, 200) })),
          ]);
          const seen = await page.evaluate(() => ({
            wasm: window.__wasm?.memory?.buffer?.byteLength ?? null,
            timings: window.__gapwiseTimings ?? null,
            start: window.__bench.done?.start ?? null,
          }));
          const phases = raced.loaded && seen.start != null ? importPhases(seen.timings, seen.start, raced.shown) : null;
          const after = raced.loaded && format === 'csv' ? await afterTotals(page, deadline) : null;
          return { ...raced, wasm_memory: seen.wasm, phases, after };
        });
        const peak = await rendererPeak(browser);
        await closeContext(context);
        const peer = format === 'csv' ? await peerParse(browser, serverUrl, path, opts.stepTimeout) : null;
        const ratio = r.ok && r.loaded && peer?.ok ? r.shown / peer.ms : null;
        samples.push({ run: run + 1, renderer_peak: peak, ...r, peer, ratio });
        if (process.stderr.isTTY) process.stderr.write(`\rbench: import ${n} lines as ${format}, run ${run + 1}/${runs}   `);
      }
      const good = samples.filter((s) => s.ok && s.loaded);
      const med = (xs) => stats(xs)?.median ?? null;
      const phaseNames = Object.keys(good.find((s) => s.phases)?.phases ?? {});
      const summary = {
        shown: stats(good.map((s) => s.shown)),
        peer_ms: stats(samples.map((s) => (s.peer?.ok ? s.peer.ms : null))),
        ratio: stats(samples.map((s) => s.ratio)),
        phases_median: Object.fromEntries(phaseNames.map((k) => [k, med(good.map((s) => s.phases?.[k]))])),
        after_median: good.some((s) => s.after)
          ? Object.fromEntries(['netting_shown', 'saved', 'save_ms', 'long_tasks', 'longest_task', 'long_task_ms'].map((k) => [k, med(good.map((s) => s.after?.[k]))]))
          : null,
      };
      // The first sample's fields stand for the file as before (ok, loaded, shown, memory), the
      // medians and every run beside them.
      const first = samples[0];
      out.push({
        lines: n,
        format,
        bytes: buffer.length,
        ...first,
        shown: summary.shown?.median ?? first.shown,
        peer: first.peer ? { ...first.peer, ms: summary.peer_ms?.median ?? first.peer.ms } : null,
        ratio: summary.ratio?.median ?? null,
        summary,
        samples,
      });
      await rm(path, { force: true });
    }
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  return out;
}

/**
 * The delivery risk simulation in the page: a generated schedule of `lines` lines × 5 years,
 * rated red, amber and green in turn, fed to the demo's gap model; 10,000 runs (the default),
 * timed in the page from the click on Run to the results on screen. The first run starts the
 * simulation's worker; the next ones are timed on their own.
 */
async function riskBench(browser, serverUrl, opts) {
  const lines = opts.riskLines;
  const years = ['2016/17', '2017/18', '2018/19', '2019/20', '2020/21'];
  const rag = ['Red', 'Amber', 'Green'];
  const rand = prng(9_021_017);
  const rows = [`Reference,Saving,RAG,${years.join(',')}`, `,,,${years.map(() => "£'000").join(',')}`];
  for (let i = 1; i <= lines; i++) {
    rows.push(`R${i},Saving ${i},${rag[i % 3]},${years.map(() => (Math.floor(rand() * 201) / 10).toFixed(1)).join(',')}`);
  }
  const path = join(tmpdir(), `gapwise-bench-risk-${lines}.csv`);
  await writeFile(path, rows.join('\n') + '\n');
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(opts.stepTimeout * 1000);
  try {
    await page.goto(serverUrl);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="file-input"]').setInputFiles(path);
    await page.locator('[data-testid="schedule-title"]', { hasText: 'gapwise-bench-risk' }).waitFor();
    await page.locator('[data-testid="tab-gap"]').click();
    await page.locator('[data-testid="gap-feed"]').check();
    await page.locator('[data-testid="tab-risk"]').click();
    const once = () =>
      page.evaluate(
        () =>
          new Promise((resolve) => {
            const before = document.querySelector('[data-testid="risk-results"]')?.dataset.run ?? '';
            const t0 = performance.now();
            const seen = () => {
              const r = document.querySelector('[data-testid="risk-results"]');
              if (r && r.dataset.run !== before) {
                observer.disconnect();
                resolve({ ms: performance.now() - t0, summary: document.querySelector('[data-testid="risk-summary"]')?.textContent ?? '' });
              }
            };
            const observer = new MutationObserver(seen);
            observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-run'] });
            document.querySelector('[data-testid="risk-run"]').click();
          }),
      );
    const first = await once();
    const later = [];
    for (let i = 0; i < 5; i++) later.push((await once()).ms);
    later.sort((a, b) => a - b);
    return { lines, years: years.length, runs: 10_000, first_ms: first.ms, median_ms: percentile(later, 50), min_ms: later[0], max_ms: later.at(-1), summary: first.summary.trim() };
  } finally {
    await closeContext(context);
    await rm(path, { force: true });
  }
}

function printRisk(r) {
  console.log('');
  console.log(`Delivery risk simulation in the page: ${r.runs.toLocaleString('en-GB')} runs over ${r.lines.toLocaleString('en-GB')} rated lines × ${r.years} years, fed to the demo's gap model (click on Run → results on screen)`);
  console.log('');
  console.log(
    table(
      ['run', 'time'],
      [
        ['first (starts the simulation worker)', ms(r.first_ms)],
        ['next 5: median', ms(r.median_ms)],
        ['next 5: min / max', `${ms(r.min_ms)} / ${ms(r.max_ms)}`],
      ],
    ),
  );
  console.log(`  ${r.summary}`);
}

function printImports(imports) {
  console.log('');
  console.log('Importing generated schedules (5 years, 20 sections with subtotal rows), a new page each');
  console.log('');
  console.log(
    table(
      ['file', 'size', 'file chosen → totals on screen', 'PapaParse parse only', 'ratio', 'runs', 'wasm memory after', 'renderer peak RSS'],
      imports.map((r) => [
        `${r.lines.toLocaleString('en-GB')} lines, ${r.format}`,
        r.bytes ? `${bytes(r.bytes)} B` : '-',
        r.ok === false ? (r.timeout ? 'did not finish in time' : `failed: ${r.error}`) : r.loaded ? ms(r.shown) : `refused: ${r.message}`,
        r.peer?.ok ? ms(r.peer.ms) : r.peer ? (r.peer.timeout ? 'did not finish' : `failed: ${r.peer.error}`) : '-',
        r.ratio != null ? `${r.ratio.toFixed(2)}×` : '-',
        String(r.samples?.length ?? 1),
        r.wasm_memory ? `${bytes(r.wasm_memory)} B` : '-',
        r.renderer_peak ? `${bytes(r.renderer_peak)} B` : '-',
      ]),
    ),
  );
  console.log('');
  console.log('Times are medians over the runs; ratio = Gapwise ÷ PapaParse, the median of each run\'s ratio (the peer parses the same file in the same browser right after each import).');
  const after = imports.filter((r) => r.summary?.after_median);
  if (after.length) {
    console.log('');
    console.log('After the totals: netting on screen and the work saved, on the page\'s thread (medians; times from the file chosen)');
    console.log('');
    console.log(
      table(
        ['file', 'netting on screen', 'saved in the browser', 'the save itself', 'long tasks after the totals', 'longest', 'in all'],
        after.map((r) => {
          const a = r.summary.after_median;
          return [`${r.lines.toLocaleString('en-GB')} lines, ${r.format}`, ms(a.netting_shown), ms(a.saved), a.save_ms == null ? '-' : ms(a.save_ms), String(a.long_tasks), ms(a.longest_task), ms(a.long_task_ms)];
        }),
      ),
    );
    console.log('');
    console.log('A long task is one the browser reports as over 50 ms (PerformanceObserver "longtask"): the page does not answer input while it runs.');
  }
  for (const r of imports) {
    const names = Object.keys(r.summary?.phases_median ?? {});
    if (!names.length) continue;
    const runs = r.samples.filter((s) => s.phases);
    console.log('');
    console.log(`Where the time goes: ${r.lines.toLocaleString('en-GB')} lines, ${r.format} (ms; median, then each run)`);
    console.log('');
    console.log(
      table(
        ['phase', 'median', ...runs.map((s) => `run ${s.run}`)],
        [
          ...names.map((k) => [k, ms(r.summary.phases_median[k]), ...runs.map((s) => ms(s.phases[k]))]),
          ['file chosen → totals on screen', ms(r.summary.shown?.median), ...runs.map((s) => ms(s.shown))],
          ['PapaParse, same file, parse only', ms(r.summary.peer_ms?.median), ...runs.map((s) => (s.peer?.ok ? ms(s.peer.ms) : '-'))],
        ],
      ),
    );
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
  let large = null;
  let imports = null;
  let risk = null;
  const slow = [];
  try {
    // One load first, not counted: it starts Chromium's renderer and network processes.
    warmup = await loadOnce(browser, server.url);
    for (let i = 0; i < opts.runs; i++) {
      runs.push(await loadOnce(browser, server.url));
      if (process.stderr.isTTY) process.stderr.write(`\rbench: page load ${i + 1}/${opts.runs}`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (opts.slowRuns > 0) {
      const hosted = await startServer({ root: DIST, gzip: true });
      try {
        for (let i = 0; i < opts.slowRuns; i++) slow.push(await slowVisits(browser, hosted.url));
      } finally {
        await hosted.close();
      }
    }
    if (opts.lines > 0) large = await largeScheduleBench(browser, server.url, opts);
    if (opts.importSizes.length) imports = await importBench(browser, server.url, opts);
    if (opts.riskLines > 0) risk = await riskBench(browser, server.url, opts);
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
  if (slow.length) {
    const med = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
    console.log('');
    console.log(`On a slow line (10 Mbit/s, 40 ms latency, Chromium's emulation), ${slow.length} runs each, median`);
    console.log('');
    console.log(
      table(
        ['visit', 'demo total on screen', 'bytes fetched by then'],
        [
          ['first (empty cache)', ms(med(slow.map((r) => r.first.shown))), `${bytes(med(slow.map((r) => r.first.bytes)))} B`],
          ['repeat (service worker)', ms(med(slow.map((r) => r.repeat.shown))), `${bytes(med(slow.map((r) => r.repeat.bytes)))} B`],
        ],
      ),
    );
  }
  if (large) printLarge(large, opts);
  if (imports) printImports(imports);
  if (risk) printRisk(risk);

  const result = {
    date: new Date().toISOString(),
    runs: opts.runs,
    chromium: browserVersion,
    sizes: size,
    timing_ms: timing,
    samples_ms: runs.map(({ shown, frame, domContentLoaded }) => ({ shown, frame, domContentLoaded })),
    foreign_requests: foreign,
    slow_line: slow,
    large_schedule: large,
    risk,
    imports,
  };
  if (opts.json) {
    await mkdir(dirname(opts.json), { recursive: true });
    await writeFile(opts.json, JSON.stringify(result, null, 2) + '\n');
    const shown = relative(process.cwd(), opts.json);
    console.log(`results: ${shown.startsWith('..') ? opts.json : shown}`);
  }
}

await main();
