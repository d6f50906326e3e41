// The rule engine in a Web Worker (built into dist/checker.js as a string,
// started from a Blob URL by checker.js): {id, doc, data?} in, {id, result}
// or {id, error} out. The site data comes once, with the first request.
import { checkProject } from './engine.js';

let data = null;

self.onmessage = (e) => {
  const { id, doc } = e.data;
  if (e.data.data) data = e.data.data;
  try {
    self.postMessage({ id, result: checkProject(doc, data) });
  } catch (err) {
    self.postMessage({ id, error: String(err && err.message ? err.message : err) });
  }
};
