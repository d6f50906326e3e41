// Port of zacviz/rules/engine.py and zacviz/rules/results.py (SPEC §3): a
// project on its lot → metrics and the rule verdicts, in the exact JSON shape
// of `zacviz check --format json`. The Python engine is the reference; the
// tests in web/tests compare both on vectors Python generates.
import {
  polygon, multiPolygon, area, covers, intersects, intersection, difference,
  buffer, boundary, unionAll, isCCW, empty,
} from './geometry.js';
import { rectangleCount, polygonCount } from './parking.js';
import { facetDistance, segmentToSegment } from './distance.js';
import { pointInRing } from './geometry.js';
import { largestShared } from './pairs.js';
import { ringsUnionArea, ringsSharedArea } from './union.js';
import { fmtNumber, fmtPercent, roundPy, toFixedPy, fillTemplate } from './format.js';

export const TOL_LENGTH = 0.01;
export const TOL_AREA = 0.01;
export const TOL_RATIO = 1e-6;
export const FRONTAGE_TOLERANCE_M = 0.5;

// ------------------------------------------------------------- footprints

/** Corners of a rect footprint, counter-clockwise (RectFootprint.corners). */
export function rectCorners({ cx, cy, width, depth, angle_deg: angle = 0 }) {
  const a = (angle * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  const hw = width / 2;
  const hd = depth / 2;
  return [[-hw, -hd], [hw, -hd], [hw, hd], [-hw, hd]].map(([x, y]) => [cx + x * c - y * s, cy + x * s + y * c]);
}

/** The footprint's ring, counter-clockwise, shifted by -origin. */
export function footprintRing(fp, origin = [0, 0]) {
  let pts;
  if (fp.rect) {
    pts = rectCorners(fp.rect);
  } else {
    pts = fp.polygon.map((p) => [p[0], p[1]]);
    const a = pts[0];
    const b = pts[pts.length - 1];
    if (pts.length > 1 && a[0] === b[0] && a[1] === b[1]) pts.pop();
    if (!isCCW(pts)) pts = [pts[0], ...pts.slice(1).reverse()];
  }
  return pts.map(([x, y]) => [x - origin[0], y - origin[1]]);
}

function ringArea(points) {
  let s = 0;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i];
    const [x2, y2] = points[(i + 1) % points.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

function footprintArea(fp, ring) {
  return fp.rect ? fp.rect.width * fp.rect.depth : ringArea(ring);
}

// ------------------------------------------------------------------ rules

function sideSetbackFor(rules, height) {
  if (rules.min_setback_side_m == null && rules.side_setback_height_ratio == null) return null;
  return Math.max(rules.min_setback_side_m || 0, (rules.side_setback_height_ratio || 0) * height);
}

/** Shortest decimal text of a float as integer mantissa and exponent. */
function decimal(x) {
  const [mant, exp = '0'] = String(x).toLowerCase().split('e');
  const [i, f = ''] = mant.split('.');
  return { n: BigInt(i + f), e: Number(exp) - f.length };
}

/** ceil(floor area / m² per stall) on decimals, as stalls_required. */
export function stallsRequired(floorArea, perStall) {
  if (!perStall || perStall <= 0) return 0;
  const a = decimal(roundPy(floorArea, 2));
  const p = decimal(perStall);
  // a.n·10^a.e / (p.n·10^p.e) = num / den
  let num = a.n;
  let den = p.n;
  const shift = a.e - p.e;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  if (num <= 0n) return 0;
  return Number((num + den - 1n) / den);
}

function lotGeometry(site, lot) {
  const poly = polygon(lot.polygon);
  const roads = [];
  const setbacks = [];
  const defaultSetback = lot.rules.min_setback_road_m;
  for (const road of site.roads) {
    const limit = road.setback_m != null ? road.setback_m : defaultSetback;
    if (limit != null) {
      roads.push({ road, geom: multiPolygon(road.polygons) });
      setbacks.push(limit);
    }
  }
  const outline = boundary(poly);
  let side = outline;
  // Roads farther than the tolerance from the lot's box take nothing off its
  // outline: only the others are merged (the whole site's took long).
  const lotBox = envelopeBox(poly);
  const touching = site.roads.map((r) => multiPolygon(r.polygons)).filter((g) => boxGap(envelopeBox(g), lotBox) <= FRONTAGE_TOLERANCE_M);
  if (touching.length) side = difference(outline, buffer(unionAll(touching), FRONTAGE_TOLERANCE_M));
  // A convex lot (most are): covering and clipping are measured on its ring.
  let convex = null;
  if (lot.polygon.length === 1) {
    let ring = lot.polygon[0].map(([x, y]) => [x, y]);
    const a = ring[0];
    const b = ring[ring.length - 1];
    if (ring.length > 1 && a[0] === b[0] && a[1] === b[1]) ring.pop();
    if (!isCCW(ring)) ring = [ring[0], ...ring.slice(1).reverse()];
    if (isConvex(ring)) convex = ring;
  }
  return { lot, poly, area: area(poly), roads, setbacks, side, convex };
}

/**
 * Whether the ring lies surely inside the lot: every vertex inside it and no
 * edge touching the lot's outlines (false: not sure, JSTS decides).
 */
function ringInside(ring, box, lg) {
  if (!lg.edges) {
    lg.edges = [];
    for (const r of lg.lot.polygon) r.forEach((p, k) => lg.edges.push([p, r[(k + 1) % r.length]]));
  }
  const [shell, ...holes] = lg.lot.polygon;
  for (const [x, y] of ring) {
    if (!pointInRing(x, y, shell) || holes.some((h) => pointInRing(x, y, h))) return false;
  }
  for (const [[cx, cy], [dx, dy]] of lg.edges) {
    if (Math.max(cx, dx) < box[0] || Math.min(cx, dx) > box[2] || Math.max(cy, dy) < box[1] || Math.min(cy, dy) > box[3]) continue;
    const [ex0, ex1, ey0, ey1] = [Math.min(cx, dx), Math.max(cx, dx), Math.min(cy, dy), Math.max(cy, dy)];
    for (let k = 0; k < ring.length; k++) {
      const [ax, ay] = ring[k];
      const [bx, by] = ring[(k + 1) % ring.length];
      // Edges whose boxes are apart do not touch (most, for a big ring).
      if ((ax < bx ? bx : ax) < ex0 || (ax < bx ? ax : bx) > ex1 || (ay < by ? by : ay) < ey0 || (ay < by ? ay : by) > ey1) continue;
      if (segmentToSegment(ax, ay, bx, by, cx, cy, dx, dy) === 0) return false;
    }
  }
  // A hole wholly inside the ring would not be seen above.
  return !holes.some((h) => pointInRing(h[0][0], h[0][1], ring));
}

/** Whether every point of the ring lies in the convex counter-clockwise ring `hull` (edges included). */
function ringInConvex(ring, hull) {
  for (let i = 0; i < hull.length; i++) {
    const [ax, ay] = hull[i];
    const [bx, by] = hull[(i + 1) % hull.length];
    for (const [x, y] of ring) if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) < 0) return false;
  }
  return true;
}

