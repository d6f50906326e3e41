// The editor's pure logic: the command stack, the edits of a document, the
// refusal of out-of-range values, free-space placement and snapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CommandStack, emptyProject, moveItem, setRect, setField, deleteItem, addItem, duplicateItem, parseValue,
  resizeFromCorner, angleTowards, snapCorrection, normAngle, newId, ringsOverlap, freeSpot,
} from '../src/editing.js';
import { footprintRing } from '../src/engine.js';
import { projectFromDict } from '../src/project.js';

const ORIGIN = [1000, 2000];
// A 100 × 80 m lot (site-relative), its label in the middle.
const LOT = { id: 'L1', polygon: [[[0, 0], [100, 0], [100, 80], [0, 80]]], label: [50, 40] };

function project() {
  const doc = emptyProject('s', 'L1', 'T');
  doc.buildings.push({
    id: 'b1', use: 'warehouse', height_m: 10, storeys: 1, roof: 'flat',
    footprint: { rect: { cx: 1050, cy: 2040, width: 30, depth: 20, angle_deg: 0 } },
  });
  return doc;
}

test('the stack undoes and redoes whole documents, and a new step clears the redo', () => {
  const stack = new CommandStack();
  const a = project();
  const b = moveItem(a, 'b1', 5, 0);
  const c = moveItem(b, 'b1', 0, 5);
  assert.equal(stack.push('move', a, b), true);
  assert.equal(stack.push('move', b, c), true);
  assert.equal(stack.push('nothing', c, structuredClone(c)), false); // no change, no step
  assert.deepEqual(stack.undo(), b);
  assert.deepEqual(stack.undo(), a);
  assert.equal(stack.undo(), null);
  assert.deepEqual(stack.redo(), b);
  stack.push('other', b, deleteItem(b, 'b1'));
  assert.equal(stack.canRedo, false);
  assert.deepEqual(stack.undo(), b);
});

test('the stack keeps its steps apart from later changes of the documents', () => {
  const stack = new CommandStack();
  const a = project();
  const b = moveItem(a, 'b1', 1, 1);
  stack.push('move', a, b);
  a.buildings[0].height_m = 99;
  assert.equal(stack.undo().buildings[0].height_m, 10);
});

test('the stack forgets its oldest steps past its limit', () => {
  const stack = new CommandStack(3);
  let doc = project();
  for (let i = 0; i < 5; i++) {
    const next = moveItem(doc, 'b1', 1, 0);
    stack.push('move', doc, next);
    doc = next;
  }
  let n = 0;
  while (stack.undo()) n++;
  assert.equal(n, 3);
});

test('edits return new documents and leave the old one as it was', () => {
  const a = project();
  const b = setRect(a, 'b1', { width: 40 });
  const c = setField(b, 'b1', 'storeys', 3);
  assert.equal(a.buildings[0].footprint.rect.width, 30);
  assert.equal(c.buildings[0].footprint.rect.width, 40);
  assert.equal(c.buildings[0].storeys, 3);
  assert.equal(setField(c, 'b1', 'storeys', null).buildings[0].storeys, undefined);
  assert.equal(deleteItem(c, 'b1').buildings.length, 0);
  assert.equal(moveItem(a, 'nope', 1, 1), a);
});

test('a polygon footprint moves by all its points', () => {
  const doc = emptyProject('s', 'L1');
  doc.surfaces.push({ id: 's1', kind: 'yard', footprint: { polygon: [[0, 0], [10, 0], [10, 5]] } });
  assert.deepEqual(moveItem(doc, 's1', 2, 3).surfaces[0].footprint.polygon, [[2, 3], [12, 3], [12, 8]]);
});

test('typed values out of range are refused, never clamped', () => {
  assert.deepEqual(parseValue('height_m', '12,5'), { value: 12.5 });
  assert.equal(parseValue('height_m', '500').error, 'range');
  assert.equal(parseValue('height_m', '0').error, 'range');
  assert.equal(parseValue('storeys', '2.5').error, 'integer');
  assert.equal(parseValue('width', 'abc').error, 'number');
  assert.equal(parseValue('width', '1e3').error, 'number');
  assert.equal(parseValue('width', '').error, 'number');
  assert.deepEqual(parseValue('stalls', ' 24 '), { value: 24 });
});

