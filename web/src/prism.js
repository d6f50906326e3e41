// The mesh of an extruded footprint, built directly: three.js's
// ExtrudeGeometry goes through curves, Vector2 objects and UV generation for
// every vertex (most of a second for six 10,000-vertex buildings). The caps
// are triangulated by three.js's own ShapeUtils (earcut); the walls are two
// triangles per edge, facing out of the solid. The arrays are plain typed
// arrays so that the scene can put many prisms into one geometry (batch.js).
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

/** The shell turning left and its holes right, and the cap's triangles (index triples into shell then holes). */
function caps(rings) {
  const [shell, ...holes] = rings.map(distinct);
  if (ShapeUtils.isClockWise(shell)) shell.reverse(); // the shell turns left,
  for (const h of holes) if (!ShapeUtils.isClockWise(h)) h.reverse(); // its holes right
  const all = [shell, ...holes].flat();
  return { shell, holes, all, faces: ShapeUtils.triangulateShape(shell, holes) };
}

/** Whether triangle a, b, c of `all` turns left (faces up). */
function up(all, a, b, c) {
  return (all[b].x - all[a].x) * (all[c].y - all[a].y) - (all[b].y - all[a].y) * (all[c].x - all[a].x) > 0;
}

/** Every triangle's own unit normal on its three vertices (what computeVertexNormals gives a non-indexed mesh). */
function flatNormals(pos) {
  const normal = new Float32Array(pos.length);
  for (let i = 0; i < pos.length; i += 9) {
    const ux = pos[i + 3] - pos[i];
    const uy = pos[i + 4] - pos[i + 1];
    const uz = pos[i + 5] - pos[i + 2];
    const vx = pos[i + 6] - pos[i];
    const vy = pos[i + 7] - pos[i + 1];
    const vz = pos[i + 8] - pos[i + 2];
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz) || 1;
    nx /= len;
    ny /= len;
    nz /= len;
    for (let k = 0; k < 9; k += 3) {
      normal[i + k] = nx;
      normal[i + k + 1] = ny;
      normal[i + k + 2] = nz;
    }
  }
  return normal;
}

/**
 * The solid `rings` (`[shell, ...holes]`) from z = 0 to z = `height`: three
 * vertices per triangle, positions and flat normals.
 * @returns {{position: Float32Array, normal: Float32Array}}
 */
export function prismArrays(rings, height) {
  const { shell, holes, all, faces } = caps(rings);
  let edges = 0;
  for (const ring of [shell, ...holes]) edges += ring.length;
  const pos = new Float32Array((faces.length * 2 + edges * 2) * 9);
  let o = 0;
  const put = (x, y, z) => {
    pos[o++] = x;
    pos[o++] = y;
    pos[o++] = z;
  };
  for (const [a, b, c] of faces) {
    // earcut may give either winding: the top faces up, the base down.
    const [p, q, r] = up(all, a, b, c) ? [all[a], all[b], all[c]] : [all[a], all[c], all[b]];
    put(p.x, p.y, height); put(q.x, q.y, height); put(r.x, r.y, height);
    put(p.x, p.y, 0); put(r.x, r.y, 0); put(q.x, q.y, 0);
  }
  for (const ring of [shell, ...holes]) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      put(a.x, a.y, 0); put(b.x, b.y, 0); put(b.x, b.y, height);
      put(a.x, a.y, 0); put(b.x, b.y, height); put(a.x, a.y, height);
    }
  }
  return { position: pos, normal: flatNormals(pos) };
}

/**
 * The flat shape `rings` at z = 0, facing up: what ShapeGeometry draws of a
 * surface, without its UVs. @returns {{position: Float32Array}}
 */
export function flatArrays(rings) {
  const { all, faces } = caps(rings);
  const pos = new Float32Array(faces.length * 9);
  let o = 0;
  for (const [a, b, c] of faces) {
    for (const v of up(all, a, b, c) ? [all[a], all[b], all[c]] : [all[a], all[c], all[b]]) {
      pos[o++] = v.x;
      pos[o++] = v.y;
      pos[o++] = 0;
    }
  }
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