// The lot's geometry depends only on the site data: computed once per lot
// object (an editor checks the same lot on every drag step).
const LOT_GEOMETRY = new WeakMap();

function cachedLotGeometry(site, lot) {
  const hit = LOT_GEOMETRY.get(lot);
  if (hit && hit.roads === site.roads) return hit.lg;
  const lg = lotGeometry(site, lot);
  LOT_GEOMETRY.set(lot, { roads: site.roads, lg });
  return lg;
}

function result(id, ok, value, limit, margin, unit, items, key, fields = {}) {
  return { id, ok, value, limit, margin, unit, items, key, fields };
}

function maxRule(id, value, limit, tol, unit, items) {
  const ok = value <= limit + tol;
  return result(id, ok, value, limit, limit - value, unit, ok ? [] : items, `${id}.${ok ? 'ok' : 'fail'}`);
}

/**
 * Check a validated project document against its lot.
 * `site` is the exported web data (lots and roads relative to site.origin).
 */
export function checkProject(doc, site) {
  const lot = site.lots.find((l) => l.id === doc.lot);
  if (!lot) throw new Error(`lot: unknown lot ${JSON.stringify(doc.lot)}`);
  const origin = site.site.origin;
  const rules = lot.rules;
  const lg = cachedLotGeometry(site, lot);
  const buildings = doc.buildings || [];
  const surfaces = doc.surfaces || [];
  const bRings = buildings.map((b) => footprintRing(b.footprint, origin));
  const sRings = surfaces.map((s) => footprintRing(s.footprint, origin));
  const bPolys = bRings.map((r) => polygon([r]));
  const sPolys = sRings.map((r) => polygon([r]));
  const allPolys = [...bPolys, ...sPolys];
  const allIds = [...buildings.map((b) => b.id), ...surfaces.map((s) => s.id)];
  const nb = bPolys.length;

  const areas = allPolys.map(area);
  const allRings = [...bRings, ...sRings];
  const boxes = allRings.map(ringBox);
  if (!lg.box) lg.box = envelopeBox(lg.poly);
  // A shape whose box is off the lot's is wholly outside it.
  const away = boxes.map((b) => boxesApart(b, lg.box));
  const covered = allPolys.map((p, i) => !away[i] && (lg.convex ? ringInConvex(allRings[i], lg.convex)
    : ringInside(allRings[i], boxes[i], lg) || covers(lg.poly, p)));
  // Area outside the lot, measured once for inside_lot and sealed_m2 (a
  // convex lot clips any simple ring: Sutherland–Hodgman keeps its area).
  const outsideArea = allPolys.map((p, i) => {
    if (covered[i]) return 0;
    if (away[i]) return areas[i];
    if (lg.convex) return Math.max(0, areas[i] - convexSharedArea(allRings[i], lg.convex));
    return area(difference(p, lg.poly));
  });
  const discs = allRings.map(inscribedDisc);
  const pairs = [];
  for (let i = 0; i < allPolys.length; i++) {
    for (let j = i + 1; j < allPolys.length; j++) {
      // Boxes apart: no intersection; discs deep in each other: one, surely.
      if (boxesApart(boxes[i], boxes[j])) continue;
      if (provenOverlap(discs[i], discs[j]) || intersects(allPolys[i], allPolys[j])) pairs.push([i, j]);
    }
  }
  const bOverlap = pairs.some(([i, j]) => i < nb && j < nb);
  const sum = (xs) => xs.reduce((s, x) => s + x, 0);
  const inLot = (i) => areas[i] - outsideArea[i];
  const convex = allRings.map(isConvex);
  // A group of convex shapes (rectangles) is measured along its outline, not merged by JSTS.
  const direct = (g) => g.every((i) => convex[i]);
  const unions = new Map(); // footprint and sealed area often merge the same group
  const outlineArea = (g) => {
    const key = g.join(',');
    if (!unions.has(key)) unions.set(key, convexUnionArea(g.map((i) => allRings[i])));
    return unions.get(key);
  };
  // The area of a union is the sum over the groups of shapes that touch: only
  // those groups are merged (one union of everything took seconds for 1,000).
  const jstsUnions = new Map();
  const merged = (g) => {
    const key = g.join(',');
    if (!jstsUnions.has(key)) jstsUnions.set(key, unionAll(g.map((i) => allPolys[i])));
    return jstsUnions.get(key);
  };
  // A group with concave shapes: along its outline too, unless a degenerate
  // case (touching or collinear edges) leaves it to JSTS.
  const groupArea = (g) => {
    if (direct(g)) return outlineArea(g);
    const key = g.join(',');
    if (!unions.has(key)) unions.set(key, ringsUnionArea(g.map((i) => allRings[i])) ?? area(merged(g)));
    return unions.get(key);
  };
  const footprint = bOverlap
    ? unionArea(nb, pairs.filter(([, j]) => j < nb), (i) => areas[i], groupArea)
    : sum(areas.slice(0, nb));
  const lotArea = lg.area;
  // A group wholly in the lot: its area in the lot is its area (as engine.py).
  const sealed = pairs.length || !covered.every(Boolean)
    ? unionArea(allPolys.length, pairs, inLot, (g) => {
      if (!g.every((i) => covered[i])) return area(intersection(merged(g), lg.poly));
      return groupArea(g);
    })
    : sum(areas);
  const stalls = {};
  surfaces.forEach((s, k) => {
    if (s.kind !== 'parking') return;
    if (s.stalls != null) stalls[s.id] = s.stalls;
    // A surface reaching out of its lot counts only the stalls inside it (SPEC §2).
    else if (!covered[nb + k]) stalls[s.id] = polygonCount(sRings[k], lot.polygon);
    else if (s.footprint.rect) stalls[s.id] = rectangleCount(s.footprint.rect.width, s.footprint.rect.depth);
    else stalls[s.id] = polygonCount(sRings[k]);
  });
  const perStall = rules.parking_m2_per_stall || {};
  const required = buildings.map((b, k) =>
    stallsRequired(roundPy(footprintArea(b.footprint, bRings[k]) * (b.storeys ?? 1), 2), perStall[b.use]),
  );
  const metrics = {
    lot_area_m2: lotArea,
    footprint_m2: footprint,
    coverage: footprint / lotArea,
    floor_area_m2: sum(buildings.map((b, k) => footprintArea(b.footprint, bRings[k]) * (b.storeys ?? 1))),
    sealed_m2: sealed,
    green_ratio: (lotArea - sealed) / lotArea,
    parking_required: sum(required),
    parking_provided: sum(Object.values(stalls)),
  };

  const rs = [insideLot(allPolys, allIds, outsideArea)];
  if (rules.max_coverage != null) {
    rs.push(maxRule('coverage', metrics.coverage, rules.max_coverage, TOL_RATIO, 'ratio', buildings.map((b) => b.id)));
  }
  if (rules.max_height_m != null) rs.push(height(buildings, rules.max_height_m));
  const road = roadSetback(lg, buildings, bPolys, boxes, rules);
  if (road) rs.push(road);
  if (sideSetbackFor(rules, 0) != null) rs.push(sideSetback(lg, buildings, bPolys, rules));
  if (rules.min_building_spacing_m != null) rs.push(buildingSpacing(buildings, bPolys, bRings, rules.min_building_spacing_m, boxes.slice(0, nb), discs.slice(0, nb)));
  if (rules.min_green_ratio != null) {
    const value = metrics.green_ratio;
    const limit = rules.min_green_ratio;
    const ok = value >= limit - TOL_RATIO;
    rs.push(result('green_ratio', ok, value, limit, value - limit, 'ratio', ok ? [] : allIds, `green_ratio.${ok ? 'ok' : 'fail'}`));
  }
  if (rules.parking_m2_per_stall != null) {
    const ok = metrics.parking_provided >= metrics.parking_required;
    const items = ok ? [] : buildings.filter((b, k) => required[k] > 0).map((b) => b.id);
    rs.push(result('parking', ok, metrics.parking_provided, metrics.parking_required,
      metrics.parking_provided - metrics.parking_required, 'stalls', items, `parking.${ok ? 'ok' : 'fail'}`));
  }
  if (rules.max_floor_area_m2 != null) {
    rs.push(maxRule('floor_area', metrics.floor_area_m2, rules.max_floor_area_m2, TOL_AREA, 'm2', buildings.map((b) => b.id)));
  }
  if (surfaces.length) rs.push(overlap(allPolys, allRings, areas, allIds, nb, pairs));
  return { lot: lot.id, metrics, rules: rs, stalls };
}

