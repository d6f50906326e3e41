// Checks a project off the main thread when it is big: the rule engine runs
// in a Web Worker so the page keeps answering (first frame, drag, panel)
// whatever the project. Small projects are checked at once, in the page: a
// drag step of ten buildings stays within a frame without a round trip. The
// worker comes from linkcheck.js (the page's instance, in viewer.js), which
// may have started it already to open a big shared link (see `adopt`).
import { checkProject } from './engine.js';
import { newWorker } from './linkcheck.js';

/** Items and vertices up to which a check runs in the page (a few ms). */
export const SYNC_MAX_ITEMS = 40;
export const SYNC_MAX_VERTICES = 2000;
/** A running check older than this is abandoned for a newer edit (a new worker: it starts cold, so only long checks are worth it). */
export const RESTART_AFTER_MS = 1000;

/** Whether the project is small enough to check in the page. */
export function checksInPage(doc) {
  const items = [...(doc.buildings || []), ...(doc.surfaces || [])];
  if (items.length > SYNC_MAX_ITEMS) return false;
  let vertices = 0;
  for (const it of items) vertices += it.footprint.rect ? 4 : it.footprint.polygon.length;
  return vertices <= SYNC_MAX_VERTICES;
}

/**
 * Checks the latest document given to `request`: a small one at once, a big
 * one in the worker; a result that a newer edit made stale is dropped, edits
 * made while a check runs are coalesced into one next check.
 */
export class Checker {
  /**
   * @param {object} data the exported site data
   * @param {(result: object|null, error: Error|null) => void} onResult called
   *   with the result of the latest document when it was checked in the worker
   */
  constructor(data, onResult) {
    this.data = data;
    this.onResult = onResult;
    this.worker = null;
    this.sent = false; // the worker has the site data
    this.seq = 0; // number of the latest request
    this.running = null; // {id, doc, since}
    this.queued = null; // {id, doc}
    this.pending = false;
    this.inPage = false; // no worker here: big checks run in the page, after a paint
    this.by = null; // where the latest result was measured: 'page' or 'worker'
    this.onFragment = null; // (fragment) => void: the adopted link's share link, made in the worker
  }

  /** Check `doc`: returns the result when checked at once, else null (then onResult follows). */
  request(doc) {
    const id = ++this.seq;
    this.queued = null;
    if (checksInPage(doc)) {
      this.pending = false;
      this.by = 'page';
      return checkProject(doc, this.data);
    }
    this.pending = true;
    this.queued = { id, doc };
    if (this.running && performance.now() - this.running.since > RESTART_AFTER_MS) this._stopWorker();
    if (!this.running) this._next();
    return null;
  }

  /**
   * Take over the worker that opened the page's shared link (linkcheck.js
   * `openInWorker`): its check of the link's project, `doc`, is this
   * checker's first request. Returns {result} or {error} when that check is
   * already done, {} while it runs (onResult follows), or null when the worker
   * is gone (then `request` as usual).
   */
  adopt(link, doc) {
    if (!link || link.closed || !link.worker || link.adopted) return null;
    link.adopted = true;
    this.worker = link.worker;
    this.sent = true;
    this.seq = link.id;
    this._listen(this.worker);
    if (link.fragment !== null) queueMicrotask(() => this.onFragment?.(link.fragment));
    const done = link.result;
    if (done) {
      this.pending = false;
      this.by = 'worker';
      return done.error ? { error: new Error(done.error) } : { result: done.result };
    }
    this.pending = true;
    this.running = { id: link.id, doc, since: link.since };
    return {};
  }

  async _next() {
    const job = this.queued;
    if (!job) return;
    this.queued = null;
    this.running = { ...job, since: performance.now() };
    let worker = null;
    try {
      worker = await this._worker();
    } catch (e) {
      this.inPage = true; // no Worker, or the CSP refused it: check in the page after a paint
    }
    if (this.running?.id !== job.id) return; // abandoned meanwhile
    if (!worker) {
      setTimeout(() => this._finish(job.id, () => checkProject(job.doc, this.data), 'page'), 30);
      return;
    }
    const message = { id: job.id, doc: job.doc };
    if (!this.sent) { message.data = this.data; this.sent = true; }
    worker.postMessage(message);
  }

  async _worker() {
    if (this.worker) return this.worker;
    if (this.inPage) throw new Error('no worker');
    const worker = await newWorker();
    this._listen(worker);
    this.worker = worker;
    this.sent = false;
    return worker;
  }

  _listen(worker) {
    worker.onmessage = (e) => {
      const { id, result, error } = e.data;
      if ('fragment' in e.data) {
        this.onFragment?.(e.data.fragment);
        return;
      }
      if (!('result' in e.data) && !('error' in e.data)) return;
      this._finish(id, () => {
        if (error) throw new Error(error);
        return result;
      }, 'worker');
    };
    worker.onerror = (e) => {
      // The worker could not start or run (a stricter CSP, no memory): the
      // checks run in the page from now on, this one first unless newer edits came.
      e.preventDefault();
      const job = this.running;
      this._stopWorker();
      this.inPage = true;
      if (job && !this.queued) this.queued = job;
      this._next();
    };
  }

  _stopWorker() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.sent = false;
    this.running = null;
  }

  _finish(id, get, by) {
    if (this.running?.id === id) this.running = null;
    let result = null;
    let error = null;
    try { result = get(); } catch (e) { error = e; }
    if (id === this.seq) {
      this.pending = false;
      this.by = by;
      this.onResult(result, error);
    }
    if (!this.running) this._next();
  }

  destroy() {
    this._stopWorker();
    this.queued = null;
    this.seq++;
  }
}
