// The mesh of an extruded footprint, built directly: three.js's
// ExtrudeGeometry goes through curves, Vector2 objects and UV generation for
// every vertex (most of a second for six 10,000-vertex buildings). The caps
// are triangulated by three.js's own ShapeUtils (earcut); the walls are two
// triangles per edge, facing out of the solid.
import { BufferGeometry, Float32BufferAttribute, ShapeUtils, Vector2 } from 'three';

function distinct(ring) {
  const out = [];
  for (const [x, y] of ring) {
    const last = out[out.length - 1];
    if (!last || last.x !== x || last.y !== y) out.push(new Vector2(x, y));
  }
  while (out.length > 1 && out[0].equals(out[out.length - 1])) out.pop();
  return out;
}

/** The solid `rings` (`[shell, ...holes]`) from z = 0 to z = `height`, with flat normals. */
export function prismGeometry(rings, height) {
  const [shell, ...holes] = rings.map(distinct);
  if (ShapeUtils.isClockWise(shell)) shell.reverse(); // the shell turns left,
  for (const h of holes) if (!ShapeUtils.isClockWise(h)) h.reverse(); // its holes right
  const all = [shell, ...holes].flat();
  const faces = ShapeUtils.triangulateShape(shell, holes);
  const pos = [];
  for (const [a, b, c] of faces) {
    // earcut may give either winding: the top faces up, the base down.
    const up = (all[b].x - all[a].x) * (all[c].y - all[a].y) - (all[b].y - all[a].y) * (all[c].x - all[a].x) > 0;
    const [p, q, r] = up ? [all[a], all[b], all[c]] : [all[a], all[c], all[b]];
    pos.push(p.x, p.y, height, q.x, q.y, height, r.x, r.y, height);
    pos.push(p.x, p.y, 0, r.x, r.y, 0, q.x, q.y, 0);
  }
  for (const ring of [shell, ...holes]) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      pos.push(a.x, a.y, 0, b.x, b.y, 0, b.x, b.y, height);
      pos.push(a.x, a.y, 0, b.x, b.y, height, a.x, a.y, height);
    }
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(pos, 3));
  geometry.computeVertexNormals();
  return geometry;
}