function insideLot(polys, ids, outside) {
  if (!polys.length) return result('inside_lot', true, 0, 0, 0, 'm2', [], 'inside_lot.ok');
  const worst = Math.max(...outside);
  const items = ids.filter((id, i) => outside[i] > TOL_AREA);
  return maxRule('inside_lot', worst, 0, TOL_AREA, 'm2', items);
}

function height(buildings, limit) {
  if (!buildings.length) return result('height', true, null, limit, null, 'm', [], 'height.none');
  let i = 0;
  buildings.forEach((b, k) => { if (b.height_m > buildings[i].height_m) i = k; });
  const bad = buildings.filter((b) => b.height_m > limit + TOL_LENGTH).map((b) => b.id);
  return maxRule('height', buildings[i].height_m, limit, TOL_LENGTH, 'm', bad);
}

function roadSetback(lg, buildings, polys, boxes, rules) {
  if (!lg.roads.length) {
    if (rules.min_setback_road_m == null) return null;
    return result('road_setback', true, null, rules.min_setback_road_m, null, 'm', [], 'road_setback.none');
  }
  if (!buildings.length) {
    return result('road_setback', true, null, Math.max(...lg.setbacks), null, 'm', [], 'road_setback.none');
  }
  let best = null;
  const failB = new Set();
  const failR = new Set();
  if (!lg.roadBoxes) lg.roadBoxes = lg.roads.map(({ geom }) => envelopeBox(geom));
  polys.forEach((p, bi) => {
    lg.roads.forEach(({ geom }, ri) => {
      // The boxes' gap is at most the distance: a pair that can neither fail
      // nor be the closest is not measured.
      const low = boxGap(boxes[bi], lg.roadBoxes[ri]) - lg.setbacks[ri];
      if (best !== null && low >= best.m && low >= -TOL_LENGTH) return;
      const d = facetDistance(p, geom);
      const m = d - lg.setbacks[ri];
      if (best === null || m < best.m) best = { d, m, ri };
      if (m < -TOL_LENGTH) { failB.add(bi); failR.add(ri); }
    });
  });
  const limit = lg.setbacks[best.ri];
  const ok = best.d >= limit - TOL_LENGTH;
  const items = ok ? [] : [
    ...[...failB].sort((a, b) => a - b).map((i) => buildings[i].id),
    ...[...failR].sort((a, b) => a - b).map((i) => lg.roads[i].road.id),
  ];
  const r = lg.roads[best.ri].road;
  return result('road_setback', ok, best.d, limit, best.d - limit, 'm', items,
    `road_setback.${ok ? 'ok' : 'fail'}`, { road: r.name || r.id });
}

