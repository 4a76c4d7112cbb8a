// Shared set-up of the e2e specs: the static server on a free localhost port, Debian's Chromium
// driven by playwright-core, one fresh browser context per test, a record of every network
// request (a test fails if any goes to another origin, or if the page throws), and a small CSV
// parser for the exports.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { DIST, REPO_ROOT, startServer } from './serve.mjs';
import { GapwisePage } from './page.mjs';

export { REPO_ROOT, DIST };
export const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures');
export const RESULTS = join(REPO_ROOT, 'tests', 'e2e', 'test-results');

/** Debian's Chromium; never a browser that a test tool downloads. */
export const CHROMIUM = process.env.GAPWISE_CHROMIUM || '/usr/bin/chromium';
/** Without the background-networking flags Chromium tries to reach Google from a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * The demo schedule (cyps-savings-2017-21) as the page shows it and as the CSV export writes it.
 * The page opens it with illustrative RAG ratings; its file, uploaded, has none.
 */
export const DEMO = {
  file: join(FIXTURES, 'cyps-savings-2017-21.csv'),
  title: 'cyps-savings-2017-21',
  unit: "£'000",
  years: ['4,886.0', '10,824.0', '18,985.7', '9,281.3'],
  all: '43,977.0',
  csvYears: ['4886.0', '10824.0', '18985.7', '9281.3'],
  csvAll: '43977.0',
  lines: 64,
  subtotals: 5,
};

/** tests/fixtures/childrens-savings-2023-26.csv, as the page shows it. */
export const CHILDRENS = {
  file: join(FIXTURES, 'childrens-savings-2023-26.csv'),
  name: 'childrens-savings-2023-26.csv',
  title: 'childrens-savings-2023-26',
  years: ['5,372', '3,320', '3,108'],
  all: '11,800',
  lines: 10,
};

/**
 * Launches Debian's Chromium headless. playwright-core gives it a new, empty temporary profile
 * (user-data-dir) of its own and deletes it on close.
 */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

async function assertDistBuilt() {
  try {
    await stat(join(DIST, 'index.html'));
  } catch {
    throw new Error(
      `${DIST}/index.html is missing: build the page first (trunk build --release --offline, or make test)`,
    );
  }
}

/** Records every request a browser context makes, and which of them leave `origin`. */
export function recordNetwork(context, origin) {
  const requests = [];
  const responses = [];
  const foreign = [];
  const check = (url, what) => {
    let o;
    try {
      o = new URL(url).origin; // blob:http://host/... has the origin of its page
    } catch {
      o = 'invalid';
    }
    // data: URLs load nothing over the network; about:blank neither.
    if (url.startsWith('data:') || url === 'about:blank') return;
    if (o !== origin) foreign.push(`${what} ${url}`);
  };
  context.on('request', (req) => {
    requests.push({ method: req.method(), url: req.url(), type: req.resourceType() });
    check(req.url(), `${req.method()} ${req.resourceType()}`);
  });
  context.on('response', (res) => {
    responses.push({ url: res.url(), status: res.status(), contentType: res.headers()['content-type'] ?? '' });
  });
  context.on('page', (page) => page.on('websocket', (ws) => check(ws.url(), 'websocket')));
  return { requests, responses, foreign, origin };
}

function slug(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}

/**
 * Registers the suite's before/after hooks (server, browser) and returns `withApp(t, fn)`, which
 * runs `fn(app, { page, context, network, tmp })` in a fresh browser context and then fails the
 * test if any request went to another origin or the page threw an uncaught error. On failure it
 * saves a screenshot and the page's HTML under tests/e2e/test-results/.
 */
