// The rule engine's Web Worker, and a big shared link opened in it from the
// page's very start (in viewer.js, before the first frame): the worker
// inflates, parses and validates the link and checks its project while the
// page draws the park, so that when the editor opens the verdict is there or
// on its way. The main thread only parses the validated project back
// (JSON.parse of the worker's text) to edit it.
//
// The worker's code is dist/checker.js, a classic script this page loads from
// its own folder (CSP script-src 'self') that holds the engine bundle as a
// string; the worker starts from a Blob URL of it (CSP worker-src blob:),
// which Chromium allows from file:// where `new Worker('file:…')` is refused.
//
// The link goes to the worker in its script, not in a message: a message to
// a worker is delivered only once the page's main thread has seen the worker
// start, and the first frame held it for half a second. The first part of
// the worker's Blob is `self.ZACVIZ_LINK = {id, payload, data};` (JSON, a
// subset of JavaScript: the payload, base64url text checked here, and the
// site data are never anything but values).
//
// What the worker answers (worker.js): {id, doc} (the validated project as
// JSON text, and `foreign` when the page will refuse it: not for this site,
// an unknown lot, out of reach) or {id, refused} (the link's one-line
// error); then, for a project the page opens, {id, result} or {id, error},
// and {id, fragment}, its share link as the editor makes it.
import { fragmentPayload } from './fragment.js';
import { runScriptOnce } from './dom.js';

/** A shared link's payload longer than this is opened in the worker (ten buildings take ~600 characters). */
export const EARLY_PAYLOAD_CHARS = 4000;
const SOURCE_SCRIPT = 'checker.js';

let sourceUrl = null;

/** The worker's source, from dist/checker.js (loaded once, on first need). */
export function workerSource() {
  return runScriptOnce(SOURCE_SCRIPT, 'ZACVIZ_CHECKER');
}

/** A new worker running the rule engine (one Blob URL for the page's life). */
export async function newWorker() {
  if (typeof Worker === 'undefined') throw new Error('no Worker here');
  const source = await workerSource();
  if (!sourceUrl) sourceUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return new Worker(sourceUrl);
}

/** The characters of a payload (SPEC §5: base64url, padding tolerated); anything else is explained by the page. */
const PAYLOAD = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Open the shared link of `hash` in a worker when it is big: returns the
 * opening ({hash, id, since, worker, opened, result, close()}) or null (a
 * small link, none, or no Worker: the page decodes it itself). `opened`
 * resolves to {doc, foreign} or {refused}, or to null when the worker could
 * not run (the page decodes the link then). `result` holds the worker's
 * first check ({result} or {error}) once it came, until a Checker adopts the
 * worker (checker.js).
 */
export function openInWorker(hash, data) {
  const payload = fragmentPayload(hash);
  if (payload === null || payload.length <= EARLY_PAYLOAD_CHARS || !PAYLOAD.test(payload)) return null;
  if (typeof Worker === 'undefined' || typeof Blob === 'undefined') return null;
  const link = {
    hash, id: 1, since: performance.now(), worker: null, result: null, fragment: null, adopted: false, closed: false,
  };
  let settle;
  link.opened = new Promise((resolve) => { settle = resolve; });
  let url = null;
  const fail = () => {
    link.close();
    settle(null);
  };
  link.close = () => {
    if (url) URL.revokeObjectURL(url);
    url = null;
    if (link.adopted || link.closed) return;
    link.closed = true;
    link.worker?.terminate();
    link.worker = null;
  };
  workerSource().then((source) => {
    if (link.closed) return;
    const head = `self.ZACVIZ_LINK=${JSON.stringify({ id: link.id, payload, data })};\n`;
    url = URL.createObjectURL(new Blob([head, source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    link.worker = worker;
    worker.onmessage = (e) => {
      const m = e.data;
      if (url) URL.revokeObjectURL(url); // the worker has its script
      url = null;
      if (m.id !== link.id) return;
      if ('doc' in m) settle({ doc: m.doc, foreign: m.foreign || null });
      else if ('refused' in m) settle({ refused: m.refused });
      else if ('fragment' in m) link.fragment = m.fragment;
      else link.result = m;
    };
    worker.onerror = (e) => {
      e.preventDefault();
      fail();
    };
  }).catch(fail);
  return link;
}