function sideSetback(lg, buildings, polys, rules) {
  if (!buildings.length || lg.side.isEmpty()) {
    const h = buildings.length ? Math.max(...buildings.map((b) => b.height_m)) : 0;
    return result('side_setback', true, null, sideSetbackFor(rules, h), null, 'm', [], 'side_setback.none');
  }
  const limits = buildings.map((b) => sideSetbackFor(rules, b.height_m));
  const dist = polys.map((p) => facetDistance(p, lg.side));
  const margin = dist.map((d, k) => d - limits[k]);
  let i = 0;
  margin.forEach((m, k) => { if (m < margin[i]) i = k; });
  const ok = margin[i] >= -TOL_LENGTH;
  const bad = buildings.filter((b, k) => margin[k] < -TOL_LENGTH).map((b) => b.id);
  return result('side_setback', ok, dist[i], limits[i], margin[i], 'm', bad, `side_setback.${ok ? 'ok' : 'fail'}`);
}

// Speed-ups that leave every result as it was: the gap between two bounding
// boxes is a lower bound of the distance between the shapes, and two shapes
// whose inscribed discs overlap deeply share more than TOL_AREA (π·0.06² m²).
const PROOF_RADIUS = 0.06;

function envelopeBox(g) {
  const e = g.getEnvelopeInternal();
  return [e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()];
}

