// What is at fault, as shapes to draw (site-relative rings): the part of a
// building inside a setback band, the pair too close, the shared area of an
// overlap, the part outside the lot; and the lot's buildable envelope for a
// height. Works on the results of engine.checkProject.
import {
  polygon, multiPolygon, buffer, boundary, difference, intersection, unionAll, distance, factory,
} from './geometry.js';
import { footprintRing, FRONTAGE_TOLERANCE_M } from './engine.js';
import { facetDistance } from './distance.js';

/** Rings of the polygons of a JSTS geometry (exterior rings only). */
export function ringsOf(g) {
  const out = [];
  if (!g || g.isEmpty()) return out;
  for (let i = 0; i < g.getNumGeometries(); i++) {
    const part = g.getGeometryN(i);
    if (part.getGeometryType() === 'Polygon') {
      out.push(part.getExteriorRing().getCoordinates().map((c) => [c.x, c.y]));
    } else if (part.getGeometryType() !== 'Point' && part.getNumGeometries && part.getNumGeometries() > 1) {
      out.push(...ringsOf(part));
    }
  }
  return out;
}

/** Segments of a JSTS (multi)line or polygon boundary: [[x, y], [x, y]]. */
export function segmentsOf(g) {
  const out = [];
  if (!g || g.isEmpty()) return out;
  for (let i = 0; i < g.getNumGeometries(); i++) {
    const cs = g.getGeometryN(i).getCoordinates();
    for (let k = 0; k + 1 < cs.length; k++) out.push([[cs[k].x, cs[k].y], [cs[k + 1].x, cs[k + 1].y]]);
  }
  return out;
}

const FRAMES = new WeakMap();

/**
 * lotFrame of a lot, made once per lot object of the site data (the frame is
 * never changed once made): the page makes it for a shared link's lot in a
 * task of its own before the editor opens, and a new project on the same lot
 * does not make it again.
 */
export function lotFrameOf(data, lot) {
  if (!FRAMES.has(lot)) FRAMES.set(lot, lotFrame(data, lot));
  return FRAMES.get(lot);
}

/** The lot's constant geometry for drawing and snapping (see lotFrameOf). */
export function lotFrame(data, lot) {
  const lotPoly = polygon(lot.polygon);
  const roads = [];
  for (const road of data.roads) {
    const limit = road.setback_m != null ? road.setback_m : lot.rules.min_setback_road_m;
    if (limit != null) roads.push({ road, geom: multiPolygon(road.polygons), limit });
  }
  // Only the roads whose band reaches the lot shape the lot's band: merging
  // the whole site's bands took most of the editor's start. The whole band
  // (faults of buildings outside the lot) is merged when first asked for.
  const lotBox = boxOf(lotPoly);
  const near = roads.filter((r) => gap(boxOf(r.geom), lotBox) <= r.limit);
  const nearBand = near.length ? unionAll(near.map((r) => buffer(r.geom, r.limit))) : factory.createPolygon();
  const roadSetback = intersection(nearBand, lotPoly);
  const outline = boundary(lotPoly);
  let side = outline;
  const touching = data.roads.map((r) => multiPolygon(r.polygons)).filter((g) => gap(boxOf(g), lotBox) <= FRONTAGE_TOLERANCE_M);
  if (touching.length) side = difference(outline, buffer(unionAll(touching), FRONTAGE_TOLERANCE_M));
  let band = null;
  return {
    lot,
    lotPoly,
    roads,
    get roadBand() {
      if (!band) band = unionAll(roads.map((r) => buffer(r.geom, r.limit)));
      return band;
    },
    nearBand,
    side,
    roadSetbackRings: ringsOf(roadSetback),
    lotSegments: segmentsOf(outline),
    roadSetbackSegments: segmentsOf(boundary(roadSetback)).filter(([a, b]) => !onOutline(outline, a, b)),
    envelopes: new Map(),
  };
}

function boxOf(g) {
  const e = g.getEnvelopeInternal();
  return [e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY()];
}

function gap(a, b) {
  return Math.hypot(Math.max(0, a[0] - b[2], b[0] - a[2]), Math.max(0, a[1] - b[3], b[1] - a[3]));
}

/** Whether the segment's middle lies on the lot's outline (JSTS's distance, by boxed chunks of the outline measured once). */
function onOutline(outline, a, b) {
  const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const e = 1e-3;
  const dot = polygon([[[mx - e, my - e], [mx + e, my - e], [mx + e, my + e], [mx - e, my + e]]]);
  return facetDistance(outline, dot) < 0.05;
}

export function sideLimit(rules, height) {
  if (rules.min_setback_side_m == null && rules.side_setback_height_ratio == null) return null;
  return Math.max(rules.min_setback_side_m || 0, (rules.side_setback_height_ratio || 0) * height);
}

/** Where a building of this height may stand: the lot minus the road and side setback bands. */
export function envelope(frame, height) {
  const key = Math.round(height * 100);
  if (frame.envelopes.has(key)) return frame.envelopes.get(key);
  let g = difference(frame.lotPoly, frame.nearBand); // the bands of the roads that reach the lot
  const limit = sideLimit(frame.lot.rules, height);
  if (limit && !frame.side.isEmpty()) g = difference(g, buffer(frame.side, limit));
  const out = { rings: ringsOf(g), segments: segmentsOf(boundary(g)) };
  if (frame.envelopes.size > 50) frame.envelopes.clear();
  frame.envelopes.set(key, out);
  return out;
}

/**
 * The shapes at fault for one rule result: `{items: [ids], rings: [[...]]}`.
 * `doc` is the project (site coordinates), `origin` the site origin.
 */
export function faultShapes(rule, doc, frame, origin) {
  const items = rule.items || [];
  const rings = [];
  if (rule.ok) return { items: [], rings };
  const polyOf = (id) => {
    const it = [...doc.buildings, ...doc.surfaces].find((x) => x.id === id);
    return it ? polygon([footprintRing(it.footprint, origin)]) : null;
  };
  const ids = items.filter((id) => polyOf(id));
  try {
    if (rule.id === 'road_setback') {
      for (const id of ids) rings.push(...ringsOf(intersection(polyOf(id), frame.roadBand)));
    } else if (rule.id === 'side_setback') {
      for (const id of ids) {
        const b = doc.buildings.find((x) => x.id === id);
        const limit = sideLimit(frame.lot.rules, b.height_m);
        if (limit) rings.push(...ringsOf(intersection(polyOf(id), buffer(frame.side, limit))));
      }
    } else if (rule.id === 'inside_lot') {
      for (const id of ids) rings.push(...ringsOf(difference(polyOf(id), frame.lotPoly)));
    } else if (rule.id === 'overlap' && ids.length === 2) {
      rings.push(...ringsOf(intersection(polyOf(ids[0]), polyOf(ids[1]))));
    } else if (rule.id === 'building_spacing') {
      const limit = frame.lot.rules.min_building_spacing_m || 0;
      for (let i = 0; i < ids.length; i++) {
        for (let j = i + 1; j < ids.length; j++) {
          const a = polyOf(ids[i]);
          const b = polyOf(ids[j]);
          if (distance(a, b) < limit - 0.01) rings.push(...ringsOf(intersection(buffer(a, limit / 2), buffer(b, limit / 2))));
        }
      }
    }
  } catch {
    // A degenerate shape: the items alone are marked.
  }
  return { items: ids, rings };
}
