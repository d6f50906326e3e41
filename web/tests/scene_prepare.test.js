// A big project's 3D shapes made ahead of its verdict (ParkScene.prepareProject):
// in slices, a task each, so that the page answers between them; once made,
// showing the project triangulates nothing more, and draws the same batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Group, ShapeUtils } from 'three';
import { ParkScene } from '../src/scene.js';

function holder() {
  return { projectGroup: new Group(), pickables: [], requestRender() {} };
}

function star(n, cx, cy) {
  const ring = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const r = i % 2 ? 18 : 16;
    ring.push([Math.round((cx + r * Math.cos(t)) * 100) / 100, Math.round((cy + r * Math.sin(t)) * 100) / 100]);
  }
  return ring;
}

/** A project view as the editor makes it: each item keeps its document's footprint (the shapes' cache key). */
function sixStars() {
  const buildings = [];
  for (let k = 0; k < 6; k++) {
    const polygon = [star(10000, 1200 + 37 * k, -560)];
    buildings.push({ id: `v${k}`, height_m: 9, footprint: { polygon: polygon[0] }, polygon });
  }
  const polygon = [[[0, 0], [10, 0], [10, 5], [0, 5]]];
  const surfaces = [{ id: 's0', kind: 'parking', footprint: { polygon: polygon[0] }, polygon }];
  return { buildings, surfaces, highlights: [], faults: ['v2'] };
}

function counting() {
  const triangulate = ShapeUtils.triangulateShape;
  const counter = { calls: 0, restore: () => { ShapeUtils.triangulateShape = triangulate; } };
  ShapeUtils.triangulateShape = (...args) => {
    counter.calls += 1;
    return triangulate(...args);
  };
  return counter;
}

test('six 10,000-vertex buildings prepared in slices: the page runs a task between them', async () => {
  const view = sixStars();
  const count = counting();
  try {
    const scene = holder();
    const done = ParkScene.prototype.prepareProject.call(scene, view);
    assert.equal(count.calls, 0, 'nothing is made in the caller\'s task');
    let seen = null;
    setTimeout(() => { seen = count.calls; }, 0); // a task queued meanwhile (a message, a tap)
    assert.equal(await done, true);
    assert.ok(seen !== null && seen < 6, `the task queued meanwhile ran after ${seen} of 6 footprints`);
    assert.equal(count.calls, 7, 'each footprint and the surface triangulated once');
    // Shown now: nothing triangulated again, and the batches are those of a project shown unprepared.
    ParkScene.prototype.showProject.call(scene, view);
    assert.equal(count.calls, 7);
    const other = sixStars(); // new footprints: nothing cached for them
    const cold = holder();
    ParkScene.prototype.showProject.call(cold, other);
    assert.equal(count.calls, 14);
    const arrays = (s) => s.projectGroup.children.map((c) => c.geometry.getAttribute('position').array);
    const [warm, fresh] = [arrays(scene), arrays(cold)];
    assert.equal(warm.length, fresh.length);
    warm.forEach((a, i) => assert.deepEqual(a, fresh[i]));
  } finally {
    count.restore();
  }
});

test('a project shown, or another prepared, stops what was left to prepare', async () => {
  const count = counting();
  try {
    const scene = holder();
    const first = ParkScene.prototype.prepareProject.call(scene, sixStars());
    ParkScene.prototype.showProject.call(scene, null); // the project left before its slices ran
    assert.equal(await first, false);
    assert.equal(count.calls, 0);
    const second = ParkScene.prototype.prepareProject.call(scene, sixStars());
    const third = ParkScene.prototype.prepareProject.call(scene, { buildings: [], surfaces: [] });
    assert.equal(await second, false);
    assert.equal(await third, true);
    assert.equal(count.calls, 0);
  } finally {
    count.restore();
  }
});