/**
 * Area of the union of `n` shapes, given the pairs that intersect: each shape
 * alone counts `alone(i)`, each group of shapes joined by pairs counts
 * `merged(indices)`.
 */
function unionArea(n, pairs, alone, merged) {
  const up = Array.from({ length: n }, (_, i) => i);
  const root = (i) => {
    while (up[i] !== i) { up[i] = up[up[i]]; i = up[i]; }
    return i;
  };
  for (const [i, j] of pairs) up[root(i)] = root(j);
  const groups = new Map();
  for (let i = 0; i < n; i++) {
    const r = root(i);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r).push(i);
  }
  let total = 0;
  for (const g of groups.values()) total += g.length === 1 ? alone(g[0]) : merged(g);
  return total;
}

/**
 * Area of the union of convex counter-clockwise rings, along its outline: the
 * parts of each edge inside no other ring, integrated (Green's theorem). An
 * edge lying on another ring's edge in the same direction counts once (for
 * the first ring); in opposite directions both count and cancel.
 */
export function convexUnionArea(rings) {
  const [ox, oy] = rings[0][0];
  const rs = rings.map((r) => {
    const flat = new Float64Array(2 * r.length);
    for (let k = 0; k < r.length; k++) { flat[2 * k] = r[k][0] - ox; flat[2 * k + 1] = r[k][1] - oy; }
    return flat;
  });
  const boxes = rings.map(ringBox);
  let twice = 0;
  // The parts of an edge inside other rings, as [starts[k], ends[k]] along it.
  const starts = new Float64Array(rs.length);
  const ends = new Float64Array(rs.length);
  const others = new Int32Array(rs.length);
  for (let i = 0; i < rs.length; i++) {
    const ring = rs[i];
    let no = 0;
    for (let j = 0; j < rs.length; j++) if (j !== i && !boxesApart(boxes[i], boxes[j])) others[no++] = j;
    const n = ring.length;
    for (let e = 0; e < n; e += 2) {
      const ax = ring[e];
      const ay = ring[e + 1];
      const bx = ring[(e + 2) % n];
      const by = ring[(e + 3) % n];
      let nc = 0;
      // The edge is wholly covered once a part from its start reaches a part to its end.
      let head = -1;
      let tail = 2;
      for (let o = 0; o < no && head < tail; o++) {
        const j = others[o];
        const other = rs[j];
        const m = other.length;
        let lo = 0;
        let hi = 1;
        for (let f = 0; f < m && lo < hi; f += 2) {
          const cx = other[f];
          const cy = other[f + 1];
          const ex = other[(f + 2) % m] - cx;
          const ey = other[(f + 3) % m] - cy;
          const sa = ex * (ay - cy) - ey * (ax - cx);
          const sb = ex * (by - cy) - ey * (bx - cx);
          if (sa === 0 && sb === 0) {
            // On this edge's line: inside only when the same way and j comes first.
            if (!(ex * (bx - ax) + ey * (by - ay) > 0 && j < i)) hi = lo;
          } else if (sa <= 0 && sb <= 0) {
            hi = lo;
          } else if (sa < 0) {
            lo = Math.max(lo, sa / (sa - sb)); // where the edge enters this side
          } else if (sb < 0) {
            hi = Math.min(hi, sa / (sa - sb));
          }
        }
        if (lo < hi) {
          starts[nc] = lo;
          ends[nc] = hi;
          nc++;
          if (lo === 0 && hi > head) head = hi;
          if (hi === 1 && lo < tail) tail = lo;
        }
      }
      if (head < tail) twice = uncoveredCross(twice, ax, ay, bx, by, starts, ends, nc);
    }
  }
  return twice / 2;
}

