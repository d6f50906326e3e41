// The 3D view's project batches, built without a GL context (showProject on a
// bare holder): however many items, one geometry per kind and colour, and one
// triangulation per footprint for its roof and its floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Group, LineSegments, Mesh, ShapeUtils } from 'three';
import { ParkScene, SURFACE_COLOURS } from '../src/scene.js';
import { prismArrays } from '../src/prism.js';
import { prismOutline } from '../src/outline.js';

const square = (x, y, s) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];

function holder() {
  return { projectGroup: new Group(), pickables: [], renders: 0, requestRender() { this.renders += 1; } };
}

function star(n, cx, cy) {
  const ring = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const r = i % 2 ? 18 : 16;
    // Site coordinates rounded to the centimetre, as a shared link holds them.
    ring.push([Math.round((cx + r * Math.cos(t)) * 100) / 100, Math.round((cy + r * Math.sin(t)) * 100) / 100]);
  }
  return ring;
}

test('many buildings, surfaces and zones at fault: one geometry per kind and colour', () => {
  const buildings = [];
  for (let k = 0; k < 40; k++) buildings.push({ id: `b${k}`, height_m: 8, polygon: [square(k * 20, 0, 10)] });
  const surfaces = [];
  for (let k = 0; k < 300; k++) {
    surfaces.push({ id: `s${k}`, kind: k % 2 ? 'parking' : 'yard', polygon: [square(k * 3, 50, 2)] });
  }
  const highlights = [];
  for (let k = 0; k < 60; k++) highlights.push(square(k * 5, 100, 4));
  const scene = holder();
  ParkScene.prototype.showProject.call(scene, { buildings, surfaces, highlights, faults: ['b3', 's7'] });
  const kids = scene.projectGroup.children;
  const meshes = kids.filter((c) => c instanceof Mesh);
  const lines = kids.filter((c) => c instanceof LineSegments);
  // parking, yard, a surface at fault; the buildings; the zones at fault.
  assert.equal(meshes.length, 5, `${meshes.length} meshes`);
  assert.equal(lines.length, 1);
  const colours = new Set(meshes.filter((m) => !Array.isArray(m.material)).map((m) => `#${m.material.color.getHexString()}`));
  for (const c of [SURFACE_COLOURS.parking, SURFACE_COLOURS.yard, '#e0463c']) assert.ok(colours.has(c), c);
  const zones = meshes.filter((m) => m.renderOrder === 10);
  assert.equal(zones.length, 1, 'the zones at fault are one mesh');
  assert.equal(zones[0].geometry.getAttribute('position').count, 60 * 2 * 3); // two triangles a square
  assert.equal(zones[0].material.depthTest, false);
  // Shown again (a recolour), the zones' material is the same one: none is left behind per show.
  ParkScene.prototype.showProject.call(scene, { buildings, surfaces, highlights, faults: [] });
  const again = scene.projectGroup.children.filter((m) => m.renderOrder === 10);
  assert.equal(again.length, 1);
  assert.equal(again[0].material, zones[0].material);
  assert.equal(scene.renders, 2);
});

test('six 10,000-vertex buildings: one triangulation each, one mesh without floors, one line set', () => {
  const buildings = [];
  for (let k = 0; k < 6; k++) buildings.push({ id: `v${k}`, height_m: 9, polygon: [star(10000, 1200 + 37 * k, -560)] });
  const triangulate = ShapeUtils.triangulateShape;
  let calls = 0;
  ShapeUtils.triangulateShape = (...args) => { calls += 1; return triangulate(...args); };
  try {
    const scene = holder();
    ParkScene.prototype.showProject.call(scene, { buildings, surfaces: [], highlights: [], faults: ['v2'] });
    assert.equal(calls, 6, 'one earcut run per footprint, for its roof and its floor');
    const [mesh, ...rest] = scene.projectGroup.children;
    assert.ok(mesh instanceof Mesh);
    assert.equal(rest.length, 1);
    assert.ok(rest[0] instanceof LineSegments);
    // Per building: a roof of 9,998 triangles, two per wall, no floor (never seen from above the ground).
    assert.equal(mesh.geometry.getAttribute('position').count, 6 * (9998 + 2 * 10000) * 3);
    const normal = mesh.geometry.getAttribute('normal').array;
    for (let i = 2; i < normal.length; i += 3) assert.ok(normal[i] >= 0, 'no face turned to the ground');
    assert.equal(mesh.geometry.groups.length, 2);
    assert.equal(rest[0].geometry.getAttribute('position').count, 6 * 3 * 10000 * 2); // base, top, every vertical edge
  } finally {
    ShapeUtils.triangulateShape = triangulate;
  }
});

test('every roof triangle faces up and every floor triangle down, slivers of a 10,000-vertex star too', () => {
  const { position, normal } = prismArrays([star(10000, 1234.5, -567.8)], 9);
  const caps = 2 * 9998;
  let up = 0;
  let down = 0;
  for (let t = 0; t < caps; t++) {
    for (let v = 0; v < 3; v++) {
      const i = t * 9 + v * 3;
      assert.equal(Math.abs(normal[i]) + Math.abs(normal[i + 1]), 0);
      if (position[i + 2] === 9) {
        assert.equal(normal[i + 2], 1, `roof triangle ${t}`);
        up += 1;
      } else {
        assert.equal(normal[i + 2], -1, `floor triangle ${t}`);
        down += 1;
      }
    }
  }
  assert.equal(up, 9998 * 3);
  assert.equal(down, 9998 * 3);
});

test('the outline comes as the float array the GPU takes', () => {
  const out = prismOutline([square(0, 0, 10)], 5);
  assert.ok(out instanceof Float32Array);
  assert.equal(out.length, (4 * 2 + 4) * 6);
});
