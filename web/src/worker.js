// The rule engine in a Web Worker (built into dist/checker.js as a string,
// started from a Blob URL, see linkcheck.js). Requests: {id, doc, data?}, a
// project to check, answered {id, result} or {id, error}; a shared link's
// payload to open, {id, payload, data} (in self.ZACVIZ_LINK, written before
// this script in its Blob), answered first {id, doc, foreign} (the validated
// project, as JSON text; `foreign` says why the page will refuse it) or
// {id, refused}, then, when the project is one the page opens, {id, result}
// or {id, error}, then {id, fragment}: the project's share link (a big
// project's deflate takes a long task). The site data comes once, with the
// first request.
import { checkProject } from './engine.js';
import { decodeLink, encodeFragment } from './share.js';
import { ProjectError, checkReach, projectToDict } from './project.js';

let data = null;

const message = (err) => String(err && err.message ? err.message : err);

/** Why the page will not open `doc` ({kind: 'site'|'lot'|'reach', ...}), or null. */
function foreign(doc) {
  if (doc.site !== data.site.id) return { kind: 'site', site: doc.site };
  const lot = data.lots.find((l) => l.id === doc.lot);
  if (!lot) return { kind: 'lot', lot: doc.lot };
  const [ox, oy] = data.site.origin;
  try {
    checkReach(doc, lot.polygon[0].map(([x, y]) => [x + ox, y + oy]));
  } catch (err) {
    return { kind: 'reach', message: message(err) };
  }
  return null;
}

function check(id, doc) {
  try {
    self.postMessage({ id, result: checkProject(doc, data) });
  } catch (err) {
    self.postMessage({ id, error: message(err) });
  }
}

function openLink({ id, payload }) {
  let doc;
  try {
    doc = decodeLink(payload);
  } catch (err) {
    self.postMessage({ id, refused: err instanceof ProjectError ? message(err) : `link: ${message(err)}` });
    return;
  }
  const why = foreign(doc);
  self.postMessage({ id, doc: JSON.stringify(doc), foreign: why });
  if (why) return;
  check(id, doc);
  self.postMessage({ id, fragment: encodeFragment(projectToDict(doc)) });
}

self.onmessage = (e) => {
  if (e.data.data) data = e.data.data;
  check(e.data.id, e.data.doc);
};

const link = self.ZACVIZ_LINK;
if (link) {
  delete self.ZACVIZ_LINK;
  data = link.data;
  openLink(link);
}