/**
 * `twice` plus twice the signed area the parts of the edge a→b outside the
 * intervals [starts[k], ends[k]] (k < count, parameters along the edge) sweep
 * from the origin: each p×q of the uncovered pieces p→q added in their order
 * along the edge, to `twice` itself (the rounding is that of one running sum).
 * Intervals that overlap or touch merge. Sorts the first `count` entries of
 * both arrays (each on its own: an interval's end need not stay with its start).
 */
export function uncoveredCross(twice, ax, ay, bx, by, starts, ends, count) {
  const piece = (t0, t1) => {
    const px = ax + t0 * (bx - ax);
    const py = ay + t0 * (by - ay);
    const qx = ax + t1 * (bx - ax);
    const qy = ay + t1 * (by - ay);
    twice += px * qy - qx * py;
  };
  const s = starts.subarray(0, count).sort();
  const e = ends.subarray(0, count).sort();
  // Sweep the starts and ends in order (a start first at a tie: touching
  // intervals merge); the union's parts end where no interval is open.
  let open = 0;
  let t = 0;
  let i = 0;
  let k = 0;
  while (k < count) {
    if (i < count && s[i] <= e[k]) {
      if (open === 0 && s[i] > t) piece(t, s[i]);
      open++;
      i++;
    } else {
      open--;
      if (open === 0) t = e[k];
      k++;
    }
  }
  if (t < 1) piece(t, 1);
  return twice;
}

/** Whether a counter-clockwise ring is convex (collinear corners allowed). */
function isConvex(ring) {
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[(i + 1) % n];
    const [cx, cy] = ring[(i + 2) % n];
    if ((bx - ax) * (cy - by) - (by - ay) * (cx - bx) < 0) return false;
  }
  return true;
}

// Scratch coordinates of convexSharedArea (x, y pairs): no allocation per call.
let clipIn = new Float64Array(64);
let clipOut = new Float64Array(64);

/** Area shared by two convex counter-clockwise rings (Sutherland–Hodgman). */
export function convexSharedArea(subject, clip) {
  let n = subject.length;
  let input = clipIn.length >= 2 * n ? clipIn : new Float64Array(4 * n);
  let out = clipOut;
  for (let k = 0; k < n; k++) { input[2 * k] = subject[k][0]; input[2 * k + 1] = subject[k][1]; }
  const m = clip.length;
  for (let i = 0; i < m && n; i++) {
    const [ax, ay] = clip[i];
    const [bx, by] = clip[(i + 1) % m];
    const ex = bx - ax;
    const ey = by - ay;
    // Each point kept, and at most one crossing after it.
    if (out.length < 4 * n) out = new Float64Array(8 * n);
    let o = 0;
    let px = input[0];
    let py = input[1];
    let sp = ex * (py - ay) - ey * (px - ax);
    for (let k = 0; k < n; k++) {
      const q = k + 1 < n ? k + 1 : 0;
      const qx = input[2 * q];
      const qy = input[2 * q + 1];
      const sq = ex * (qy - ay) - ey * (qx - ax);
      if (sp >= 0) { out[o++] = px; out[o++] = py; }
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        out[o++] = px + t * (qx - px);
        out[o++] = py + t * (qy - py);
      }
      px = qx; py = qy; sp = sq;
    }
    n = o / 2;
    [input, out] = [out, input];
  }
  clipIn = input;
  clipOut = out;
  if (n < 3) return 0;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const q = k + 1 < n ? k + 1 : 0;
    s += input[2 * k] * input[2 * q + 1] - input[2 * q] * input[2 * k + 1];
  }
  return Math.abs(s) / 2;
}

