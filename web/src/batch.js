// Many items in one geometry: a thousand buildings are one draw call per
// colour, not a thousand meshes (each mesh costs the 3D view a draw call, a
// matrix and a raycast of its own, and software GL most of a millisecond).
// The merged arrays keep where each item's triangles start, so that a face
// hit by a raycast names its item again.

/**
 * Concatenate the triangle arrays of `parts` (each `{position, normal?}`,
 * three floats per vertex, three vertices per triangle).
 * @returns {{position: Float32Array, normal: Float32Array|null, starts: Uint32Array}}
 *   `starts[k]` is the first triangle of part k; `starts[parts.length]` the number of triangles.
 */
export function mergeTriangles(parts) {
  let floats = 0;
  for (const p of parts) floats += p.position.length;
  const withNormals = parts.length > 0 && parts.every((p) => p.normal);
  const position = new Float32Array(floats);
  const normal = withNormals ? new Float32Array(floats) : null;
  const starts = new Uint32Array(parts.length + 1);
  let at = 0;
  parts.forEach((p, k) => {
    starts[k] = at / 9;
    position.set(p.position, at);
    if (normal) normal.set(p.normal, at);
    at += p.position.length;
  });
  starts[parts.length] = at / 9;
  return { position, normal, starts };
}

/** The float arrays end to end (line segments of many outlines, say). */
export function concatFloats(arrays) {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new Float32Array(n);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The part that triangle `face` belongs to (an index into the merged parts), or -1. */
export function partOfFace(starts, face) {
  const n = starts.length - 1;
  if (!(face >= 0) || n < 1 || face >= starts[n]) return -1;
  let lo = 0;
  let hi = n - 1;
  // The last part starting at or before `face` (empty parts start where the next does).
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= face) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Memo of per-item arrays keyed by an object (a footprint) and a value (a height): a recolour rebuilds nothing. */
export class ShapeCache {
  constructor(make) {
    this.make = make;
    this.map = new WeakMap();
  }

  get(key, value, ...args) {
    if (key === null || typeof key !== 'object') return this.make(...args);
    const hit = this.map.get(key);
    if (hit && hit.value === value) return hit.arrays;
    const arrays = this.make(...args);
    this.map.set(key, { value, arrays });
    return arrays;
  }
}