test('new items go in free space on the lot, never on another, and stay valid SPEC §2', () => {
  let doc = project();
  for (const kind of ['building', 'parking', 'yard', 'storage', 'building']) {
    const added = addItem(doc, kind, LOT, ORIGIN, { angle: 0 });
    assert.ok(added, kind);
    const rings = [...added.doc.buildings, ...added.doc.surfaces].map((x) => footprintRing(x.footprint, ORIGIN));
    const mine = rings.at(-1);
    for (const other of rings.slice(0, -1)) assert.equal(ringsOverlap(mine, other), false, kind);
    assert.ok(mine.every(([x, y]) => x >= 0 && x <= 100 && y >= 0 && y <= 80), kind);
    doc = added.doc;
  }
  assert.deepEqual(doc.buildings.map((b) => b.id), ['b1', 'b2', 'b3']);
  assert.deepEqual(doc.surfaces.map((s) => s.id), ['s1', 's2', 's3']);
  projectFromDict(doc); // a valid project document
});

test('a full lot gets no new item', () => {
  const doc = project();
  doc.buildings[0].footprint.rect = { cx: 1050, cy: 2040, width: 99, depth: 79, angle_deg: 0 };
  assert.equal(addItem(doc, 'building', LOT, ORIGIN), null);
  assert.equal(freeSpot(doc, LOT, ORIGIN, { width: 5, depth: 5 }), null);
});

test('a duplicate lands beside its original with a new id', () => {
  const doc = project();
  const copy = duplicateItem(doc, 'b1', LOT, ORIGIN);
  assert.equal(copy.id, 'b2');
  const [a, b] = copy.doc.buildings.map((x) => footprintRing(x.footprint, ORIGIN));
  assert.equal(ringsOverlap(a, b), false);
  assert.equal(copy.doc.buildings[1].footprint.rect.width, 30);
  assert.equal(newId(copy.doc, 'b'), 'b3');
});

test('the corner handle resizes with the opposite corner fixed, turned or not', () => {
  const r = { cx: 10, cy: 10, width: 10, depth: 6, angle_deg: 90 };
  // Turned by 90°: the width runs north. The opposite corner is (13, 5).
  const out = resizeFromCorner(r, 3, 25);
  assert.equal(out.width, 20);
  assert.equal(out.depth, 10);
  const before = footprintRing({ rect: r })[0];
  const after = footprintRing({ rect: out })[0];
  assert.ok(Math.hypot(before[0] - after[0], before[1] - after[1]) < 1e-9);
  assert.equal(resizeFromCorner(r, 13, 5).width, 2); // never below the minimum
});

test('the rotate handle gives the angle, snapped to the road when near it', () => {
  const r = { cx: 0, cy: 0, width: 10, depth: 6, angle_deg: 0 };
  assert.equal(angleTowards(r, 0, 10), 0);
  assert.equal(angleTowards(r, -10, 0), 90);
  const near = angleTowards(r, -Math.sin((32 * Math.PI) / 180) * 10, Math.cos((32 * Math.PI) / 180) * 10, 30);
  assert.equal(near, 30);
  assert.equal(normAngle(190), 10);
  assert.equal(normAngle(-100), 80);
});

test('snapping pulls a ring onto nearby lines, along two directions at most', () => {
  const ring = [[0.4, 0.3], [10.4, 0.3], [10.4, 5.3], [0.4, 5.3]];
  const lines = [[[0, -50], [0, 50]], [[-50, 0], [50, 0]]];
  const [dx, dy] = snapCorrection(ring, lines, 0.5);
  assert.ok(Math.abs(dx + 0.4) < 1e-9 && Math.abs(dy + 0.3) < 1e-9);
  assert.deepEqual(snapCorrection(ring, lines, 0.1), [0, 0]);
});

test('the stalls drawn on the plan are the ones counted, inside their car park', async () => {
  const { rectangleCount, rectangleStalls } = await import('../src/parking.js');
  for (const [w, d] of [[25, 16], [16, 25], [40, 30], [12.5, 11], [4, 4], [60, 17]]) {
    const stalls = rectangleStalls(w, d);
    assert.equal(stalls.length, rectangleCount(w, d), `${w} x ${d}`);
    for (const ring of stalls) {
      for (const [x, y] of ring) assert.ok(Math.abs(x) <= w / 2 + 1e-9 && Math.abs(y) <= d / 2 + 1e-9, `${w} x ${d}`);
    }
  }
});