function ringBox(ring) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

/** Whether two boxes are apart (boxGap(a, b) > 0, without the square root). */
function boxesApart(a, b) {
  return a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3];
}

function boxGap(a, b) {
  const dx = Math.max(0, a[0] - b[2], b[0] - a[2]);
  const dy = Math.max(0, a[1] - b[3], b[1] - a[3]);
  return Math.hypot(dx, dy);
}

function inscribedDisc(ring) {
  // The vertex mean, when inside the ring, and its distance to the edges.
  let cx = 0;
  let cy = 0;
  for (const [x, y] of ring) { cx += x; cy += y; }
  cx /= ring.length; cy /= ring.length;
  let inside = false;
  let r = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > cy !== yj > cy && cx < ((xj - xi) * (cy - yi)) / (yj - yi) + xi) inside = !inside;
    const dx = xi - xj;
    const dy = yi - yj;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((cx - xj) * dx + (cy - yj) * dy) / len2)) : 0;
    r = Math.min(r, Math.hypot(cx - (xj + t * dx), cy - (yj + t * dy)));
  }
  return [cx, cy, inside ? r : 0];
}

function provenOverlap(a, b) {
  return a[2] > 0 && b[2] > 0 && Math.hypot(a[0] - b[0], a[1] - b[1]) <= a[2] + b[2] - 2 * PROOF_RADIUS;
}

/** `boxes` and `discs` are the buildings' (checkProject measures them once for every shape). */
function buildingSpacing(buildings, polys, rings, spacing, boxes, discs) {
  const sharedArea = sharedAreaOf(polys, rings);
  const none = result('building_spacing', true, null, spacing, null, 'm', [], 'building_spacing.none');
  if (buildings.length < 2) return none;
  // Measure the pairs whose boxes come within the spacing; then, if the closest
  // pair not joined is farther, the others whose box gap does not exceed it.
  const cands = [];
  const later = [];
  const measure = (i, j) => {
    if (provenOverlap(discs[i], discs[j])) {
      cands.push({ i, j, d: 0, overlap: Infinity, margin: -spacing });
      return;
    }
    const d = facetDistance(polys[i], polys[j]);
    const overlap = d <= TOL_LENGTH ? sharedArea(i, j) : 0;
    const joined = d <= TOL_LENGTH && overlap <= TOL_AREA;
    if (!joined) cands.push({ i, j, d, overlap, margin: d - spacing });
  };
  const reach = spacing + TOL_LENGTH;
  for (let i = 0; i < polys.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < polys.length; j++) {
      const b = boxes[j];
      // Farther than the reach along x or y alone: the box gap (their hypot) is too.
      if (a[0] - b[2] > reach || b[0] - a[2] > reach || a[1] - b[3] > reach || b[1] - a[3] > reach) continue;
      if (boxGap(a, b) <= reach) measure(i, j);
    }
  }
  let best = cands.reduce((m, c) => Math.min(m, c.d), Infinity);
  // The farther pairs matter only when no pair measured is within the spacing.
  if (best > spacing + TOL_LENGTH) {
    for (let i = 0; i < polys.length; i++) {
      for (let j = i + 1; j < polys.length; j++) {
        const gap = boxGap(boxes[i], boxes[j]);
        if (gap > spacing + TOL_LENGTH && gap <= best) later.push([gap, i, j]);
      }
    }
  }
  later.sort((a, b) => a[0] - b[0]);
  for (const [gap, i, j] of later) {
    if (gap > best) break;
    const n = cands.length;
    measure(i, j);
    if (cands.length > n) best = Math.min(best, cands[n].d);
  }
  if (!cands.length) return none;
  // In the order of the pairs, as when every pair was measured.
  cands.sort((a, b) => a.i - b.i || a.j - b.j);
  let k = cands[0];
  for (const c of cands) if (c.margin < k.margin) k = c;
  if (k.overlap === Infinity) k.overlap = sharedArea(k.i, k.j);
  const failing = cands.filter((c) => c.margin < -TOL_LENGTH);
  const ok = !failing.length;
  const seen = new Set();
  const items = [];
  for (const c of failing) {
    for (const idx of [c.i, c.j]) {
      if (!seen.has(idx)) {
        seen.add(idx);
        items.push(buildings[idx].id);
      }
    }
  }
  let key = 'ok';
  const fields = {};
  if (!ok) {
    if (k.overlap > TOL_AREA) {
      key = 'overlap';
      fields.overlap = { quantity: k.overlap, unit: 'm2' };
    } else {
      key = 'fail';
    }
  }
  return result('building_spacing', ok, k.d, spacing, k.d - spacing, 'm', items, `building_spacing.${key}`, fields);
}

