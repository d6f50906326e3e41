// The mesh of an extruded footprint, built directly: three.js's
// ExtrudeGeometry goes through curves, Vector2 objects and UV generation for
// every vertex (most of a second for six 10,000-vertex buildings). A
// footprint is triangulated once, by three.js's own ShapeUtils (earcut), for
// its roof and its floor; the walls are two triangles per edge, facing out of
// the solid. Everything is written straight into typed arrays (no object per
// vertex or per face), so that the scene can put many prisms into one
// geometry (batch.js).
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

/**
 * The shell turning left and its holes right, and the cap's triangles: one
 * triangulation of the footprint, for the roof and the floor alike. `faces`
 * holds index triples into `xs`/`ys` (the shell's points, then the holes'),
 * each turning left (facing up); `ranges` each ring's [start, end) in them.
 */
function caps(rings) {
  const [shell, ...holes] = rings.map(distinct);
  if (ShapeUtils.isClockWise(shell)) shell.reverse(); // the shell turns left,
  for (const h of holes) if (!ShapeUtils.isClockWise(h)) h.reverse(); // its holes right
  const all = [shell, ...holes];
  let n = 0;
  const ranges = all.map((ring) => [n, (n += ring.length)]);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let k = 0;
  for (const ring of all) {
    for (const p of ring) {
      xs[k] = p.x;
      ys[k] = p.y;
      k += 1;
    }
  }
  const triangles = ShapeUtils.triangulateShape(shell, holes); // earcut, once
  const faces = new Uint32Array(triangles.length * 3);
  let o = 0;
  for (const [a, b, c] of triangles) {
    // earcut may give either winding: every face turns left here.
    const left = (xs[b] - xs[a]) * (ys[c] - ys[a]) - (ys[b] - ys[a]) * (xs[c] - xs[a]) > 0;
    faces[o++] = a;
    faces[o++] = left ? b : c;
    faces[o++] = left ? c : b;
  }
  return { xs, ys, faces, ranges };
}

/** Write the triangles of `faces` at z into `pos` from float `o` (reversed: facing down); returns the next float. */
function putCap(pos, o, { xs, ys, faces }, z, reversed) {
  for (let f = 0; f < faces.length; f += 3) {
    const a = faces[f];
    const b = faces[reversed ? f + 2 : f + 1];
    const c = faces[reversed ? f + 1 : f + 2];
    pos[o] = xs[a]; pos[o + 1] = ys[a]; pos[o + 2] = z;
    pos[o + 3] = xs[b]; pos[o + 4] = ys[b]; pos[o + 5] = z;
    pos[o + 6] = xs[c]; pos[o + 7] = ys[c]; pos[o + 8] = z;
    o += 9;
  }
  return o;
}

/**
 * The solid `rings` (`[shell, ...holes]`) from z = 0 to z = `height`: three
 * vertices per triangle, positions and flat normals (every triangle's own
 * unit normal on its three vertices, what computeVertexNormals gives a
 * non-indexed mesh): the roof, then the floor, then two triangles per wall,
 * each facing out of the solid. Without `floor`, the solid is open at its
 * base: what the 3D view draws, whose camera never goes below the ground (the
 * floor faces away from it: culled, never seen nor picked, yet a quarter of
 * a big footprint's triangles to upload and for software GL to set up).
 * @returns {{position: Float32Array, normal: Float32Array}}
 */
export function prismArrays(rings, height, { floor = true } = {}) {
  const cap = caps(rings);
  const { xs, ys, faces, ranges } = cap;
  const h = Math.fround(height);
  const capFloats = faces.length * 3;
  const pos = new Float32Array(capFloats * (floor ? 2 : 1) + xs.length * 18);
  const normal = new Float32Array(pos.length);
  let o = putCap(pos, 0, cap, h, false);
  for (let i = 2; i < capFloats; i += 3) normal[i] = 1;
  if (floor) {
    o = putCap(pos, o, cap, 0, true);
    for (let i = capFloats + 2; i < 2 * capFloats; i += 3) normal[i] = -1;
  }
  for (const [first, end] of ranges) {
    for (let i = first; i < end; i++) {
      const j = i + 1 < end ? i + 1 : first;
      // The corners as the GPU holds them (float32): the normal is that of the stored triangles.
      const ax = Math.fround(xs[i]);
      const ay = Math.fround(ys[i]);
      const bx = Math.fround(xs[j]);
      const by = Math.fround(ys[j]);
      // a0 b0 bh, a0 bh ah: both have the normal (uy h, -ux h, 0), normalised.
      pos[o] = ax; pos[o + 1] = ay; pos[o + 2] = 0;
      pos[o + 3] = bx; pos[o + 4] = by; pos[o + 5] = 0;
      pos[o + 6] = bx; pos[o + 7] = by; pos[o + 8] = h;
      pos[o + 9] = ax; pos[o + 10] = ay; pos[o + 11] = 0;
      pos[o + 12] = bx; pos[o + 13] = by; pos[o + 14] = h;
      pos[o + 15] = ax; pos[o + 16] = ay; pos[o + 17] = h;
      let nx = (by - ay) * h;
      let ny = -((bx - ax) * h);
      const len = Math.hypot(nx, ny, 0) || 1; // as a triangle's normal is normalised
      nx /= len;
      ny /= len;
      for (let k = o; k < o + 18; k += 3) {
        normal[k] = nx;
        normal[k + 1] = ny;
      }
      o += 18;
    }
  }
  return { position: pos, normal };
}

/**
 * The flat shape `rings` at z = 0, facing up: what ShapeGeometry draws of a
 * surface, without its UVs. @returns {{position: Float32Array}}
 */
export function flatArrays(rings) {
  const cap = caps(rings);
  const pos = new Float32Array(cap.faces.length * 3);
  putCap(pos, 0, cap, 0, false);
  return { position: pos };
}

/** The solid `rings` from z = 0 to z = `height`, with flat normals, as a geometry of its own. */
export function prismGeometry(rings, height) {
  const { position, normal } = prismArrays(rings, height);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(position, 3));
  geometry.setAttribute('normal', new Float32BufferAttribute(normal, 3));
  return geometry;
}
