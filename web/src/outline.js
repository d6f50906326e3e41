// The outline of an extruded footprint, built from the footprint itself: what
// three.js's EdgesGeometry finds by comparing the normals of every pair of
// faces of the extruded mesh (a second per 10,000-vertex building), known
// here at once. Each ring of the footprint (shell and holes) is drawn at the
// base and at the top; a vertical edge stands at a vertex where the wall
// turns by more than the threshold angle.

/** The ring without consecutive repeated points (nor a closing one). */
function distinct(ring) {
  const out = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

/**
 * Line-segment positions (x, y, z per end, two ends per segment) outlining
 * `rings` (`[shell, ...holes]`) extruded from z = 0 to z = `height`.
 * @returns {number[]}
 */
export function prismOutline(rings, height, thresholdDeg = 20) {
  const limit = Math.cos((thresholdDeg * Math.PI) / 180);
  const out = [];
  for (const raw of rings) {
    const ring = distinct(raw);
    const n = ring.length;
    if (n < 2) continue;
    for (let i = 0; i < n; i++) {
      const [x0, y0] = ring[(i + n - 1) % n];
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % n];
      out.push(x1, y1, 0, x2, y2, 0, x1, y1, height, x2, y2, height);
      const ax = x1 - x0;
      const ay = y1 - y0;
      const bx = x2 - x1;
      const by = y2 - y1;
      // The walls' normals turn as their directions do.
      const dot = (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by));
      if (dot <= limit) out.push(x1, y1, 0, x1, y1, height);
    }
  }
  return out;
}
