// The plan keeps a heavy project's drawing in a layer of its own: a redraw
// that changes only the ground (its image arriving) copies the layer instead
// of filling a thousand paths again; a new verdict, document or view paints it
// again. A small project is drawn directly on every frame, as during a drag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlanView, heavyPlan, LAYER_MIN_ITEMS, HOLD_LAYER_MS, FIRST_SLICE_ITEMS } from '../src/plan.js';

/** Calls made on every fake 2D context, by method name. */
const calls = new Map();

function fakeContext() {
  const state = {};
  return new Proxy(state, {
    get(target, name) {
      if (name in target) return target[name];
      if (name === 'measureText') return () => ({ width: 10 });
      if (name === 'createPattern') return () => ({});
      return () => { calls.set(name, (calls.get(name) || 0) + 1); };
    },
    set(target, name, value) { target[name] = value; return true; },
  });
}

function fakeCanvas(width = 300, height = 200) {
  const ctx = fakeContext();
  return {
    width, height, clientWidth: width, clientHeight: height, dataset: {},
    getContext: () => ctx,
    addEventListener() {},
    getBoundingClientRect: () => ({ left: 0, top: 0, width, height }),
  };
}

globalThis.document = { createElement: () => fakeCanvas() };
globalThis.ResizeObserver = class { observe() {} };
globalThis.requestAnimationFrame = () => 0;

function yards(n) {
  const surfaces = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    kind: 'yard',
    footprint: { polygon: [[10 + i * 0.01, 10], [60, 12], [55, 60], [12, 50]].map(([x, y]) => [x + 1000, y + 2000]) },
  }));
  return { buildings: [], surfaces };
}

function plan() {
  const view = new PlanView(fakeCanvas(), { site: { origin: [1000, 2000] }, imagery: null }, {});
  view.frame = {
    lot: { id: 'A1', polygon: [[[0, 0], [100, 0], [100, 100], [0, 100]]] },
    roads: [], roadSetbackRings: [], roadSetbackSegments: [],
  };
  view.view = { scale: 2, x: -10, y: 110 };
  view.sized = true; // as after the ResizeObserver's first call
  return view;
}

/** Path fills made by one draw. */
function fillsOf(view) {
  calls.clear();
  view.draw();
  return calls.get('fill') || 0;
}

test('a heavy project is known by its items or its vertices', () => {
  assert.equal(heavyPlan(null), false);
  assert.equal(heavyPlan(yards(10)), false);
  assert.equal(heavyPlan(yards(LAYER_MIN_ITEMS)), true);
  const star = { id: 'v', kind: 'yard', footprint: { polygon: Array.from({ length: 30000 }, (_, k) => [Math.cos(k), Math.sin(k)]) } };
  assert.equal(heavyPlan({ buildings: [], surfaces: [star] }), true);
});

test("a heavy project's layer is not painted again when only the ground changes", () => {
  const view = plan();
  view.doc = yards(300);
  assert.ok(fillsOf(view) >= 300 * 2, 'every yard filled and hatched');
  // The ground's image arrives: the ground is redrawn, the project is copied.
  view.image = {};
  view.imageBounds = [0, 0, 100, 100];
  view.imageSource = 'site';
  assert.ok(fillsOf(view) < 5, 'the yards were filled again');
  assert.ok(calls.get('drawImage') >= 2, 'the ground and the layer copied');
  // A new verdict, a new selection, a new view: painted again.
  view.faultIds = new Set(['s3']);
  assert.ok(fillsOf(view) >= 600);
  view.selection = 's4';
  assert.ok(fillsOf(view) >= 600);
  view.view = { scale: 3, x: -10, y: 110 };
  assert.ok(fillsOf(view) >= 600);
  view.highlight = { items: ['s3'], rings: [] };
  assert.ok(fillsOf(view) >= 600);
  view.frame = { ...view.frame };
  assert.ok(fillsOf(view) >= 600);
  assert.ok(fillsOf(view) < 5);
});

test('a heavy project waits for the canvas to have its size, a small one does not', () => {
  const view = plan();
  view.sized = false;
  view.doc = yards(300);
  assert.equal(fillsOf(view), 0);
  view.doc = yards(10);
  assert.ok(fillsOf(view) >= 20);
});

test('a small project is drawn directly on every redraw', () => {
  const view = plan();
  view.doc = yards(10);
  assert.ok(fillsOf(view) >= 20);
  assert.ok(fillsOf(view) >= 20);
  assert.equal(view.layer, null);
});

