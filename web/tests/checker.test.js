// The checker taking over the worker that opened the page's shared link
// (linkcheck.js openInWorker): its first check is not run again, its answers
// (result, share link) reach the editor, a later edit goes to the same worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Checker } from '../src/checker.js';

/** A stand-in for the Web Worker: what it was sent, and a way to answer. */
function fakeWorker() {
  return {
    sent: [],
    terminated: false,
    postMessage(m) { this.sent.push(m); },
    terminate() { this.terminated = true; },
    answer(m) { this.onmessage({ data: m }); },
  };
}

const link = (extra = {}) => ({
  id: 1, since: 0, worker: fakeWorker(), result: null, fragment: null, adopted: false, closed: false, ...extra,
});
const bigDoc = { buildings: Array.from({ length: 50 }, (_, i) => ({ id: `b${i}`, footprint: { rect: {} } })), surfaces: [] };

test('no link, a closed one or one taken already: nothing adopted', () => {
  const checker = new Checker({}, () => {});
  assert.equal(checker.adopt(null, bigDoc), null);
  assert.equal(checker.adopt(link({ closed: true }), bigDoc), null);
  assert.equal(checker.adopt(link({ worker: null }), bigDoc), null);
  assert.equal(checker.adopt(link({ adopted: true }), bigDoc), null);
});

test('a check the worker finished before the editor opened is the first result', () => {
  const checker = new Checker({}, () => assert.fail('no callback for a result given at once'));
  const l = link({ result: { id: 1, result: { rules: [] } } });
  assert.deepEqual(checker.adopt(l, bigDoc), { result: { rules: [] } });
  assert.equal(checker.pending, false);
  assert.equal(checker.by, 'worker');
  assert.ok(l.adopted);
  const failed = new Checker({}, () => {});
  assert.equal(failed.adopt(link({ result: { id: 1, error: 'boom' } }), bigDoc).error.message, 'boom');
});

test('a check still running is awaited, then the share link comes, then an edit goes to the same worker', () => {
  const results = [];
  const fragments = [];
  const checker = new Checker({ site: 'data' }, (result, error) => results.push([result, error]));
  checker.onFragment = (f) => fragments.push(f);
  const l = link();
  assert.deepEqual(checker.adopt(l, bigDoc), {});
  assert.equal(checker.pending, true);
  l.worker.answer({ id: 1, result: { rules: ['r'] } });
  assert.deepEqual(results, [[{ rules: ['r'] }, null]]);
  assert.equal(checker.pending, false);
  l.worker.answer({ id: 1, fragment: 'p=abc' });
  assert.deepEqual(fragments, ['p=abc']);
  // An edit: the next request to the same worker, without the site data again.
  assert.equal(checker.request({ ...bigDoc, title: 'x' }), null);
  return new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
    assert.equal(l.worker.sent.length, 1);
    assert.equal(l.worker.sent[0].id, 2);
    assert.equal('data' in l.worker.sent[0], false);
    l.worker.answer({ id: 2, result: { rules: ['s'] } });
    assert.deepEqual(results.at(-1), [{ rules: ['s'] }, null]);
  });
});

test('a result of the link overtaken by an edit is dropped', () => {
  const results = [];
  const checker = new Checker({}, (result) => results.push(result));
  const l = link({ since: performance.now() });
  checker.adopt(l, bigDoc);
  checker.request({ ...bigDoc, title: 'edited' }); // queued behind the running check
  l.worker.answer({ id: 1, result: { rules: ['old'] } });
  assert.deepEqual(results, []);
  return new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
    assert.equal(l.worker.sent.at(-1).id, 2);
    l.worker.answer({ id: 2, result: { rules: ['new'] } });
    assert.deepEqual(results, [{ rules: ['new'] }]);
  });
});