/** SPEC §3 `overlap`: no surface over a building or another surface (engine._overlap). */
function overlap(polys, rings, areas, ids, nb, pairs) {
  const surfacePairs = pairs.filter(([, j]) => j >= nb); // two buildings: the spacing rule's
  const convex = new Map();
  const isC = (i) => (convex.has(i) ? convex.get(i) : convex.set(i, isConvex(rings[i])).get(i));
  // The first pair in the order of the project's items among those sharing the most.
  const worst = largestShared(surfacePairs, rings, areas, isC, sharedAreaOf(polys, rings));
  if (worst === null) return result('overlap', true, 0, 0, 0, 'm2', [], 'overlap.ok');
  const [i, j] = surfacePairs[worst.k];
  return maxRule('overlap', worst.shared, 0, TOL_AREA, 'm2', [ids[i], ids[j]]);
}

/**
 * The area two shapes share: clipped directly when both are convex, else
 * along their outlines (a fifth of JSTS' time for two stacked stars), by JSTS
 * in a degenerate case.
 */
function sharedAreaOf(polys, rings) {
  const convex = new Map();
  const isC = (i) => {
    if (!convex.has(i)) convex.set(i, isConvex(rings[i]));
    return convex.get(i);
  };
  return (i, j) => (isC(i) && isC(j) ? convexSharedArea(rings[i], rings[j])
    : ringsSharedArea(rings[i], rings[j]) ?? area(intersection(polys[i], polys[j])));
}

// ---------------------------------------------------------------- results

// unit -> [decimals in JSON, decimals in messages] (results._UNITS)
const UNITS = { m: [4, 1], m2: [3, 0], ratio: [6, 1], stalls: [0, 0] };

function clean(x, digits) {
  if (x == null) return null;
  if (digits === 0) return Math.round(roundPy(x, 0));
  const r = roundPy(x, digits);
  return r === 0 ? 0 : r;
}

function formatField(v, unit, lang) {
  if (v && typeof v === 'object' && 'quantity' in v) return formatField(v.quantity, v.unit, lang);
  if (v == null) return '—';
  if (typeof v !== 'number') return v;
  if (unit === 'ratio') return fmtPercent(v, 1, lang);
  if (unit === 'stalls') return toFixedPy(v, 0);
  return fmtNumber(v, (UNITS[unit] || [3, 1])[1], lang);
}

/** The message of a rule result; `messages` is the catalogue the export ships. */
export function ruleMessage(r, lang, messages) {
  const fields = {};
  for (const [k, v] of Object.entries(r.fields)) fields[k] = formatField(v, r.unit, lang);
  if (!('value' in fields)) fields.value = formatField(r.value, r.unit, lang);
  if (!('limit' in fields)) fields.limit = formatField(r.limit, r.unit, lang);
  if (!('items' in fields)) fields.items = r.items.join(', ');
  const entry = messages[r.key];
  if (!entry) return r.key;
  return fillTemplate(entry[lang] || entry.fr, fields);
}

/** The SPEC §4 JSON object (CheckResult.to_dict). */
export function resultToDict(res, lang, messages) {
  const m = res.metrics;
  return {
    lot: res.lot,
    compliant: res.rules.every((r) => r.ok),
    metrics: {
      lot_area_m2: clean(m.lot_area_m2, 3),
      footprint_m2: clean(m.footprint_m2, 3),
      coverage: clean(m.coverage, 6),
      floor_area_m2: clean(m.floor_area_m2, 3),
      sealed_m2: clean(m.sealed_m2, 3),
      green_ratio: clean(m.green_ratio, 6),
      parking_required: m.parking_required,
      parking_provided: m.parking_provided,
    },
    rules: res.rules.map((r) => {
      const digits = UNITS[r.unit][0];
      return {
        id: r.id,
        ok: r.ok,
        value: clean(r.value, digits),
        limit: clean(r.limit, digits),
        margin: clean(r.margin, digits),
        unit: r.unit === 'm2' ? 'm²' : r.unit,
        items: [...r.items],
        message: ruleMessage(r, lang, messages),
      };
    }),
  };
}

export { empty };
