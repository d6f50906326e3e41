// What the page draws and lists of a big project is bounded: the panel lists
// the first items and always the selection, the plan labels the selection,
// then the items at fault, then the others, up to a cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listedItems, MAX_LISTED } from '../src/editor.js';
import { labelled, MAX_LABELS } from '../src/plan.js';

const items = (n) => Array.from({ length: n }, (_, i) => ({ id: `b${i}` }));

test('the panel lists every item of a small project, in order', () => {
  const few = items(MAX_LISTED);
  assert.deepEqual(listedItems(few, 'b7'), few);
  assert.deepEqual(listedItems([], null), []);
});

test('the panel lists the first items of a big one, and the selection wherever it is', () => {
  const many = items(1000);
  const none = listedItems(many, null);
  assert.equal(none.length, MAX_LISTED);
  assert.deepEqual(none.map((it) => it.id), many.slice(0, MAX_LISTED).map((it) => it.id));
  assert.equal(listedItems(many, 'b5').length, MAX_LISTED); // already listed
  const far = listedItems(many, 'b987');
  assert.equal(far.length, MAX_LISTED + 1);
  assert.equal(far.at(-1).id, 'b987');
  assert.equal(listedItems(many, 'nowhere').length, MAX_LISTED);
});

test('the plan labels every item of a small project', () => {
  const few = items(10).map((it) => ({ ...it, ring: [] }));
  assert.deepEqual(labelled(few, null, new Set()), few);
});

test('the plan labels the selection, then the items at fault, then the others, in drawing order', () => {
  const many = items(1000);
  const faults = new Set(['b999', 'b500', 'b3']);
  const out = labelled(many, 'b800', faults);
  assert.equal(out.length, MAX_LABELS);
  const ids = out.map((it) => it.id);
  for (const id of ['b800', 'b999', 'b500', 'b3']) assert.ok(ids.includes(id), id);
  // The rest are the first items, and the order is the drawing order.
  const index = ids.map((id) => Number(id.slice(1)));
  assert.deepEqual(index, [...index].sort((a, b) => a - b));
  assert.equal(ids.filter((id) => !['b800', 'b999', 'b500', 'b3'].includes(id)).length, MAX_LABELS - 4);
  assert.ok(index.slice(0, MAX_LABELS - 4).every((i) => i < MAX_LABELS));
});