test("a heavy project's layer waits for its first verdict (holdLayer), at most HOLD_LAYER_MS", () => {
  const view = plan();
  view.doc = yards(300);
  let waiting = true;
  view.holdLayer = () => waiting;
  // Only the ground: the lot's fill.
  assert.ok(fillsOf(view) < 5, 'the yards were painted while the verdict was on its way');
  assert.ok(fillsOf(view) < 5);
  waiting = false; // the verdict came
  assert.ok(fillsOf(view) >= 600);
  // Kept: a wait for a later edit does not hide the layer it matches.
  waiting = true;
  assert.ok(fillsOf(view) < 5);
  assert.ok(calls.get('drawImage') >= 2, 'the layer copied');
  // A new document waits, but not for longer than HOLD_LAYER_MS.
  view.doc = yards(300);
  assert.ok(fillsOf(view) < 5);
  view._held.since -= HOLD_LAYER_MS;
  assert.ok(fillsOf(view) >= 600);
  clearTimeout(view._held.timer);
  // A small project is drawn at once whatever the wait.
  view.doc = yards(10);
  assert.ok(fillsOf(view) >= 20);
});

/** Fills made by a sliced draw (a frame's), and by the slices it left, until the layer is whole. */
async function slicedFills(view) {
  calls.clear();
  view.draw({ sliced: true });
  const first = calls.get('fill') || 0;
  while (view._painting) await new Promise((resolve) => setTimeout(resolve, 1));
  return { first, total: calls.get('fill') || 0 };
}

test("a heavy layer painted for a frame is painted by slices of items, each rasterised in its own task", async () => {
  const view = plan();
  view.doc = yards(300);
  const slices = view.slices;
  const { first, total } = await slicedFills(view);
  // The first slice: the ground's lot and FIRST_SLICE_ITEMS yards (filled and hatched).
  assert.ok(first >= 2 * FIRST_SLICE_ITEMS && first <= 2 * FIRST_SLICE_ITEMS + 2, `${first} fills in the first slice`);
  assert.ok(total >= 600, 'every yard painted in the end');
  assert.ok(view.slices - slices >= 2, 'more than one slice');
  assert.equal(view.layer.stamp[3], view.doc, 'the layer kept is the whole picture');
  // Kept: the next frames copy it.
  assert.ok((await slicedFills(view)).total < 5);
});

test('a heavy layer being painted by slices is shown only once whole, and painted anew for a new document', async () => {
  const view = plan();
  view.doc = yards(300);
  await slicedFills(view);
  const before = view.layer;
  view.doc = yards(300);
  view.sliceItems = FIRST_SLICE_ITEMS;
  calls.clear();
  view.draw({ sliced: true });
  assert.equal(view.layer, before, 'the last layer stays until the new one is whole');
  // Its view is the same: it is shown meanwhile (the ground and it copied).
  assert.equal(calls.get('drawImage'), 3, 'the ground, the pixel that rasterises the slice, the last layer');
  view.doc = yards(301); // a newer edit before the end: painted anew for it
  const { total } = await slicedFills(view);
  assert.ok(total >= 602);
  assert.equal(view.layer.stamp[3], view.doc);
  // A pan: while the layer of the new view is painted, the last one is shown moved there.
  await slicedFills(view);
  const shown = view.layer;
  const transforms = [];
  view.ctx.setTransform = (...m) => transforms.push(m);
  view.view = { scale: 4, x: -5, y: 110 };
  view.sliceItems = FIRST_SLICE_ITEMS;
  calls.clear();
  view.draw({ sliced: true });
  delete view.ctx.setTransform;
  assert.equal(view.layer, shown);
  assert.equal(calls.get('drawImage'), 3, 'the ground, the pixel that rasterises the slice, the last layer moved');
  // Scaled by 4 / 2, shifted by what moved: 5 m at 4 px/m to the left.
  assert.ok(transforms.some((m) => m[0] === 2 && m[3] === 2 && m[4] === -20 && m[5] === 0), JSON.stringify(transforms));
  await slicedFills(view);
  assert.equal(view.layer.stamp[0].endsWith('|4,-5,110'), true);
  // A direct draw (a drag step, the print sheet) paints it whole at once.
  view.doc = yards(300);
  assert.ok(fillsOf(view) >= 600);
  assert.equal(view._painting, null);
});