export function setupSuite() {
  const state = {};
  before(async () => {
    await assertDistBuilt();
    state.server = await startServer({ root: DIST });
    state.browser = await launchBrowser();
  });
  after(async () => {
    await state.browser?.close();
    await state.server?.close();
  });

  return async function withApp(t, fn) {
    const context = await state.browser.newContext({ acceptDownloads: true });
    const network = recordNetwork(context, state.server.origin);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors = [];
    const consoleLines = [];
    page.on('pageerror', (e) => pageErrors.push(String(e?.stack || e)));
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('crash', () => pageErrors.push('the page crashed'));
    const tmp = await mkdtemp(join(tmpdir(), 'gapwise-e2e-'));
    const app = new GapwisePage(page, state.server.url);
    // A test that provokes the policy on purpose lists what it expects to be blocked.
    const csp = { expected: [] };
    try {
      await fn(app, { page, context, network, tmp, server: state.server, csp });
      assert.deepEqual(network.foreign, [], 'the page made requests to other origins');
      assert.deepEqual(pageErrors, [], 'the page threw uncaught errors');
      // The page's Content-Security-Policy (scripts/csp.py) must never have to block anything.
      const blocked = consoleLines
        .filter((l) => /Content Security Policy|Refused to/i.test(l))
        .filter((l) => !csp.expected.some((e) => l.includes(e)));
      assert.deepEqual(blocked, [], 'the Content-Security-Policy blocked something');
    } catch (e) {
      const name = slug(t?.fullName ?? t?.name ?? 'test');
      try {
        await mkdir(RESULTS, { recursive: true });
        await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true, timeout: 5000 });
        await writeFile(join(RESULTS, `${name}.html`), await page.content());
      } catch {
        // the page may be gone; the error below matters more
      }
      t?.diagnostic?.(`page: ${page.url()} (screenshot and HTML in tests/e2e/test-results/${name}.*)`);
      for (const line of consoleLines.slice(-20)) t?.diagnostic?.(`console ${line}`);
      for (const err of pageErrors) t?.diagnostic?.(`pageerror ${err}`);
      if (network.foreign.length) t?.diagnostic?.(`foreign requests: ${network.foreign.join(', ')}`);
      throw e;
    } finally {
      await context.close().catch(() => {});
      await rm(tmp, { recursive: true, force: true });
    }
  };
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of strings. */
/** Reads "(1.234)", "1,234.567", "0.1" as an exact BigInt of thousandths (at most 3 decimals). */
export function thousandths(text) {
  const m = /^(\()?(-)?([\d,]+)(?:\.(\d{1,3}))?\)?$/.exec(text.trim());
  assert.ok(m, `${JSON.stringify(text)} reads as a figure with at most 3 decimals`);
  const units = BigInt(m[3].replaceAll(',', '') + (m[4] ?? '').padEnd(3, '0'));
  return m[1] || m[2] ? -units : units;
}

/** Writes thousandths as the page writes a £m figure: "4.791", "(36.389)", "1,234.567". */
export function figure(units) {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(4, '0');
  const int = digits.slice(0, -3).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${int}.${digits.slice(-3)}`;
  return neg ? `(${text})` : text;
}

/** A figure in tenths as the page writes one ("5,938.0", "(9,704.4)"): worked out with BigInt. */
export function tenthsText(t) {
  const a = t < 0n ? -t : t;
  const text = `${(a / 10n).toLocaleString('en-GB')}.${a % 10n}`;
  return t < 0n ? `(${text})` : text;
}

/**
 * `part` as a percentage of `whole` (in the same units), rounded once, halves away from zero, to
 * one place, as the page writes it ("20.6 %", "−7.7 %"): worked out here with BigInt.
 */
export function percentText(part, whole) {
  const w = whole < 0n ? -whole : whole;
  const p = part < 0n ? -part : part;
  // Tenths of a per cent: part / whole × 1000, rounded half away from zero.
  const tenths = (2n * p * 1000n + w) / (2n * w);
  const text = `${(tenths / 10n).toLocaleString('en-GB')}.${tenths % 10n} %`;
  return part < 0n && tenths > 0n ? `\u2212${text}` : text;
}

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i += 1;
    } else {
      field += c;
    }
    i += 1;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Opens the page and uploads the demo's own file over the demo: the same schedule without the
 * illustrative RAG ratings the built-in demo opens with (row 50 is red in the demo).
 */
export async function openUnratedDemo(app) {
  await app.open();
  await app.waitForGrandTotal(DEMO.all);
  await app.upload(DEMO.file);
  await app.waitFor(
    'the uploaded demo, unrated',
    () => app.page.locator('#row-50 [data-testid="rag-select"]').inputValue(),
    (v) => v === '—',
  );
  await app.waitForGrandTotal(DEMO.all);
}

/**
 * The entries of a zip archive as a Map from name to bytes, read through its central directory
 * (stored and deflated entries; no zip64, which an export this small never needs).
 */
export function unzip(zip) {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  assert.ok(end >= 0, 'the zip has an end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map();
  for (let n = 0; n < count; n += 1) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${n}`);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    assert.equal(zip.readUInt32LE(local), 0x04034b50, `local header of ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    assert.ok(method === 0 || method === 8, `${name}: stored or deflated (method ${method})`);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
