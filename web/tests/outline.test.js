// The prism outline against three.js's EdgesGeometry of the extruded mesh,
// which it replaces: the same segments, whatever their order and direction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgesGeometry, ExtrudeGeometry, Shape, Vector2 } from 'three';
import { prismOutline } from '../src/outline.js';
import { rectCorners } from '../src/engine.js';
import { random } from './random_shapes.js';

const key = (a, b) => {
  const ends = [a, b].map((p) => p.map((v) => v.toFixed(2)).join(',')).sort();
  return ends.join(' ');
};

function segments(positions) {
  const out = [];
  for (let i = 0; i < positions.length; i += 6) {
    out.push(key([positions[i], positions[i + 1], positions[i + 2]], [positions[i + 3], positions[i + 4], positions[i + 5]]));
  }
  return out.sort();
}

function three(rings, height) {
  const [outer, ...holes] = rings;
  const shape = new Shape(outer.map(([x, y]) => new Vector2(x, y)));
  for (const h of holes) shape.holes.push(new Shape(h.map(([x, y]) => new Vector2(x, y))));
  const edges = new EdgesGeometry(new ExtrudeGeometry(shape, { depth: height, bevelEnabled: false }), 20);
  return segments(edges.getAttribute('position').array);
}

const same = (rings, height) => assert.deepEqual(segments(prismOutline(rings, height)), three(rings, height), JSON.stringify(rings));

test('rectangles, turned: the edges EdgesGeometry finds', () => {
  const rnd = random(3);
  for (let k = 0; k < 50; k++) {
    const ring = rectCorners({ cx: rnd() * 200, cy: rnd() * 200, width: 5 + rnd() * 50, depth: 5 + rnd() * 50, angle_deg: rnd() * 180 });
    same([ring], 3 + rnd() * 20);
  }
});

test('polygons with straight runs, gentle and sharp turns, holes, repeated points', () => {
  // A straight run (no vertical edge at (10, 0)), a 10° turn (none), a 45° one.
  same([[[0, 0], [10, 0], [20, 0], [30, 1.76], [40, 11.76], [40, 30], [0, 30]]], 8);
  same([[[0, 0], [0, 0], [40, 0], [40, 30], [0, 30], [0, 30], [0, 0]]], 6); // clockwise, repeated points
  same([[[0, 0], [40, 0], [40, 30], [0, 30]], [[10, 10], [20, 10], [20, 20], [10, 20]]], 12);
  const star = [];
  for (let i = 0; i < 400; i++) {
    const t = (2 * Math.PI * i) / 400;
    const r = 50 + (i % 2 ? 4 : 0);
    star.push([r * Math.cos(t), r * Math.sin(t)]);
  }
  same([star], 9);
  const circle = star.map((_, i) => [50 * Math.cos((2 * Math.PI * i) / 400), 50 * Math.sin((2 * Math.PI * i) / 400)]);
  same([circle], 9);
  assert.equal(prismOutline([circle], 9).length / 6, 2 * 400); // base and top only
});
