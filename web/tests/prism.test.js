// The direct prism mesh against three.js's ExtrudeGeometry, which it
// replaces: the same box, the same surface area, and every face turned out of
// the solid (a divergence check: the sum of normal × area × centre is the volume).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExtrudeGeometry, Shape, Vector2, Vector3 } from 'three';
import { prismArrays, prismGeometry } from '../src/prism.js';

function measures(geometry) {
  const p = geometry.getAttribute('position');
  const v = [new Vector3(), new Vector3(), new Vector3()];
  let area = 0;
  let volume = 0;
  for (let i = 0; i < p.count; i += 3) {
    for (let k = 0; k < 3; k++) v[k].fromBufferAttribute(p, i + k);
    const n = new Vector3().subVectors(v[1], v[0]).cross(new Vector3().subVectors(v[2], v[0]));
    area += n.length() / 2;
    volume += n.dot(v[0]) / 6; // the signed volume of the tetrahedron with the origin
  }
  geometry.computeBoundingBox();
  return { area, volume, box: geometry.boundingBox };
}

function extruded(rings, height) {
  const [outer, ...holes] = rings;
  const shape = new Shape(outer.map(([x, y]) => new Vector2(x, y)));
  for (const h of holes) shape.holes.push(new Shape(h.map(([x, y]) => new Vector2(x, y))));
  return new ExtrudeGeometry(shape, { depth: height, bevelEnabled: false });
}

function same(rings, height, volume) {
  const mine = measures(prismGeometry(rings, height));
  const theirs = measures(extruded(rings, height));
  assert.ok(Math.abs(mine.area - theirs.area) < 1e-6 * theirs.area, `area ${mine.area} vs ${theirs.area}`);
  assert.ok(mine.box.equals(theirs.box));
  assert.ok(Math.abs(mine.volume - volume) < 1e-6 * volume, `volume ${mine.volume} vs ${volume}`);
}

test('rectangles both ways round, with repeated points', () => {
  same([[[0, 0], [40, 0], [40, 30], [0, 30]]], 8, 40 * 30 * 8);
  same([[[0, 0], [0, 30], [40, 30], [40, 0], [0, 0]]], 8, 40 * 30 * 8);
  same([[[0, 0], [0, 0], [40, 0], [40, 30], [40, 30], [0, 30]]], 5, 40 * 30 * 5);
});

test('a courtyard and a 10,000-vertex star', () => {
  same([[[0, 0], [40, 0], [40, 30], [0, 30]], [[10, 10], [20, 10], [20, 20], [10, 20]]], 12, (1200 - 100) * 12);
  same([[[0, 0], [40, 0], [40, 30], [0, 30]], [[10, 10], [10, 20], [20, 20], [20, 10]]], 12, (1200 - 100) * 12);
  const star = [];
  for (let i = 0; i < 10000; i++) {
    const t = (2 * Math.PI * i) / 10000;
    const r = i % 2 ? 18 : 16;
    star.push([r * Math.cos(t), r * Math.sin(t)]);
  }
  let area = 0;
  for (let i = 0; i < star.length; i++) {
    const [x1, y1] = star[i];
    const [x2, y2] = star[(i + 1) % star.length];
    area += (x1 * y2 - x2 * y1) / 2;
  }
  same([star], 9, area * 9);
});

test('without its floor: the roof and the walls of the closed solid, nothing facing down', () => {
  const rings = [[[0, 0], [40, 0], [40, 30], [0, 30]], [[10, 10], [20, 10], [20, 20], [10, 20]]];
  const closed = prismArrays(rings, 12);
  const open = prismArrays(rings, 12, { floor: false });
  const triangles = ({ position, normal }) => {
    const out = [];
    for (let i = 0; i < position.length; i += 9) out.push([...position.subarray(i, i + 9), ...normal.subarray(i, i + 9)].join(','));
    return out;
  };
  const all = triangles(closed);
  const kept = triangles(open);
  const down = all.filter((t) => t.split(',')[11] === '-1');
  assert.equal(down.length, 8); // the floor: a ring with a courtyard, eight triangles
  assert.deepEqual(kept.sort(), all.filter((t) => !down.includes(t)).sort());
});
