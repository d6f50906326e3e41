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
 * `rings` (`[shell, ...holes]`) extruded from z = 0 to z = `height`, as the
 * GPU takes them (a 10,000-vertex footprint has 180,000 of them: no array of
 * numbers grown one push at a time).
 * @returns {Float32Array}
 */
export function prismOutline(rings, height, thresholdDeg = 20) {
  const limit = Math.cos((thresholdDeg * Math.PI) / 180);
  const kept = rings.map(distinct).filter((ring) => ring.length >= 2);
  // Two passes: which vertices stand a vertical edge, then the segments.
  const vertical = kept.map((ring) => {
    const n = ring.length;
    const marks = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const [x0, y0] = ring[(i + n - 1) % n];
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % n];
      const ax = x1 - x0;
      const ay = y1 - y0;
      const bx = x2 - x1;
      const by = y2 - y1;
      // The walls' normals turn as their directions do.
      const dot = (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by));
      marks[i] = dot <= limit ? 1 : 0;
    }
    return marks;
  });
  let segments = 0;
  kept.forEach((ring, r) => {
    segments += 2 * ring.length;
    for (const m of vertical[r]) segments += m;
  });
  const out = new Float32Array(segments * 6);
  let o = 0;
  kept.forEach((ring, r) => {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % n];
      out[o] = x1; out[o + 1] = y1; out[o + 2] = 0; out[o + 3] = x2; out[o + 4] = y2; out[o + 5] = 0;
      out[o + 6] = x1; out[o + 7] = y1; out[o + 8] = height; out[o + 9] = x2; out[o + 10] = y2; out[o + 11] = height;
      o += 12;
      if (vertical[r][i]) {
        out[o] = x1; out[o + 1] = y1; out[o + 2] = 0; out[o + 3] = x1; out[o + 4] = y1; out[o + 5] = height;
        o += 6;
      }
    }
  });
  return out;
}
