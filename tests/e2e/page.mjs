// The page object: what a user sees and does on the Gapwise page, found by data-testid only.
//
// The UI contract (data-testid values):
//   app (data-ready="true" once the schedule is rendered, data-netting="true" once its netting is), schedule-title, schedule-unit,
//   file-toolbar (load, export, share, print: file-input, drop-zone, export-*, copy-link, print),
//   key-total-all (the computed grand total among the key figures, above the views),
//   file-input, drop-zone, message (role="alert"), problems, schedule-table, grand-total-row,
//   grand-total-year (one per year, in order), grand-total-all, checks-subtotals, checks-lines,
//   check-problem, export-csv, export-csv-long, export-xlsx, export-json, export-package (the
//   data package zip), print-date (a line only printing shows, `Printed 25 November 2026`).
// Netting, profiles and reconciling:
//   tab-schedule, tab-net, tab-reconcile (the view tabs); checks-nets, checks-paybacks, reversal,
//   duplicate-ref, more-findings (the checks panel; a list's last item when it is cut at 100);
//   own-profile, sign-convention, shown-profile (selects in the
//   settings <details>, whose summary holds settings-chosen),
//   fye-total, period-total (key figures); note-reversal, note-duplicate (schedule view; line rows are
//   <tr id="row-N">, N the file row counting from 1); net-view, net-table, proposal (a <tbody>
//   with data-ref), proposal-toggle, proposal-status, payback-annual, payback-cumulative,
//   investment-year, gross-year, net-year, cumulative-net-year, memo-toggle, net-more and
//   net-show-more (over 200 proposals) (net view);
//   reconcile-input, reconcile-message, reconcile-summary, reconcile-row (data-key),
//   reconcile-left, reconcile-right, reconcile-status (reconcile view).
// The funding gap (tab-gap):
//   gap-view, gap-checks, gap-table, gap-input-row (its role as text, gap-role-text, and its gap-role
//   select behind the gap-role-edit summary), gap-row (a derived
//   row, data-result="requirement", "gap_after_reserves", ...), gap-cell (its year cells; a
//   checked cell ends with a <span class="published"> note), gap-feed (checkbox),
//   gap-feed-profile, bridge-year (select, values the year indexes), bridge-chart, trend-chart
//   (figures, each an inline <svg role="img"> with <title> and <desc>, and a <figcaption>).
//   A reserve the reserves plan draws has a gap-row data-result="plan_draw" data-reserve=ID; the
//   bridge's table rows are bridge-row (data-step start, step, reserve with data-reserve, end)
//   and its bars bridge-bar; the trend table's gap after reserves cells are trend-gap-after;
//   the reserves table's gap after reserves row is data-line="gap-after"; gap-export-csv,
//   gap-export-xlsx, gap-export-json download the gap's figures.

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export class GapwisePage {
  /** @param {import('playwright-core').Page} page */
  constructor(page, baseURL) {
    this.page = page;
    this.baseURL = baseURL;
  }

  /** The element(s) with this data-testid. */
  get(testId) {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  /** Opens the page and waits until the (demo) schedule is rendered. */
  async open() {
    await this.page.goto(this.baseURL);
    await this.waitUntilReady();
  }

  async waitUntilReady(timeout = 20_000) {
    await this.page.locator('[data-testid="app"][data-ready="true"]').waitFor({ state: 'attached', timeout });
  }

  /** The trimmed text of the one element with this test id, or null when there is none. */
  async text(testId) {
    const el = this.get(testId);
    if ((await el.count()) === 0) return null;
    return ((await el.textContent()) ?? '').trim();
  }

  /** The trimmed texts of every element with this test id, in document order. */
  async texts(testId) {
    return (await this.get(testId).allTextContents()).map((s) => s.trim());
  }

  async count(testId) {
    return this.get(testId).count();
  }

  title() {
    return this.text('schedule-title');
  }

  unit() {
    return this.text('schedule-unit');
  }

  /** The import error shown, '' when there is none (element absent or empty). */
  async message() {
    return (await this.text('message')) ?? '';
  }

  async grandTotals() {
    return { years: await this.texts('grand-total-year'), all: await this.text('grand-total-all') };
  }

  /**
   * Polls `read()` until `accept(value)` holds; on timeout fails naming `what` and the last value.
   */
  async waitFor(what, read, accept, timeout = 20_000) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await read();
        if (accept(last)) return last;
      } catch (e) {
        last = `(error: ${e.message.split('\n')[0]})`;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
      }
      await sleep(50);
    }
  }

  waitForText(testId, expected, timeout) {
    return this.waitFor(`[data-testid="${testId}"] to read ${JSON.stringify(expected)}`, () => this.text(testId), (t) => t === expected, timeout);
  }

  /**
   * Waits until the grand total reads `expected`, and until netting (reversals, duplicate
   * references, nets), which follows a new schedule a moment after its totals, is on screen too.
   */
  async waitForGrandTotal(expected, timeout) {
    await this.waitForText('grand-total-all', expected, timeout);
    await this.page.locator('[data-testid="app"][data-netting="true"]').waitFor({ state: 'attached', timeout: timeout ?? 20_000 });
  }

  waitForMessage(containing, timeout) {
    return this.waitFor(`the message to mention ${JSON.stringify(containing)}`, () => this.message(), (t) => t.includes(containing), timeout);
  }

  /**
   * Chooses a file in the file input: a path, or { name, mimeType, buffer }.
   */
  async upload(file) {
    await this.get('file-input').setInputFiles(file);
  }

  /**
   * Drops a file on the drop zone as a browser does: dragenter, dragover and drop events whose
   * DataTransfer holds the file.
   */
  async dropFile(path, { name = basename(path), mimeType = 'text/csv' } = {}) {
    const bytes = [...(await readFile(path))];
    const dataTransfer = await this.page.evaluateHandle(
      ({ bytes, name, mimeType }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
        return dt;
      },
      { bytes, name, mimeType },
    );
    const zone = this.get('drop-zone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      await zone.dispatchEvent(type, { dataTransfer });
    }
    await dataTransfer.dispose();
  }

  /** Within `scope` (a locator), the element(s) with this data-testid. */
  within(scope, testId) {
    return scope.locator(`[data-testid="${testId}"]`);
  }

  /** The trimmed texts of every element with this test id inside `scope`, in document order. */
  async textsWithin(scope, testId) {
    return (await this.within(scope, testId).allTextContents()).map((s) => s.trim());
  }

  /** Clicks a view tab ('schedule', 'net', 'gap', 'scenarios', 'reconcile', 'monitoring', 'risk', 'report') and waits until that view is shown. */
  async showTab(view) {
    const shows = { schedule: 'schedule-table', net: 'net-view', gap: 'gap-view', scenarios: 'scenario-view', reconcile: 'reconcile-input', monitoring: 'monitoring-view', risk: 'risk-view', report: 'report' }[view];
    if (!shows) throw new Error(`no view ${JSON.stringify(view)}`);
    await this.get(`tab-${view}`).click();
    await this.get(shows).waitFor({ state: 'attached' });
  }

  /** The net view's group of one proposal: the <tbody data-testid="proposal"> with that data-ref. */
  proposal(reference) {
    return this.page.locator(`[data-testid="proposal"][data-ref="${reference}"]`);
  }

  /**
   * Chooses an option (by value) in the <select> with this test id; a select inside a closed
   * disclosure (the settings, "How to read the figures") is shown first by opening it, as a user
   * would.
   */
  async choose(testId, value) {
    await this.reveal(testId);
    await this.get(testId).selectOption(value);
  }

  /** Opens the closed <details> around the element with this test id, if any, by its summary. */
  async reveal(testId) {
    const closed = this.page.locator(`details:not([open]):has([data-testid="${testId}"])`);
    const n = await closed.count();
    for (let i = 0; i < n; i++) {
      await closed.first().locator(':scope > summary').click();
    }
  }

  /** Chooses a second file to reconcile with, in the reconcile view. */
  async reconcileWith(file) {
    await this.get('reconcile-input').setInputFiles(file);
  }

  /** Clicks an export button and returns the download: its file name and bytes. */
  async download(testId) {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.get(testId).click()]);
    const failure = await download.failure();
    if (failure) throw new Error(`the download from ${testId} failed: ${failure}`);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: await readFile(path) };
  }
}
