// Seeded random numbers and shapes for the JS tests (a helper, not a test file):
// the same seed gives the same cases on every run.
import { rectCorners } from '../src/engine.js';

/** A Park–Miller generator: numbers in (0, 1), the same for the same seed. */
export function random(seed) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/**
 * ``n`` rectangles on an integer grid (so that edges often coincide exactly),
 * a fifth of them given twice; with ``collinear``, a fifth also given again
 * with a corner in the middle of an edge.
 */
export function rects(rnd, n, { collinear = false } = {}) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const last = rectCorners({
      cx: Math.round(rnd() * 20), cy: Math.round(rnd() * 20),
      width: 1 + Math.round(rnd() * 15), depth: 1 + Math.round(rnd() * 15),
      angle_deg: rnd() < 0.5 ? 0 : Math.round(rnd() * 180),
    });
    out.push(last);
    if (rnd() < 0.2) out.push(last.map((p) => [...p])); // the same twice
    if (collinear && rnd() < 0.2) {
      const mid = [(last[0][0] + last[1][0]) / 2, (last[0][1] + last[1][1]) / 2];
      out.push([last[0], mid, ...last.slice(1)]); // a collinear corner
    }
  }
  return out;
}
