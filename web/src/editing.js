// The editor's pure logic, no DOM: the command stack, the edits of a project
// document (SPEC §2, site coordinates) and where a new item fits. Every edit
// returns a new document; the page pushes (before, after) on the stack, so a
// whole drag is one step.
import { footprintRing } from './engine.js';
import { pointInRing } from './geometry.js';

export const MAX_UNDO = 200;

/** Undo/redo of whole documents: small projects, exact restores. */
export class CommandStack {
  constructor(limit = MAX_UNDO) {
    this.limit = limit;
    this.done = [];
    this.undone = [];
  }

  /** Record one step from `before` to `after` (no step when nothing changed). */
  push(label, before, after) {
    if (JSON.stringify(before) === JSON.stringify(after)) return false;
    this.done.push({ label, before: clone(before), after: clone(after) });
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    return true;
  }

  get canUndo() { return this.done.length > 0; }
  get canRedo() { return this.undone.length > 0; }

  /** The document before the last step, or null. */
  undo() {
    const step = this.done.pop();
    if (!step) return null;
    this.undone.push(step);
    return clone(step.before);
  }

  redo() {
    const step = this.undone.pop();
    if (!step) return null;
    this.done.push(step);
    return clone(step.after);
  }

  clear() {
    this.done = [];
    this.undone = [];
  }
}

export const clone = (v) => JSON.parse(JSON.stringify(v));

// ------------------------------------------------------------ documents

/** A new empty project on a lot. */
export function emptyProject(siteId, lotId, title = '') {
  return { format: 'zacviz-project', version: 1, site: siteId, lot: lotId, title, buildings: [], surfaces: [] };
}

/** The item (building or surface) with this id, and its list. */
export function findItem(doc, id) {
  let i = doc.buildings.findIndex((b) => b.id === id);
  if (i >= 0) return { kind: 'building', list: 'buildings', index: i, item: doc.buildings[i] };
  i = doc.surfaces.findIndex((s) => s.id === id);
  if (i >= 0) return { kind: doc.surfaces[i].kind, list: 'surfaces', index: i, item: doc.surfaces[i] };
  return null;
}

/** A fresh id: prefix + the first free number. */
export function newId(doc, prefix) {
  const used = new Set([...doc.buildings, ...doc.surfaces].map((x) => x.id));
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

function translateFootprint(fp, dx, dy) {
  if (fp.rect) return { ...fp, rect: { ...fp.rect, cx: fp.rect.cx + dx, cy: fp.rect.cy + dy } };
  return { ...fp, polygon: fp.polygon.map(([x, y]) => [x + dx, y + dy]) };
}

function withItem(doc, id, fn) {
  const found = findItem(doc, id);
  if (!found) return doc;
  const out = { ...doc, [found.list]: doc[found.list].slice() };
  out[found.list][found.index] = fn(found.item);
  return out;
}

/** Move an item by (dx, dy) metres. */
export function moveItem(doc, id, dx, dy) {
  return withItem(doc, id, (it) => ({ ...it, footprint: translateFootprint(it.footprint, dx, dy) }));
}

/** Change fields of a rect footprint (cx, cy, width, depth, angle_deg). */
export function setRect(doc, id, patch) {
  return withItem(doc, id, (it) => (it.footprint.rect ? { ...it, footprint: { ...it.footprint, rect: { ...it.footprint.rect, ...patch } } } : it));
}

/** Change an item's own field (use, height_m, storeys, roof, stalls). */
export function setField(doc, id, field, value) {
  return withItem(doc, id, (it) => {
    const out = { ...it };
    if (value === null || value === undefined) delete out[field];
    else out[field] = value;
    return out;
  });
}

export function deleteItem(doc, id) {
  return { ...doc, buildings: doc.buildings.filter((b) => b.id !== id), surfaces: doc.surfaces.filter((s) => s.id !== id) };
}

// ------------------------------------------------------------ typed values

/** Accepted ranges of the parameter panel; a value outside is refused, never clamped. */
export const RANGES = {
  width: { min: 2, max: 500, integer: false, unit: 'm' },
  depth: { min: 2, max: 500, integer: false, unit: 'm' },
  angle_deg: { min: -360, max: 360, integer: false, unit: '°' },
  height_m: { min: 2, max: 100, integer: false, unit: 'm' },
  storeys: { min: 1, max: 30, integer: true, unit: '' },
  stalls: { min: 0, max: 5000, integer: true, unit: '' },
};

/**
 * Read a typed value: `{value}` or `{error: 'number' | 'integer' | 'range', min, max}`.
 * Accepts a French decimal comma.
 */
export function parseValue(field, text) {
  const range = RANGES[field];
  const clean = String(text).trim().replace(/\s/g, '').replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(clean)) return { error: 'number', ...range };
  const value = Number(clean);
  if (!Number.isFinite(value)) return { error: 'number', ...range };
  if (range.integer && !Number.isInteger(value)) return { error: 'integer', ...range };
  if (value < range.min || value > range.max) return { error: 'range', ...range };
  return { value };
}

// ------------------------------------------------------------ placement

export const DEFAULT_SIZES = {
  building: { width: 30, depth: 20 },
  parking: { width: 25, depth: 16 },
  yard: { width: 20, depth: 15 },
  storage: { width: 15, depth: 10 },
};

function segmentsCross([ax, ay], [bx, by], [cx, cy], [dx, dy]) {
  const d1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  const d3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

function edgesCross(a, b) {
  for (let i = 0; i < a.length; i++) {
    const a0 = a[i];
    const a1 = a[(i + 1) % a.length];
    for (let j = 0; j < b.length; j++) if (segmentsCross(a0, a1, b[j], b[(j + 1) % b.length])) return true;
  }
  return false;
}

/** Two simple rings share some area (or one holds the other). */
export function ringsOverlap(a, b) {
  return edgesCross(a, b) || a.some(([x, y]) => pointInRing(x, y, b)) || b.some(([x, y]) => pointInRing(x, y, a));
}

/** A ring lies inside another (no crossing, every vertex inside). */
export function ringInside(ring, outer) {
  return ring.every(([x, y]) => pointInRing(x, y, outer)) && !edgesCross(ring, outer);
}

/**
 * A centre (site coordinates) where a width × depth rectangle at `angle`
 * lies inside the lot and touches nothing of the project (a 1 m margin kept
 * when there is room for it), the nearest to `near` (site-relative) or to
 * the lot's label point. Null when the lot is full.
 */
export function freeSpot(doc, lot, origin, { width, depth, angle = 0, near = null, except = null }) {
  const lotRing = lot.polygon[0];
  const others = [...doc.buildings, ...doc.surfaces].filter((x) => x.id !== except).map((x) => footprintRing(x.footprint, origin));
  const xs = lotRing.map((p) => p[0]);
  const ys = lotRing.map((p) => p[1]);
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const target = near || lot.label;
  const step = Math.max(1, Math.max(x1 - x0, y1 - y0) / 80);
  const candidates = [];
  for (let x = x0; x <= x1; x += step) for (let y = y0; y <= y1; y += step) candidates.push([x, y]);
  candidates.sort((a, b) => Math.hypot(a[0] - target[0], a[1] - target[1]) - Math.hypot(b[0] - target[0], b[1] - target[1]));
  for (const margin of [1, 0.05]) {
    for (const [x, y] of candidates) {
      const ring = footprintRing({ rect: { cx: x, cy: y, width, depth, angle_deg: angle } });
      if (!ringInside(ring, lotRing)) continue;
      const spaced = footprintRing({ rect: { cx: x, cy: y, width: width + 2 * margin, depth: depth + 2 * margin, angle_deg: angle } });
      if (others.some((o) => ringsOverlap(o, spaced))) continue;
      return [Math.round((x + origin[0]) * 100) / 100, Math.round((y + origin[1]) * 100) / 100];
    }
  }
  return null;
}

/** The main angle of the lot's frontage: the angle of the longest lot edge. */
export function lotAngle(lot) {
  const ring = lot.polygon[0];
  let best = 0;
  let angle = 0;
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[(i + 1) % ring.length];
    const len = Math.hypot(bx - ax, by - ay);
    if (len > best) {
      best = len;
      angle = (Math.atan2(by - ay, bx - ax) * 180) / Math.PI;
    }
  }
  return normAngle(angle);
}

/** An angle in (-90, 90]: a rectangle looks the same turned by 180°. */
export function normAngle(a) {
  let x = ((a % 180) + 180) % 180;
  if (x > 90) x -= 180;
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Add an item of `kind` ('building' | 'parking' | 'yard' | 'storage') in free
 * space. Returns `{doc, id}` or null when the lot has no room for it.
 */
export function addItem(doc, kind, lot, origin, { angle = lotAngle(lot) } = {}) {
  const size = DEFAULT_SIZES[kind];
  const spot = freeSpot(doc, lot, origin, { ...size, angle });
  if (!spot) return null;
  const rect = { cx: spot[0], cy: spot[1], width: size.width, depth: size.depth, angle_deg: angle };
  if (kind === 'building') {
    const id = newId(doc, 'b');
    const b = { id, use: 'workshop', height_m: 9, storeys: 1, roof: 'flat', footprint: { rect } };
    return { doc: { ...doc, buildings: [...doc.buildings, b] }, id };
  }
  const id = newId(doc, 's');
  const s = { id, kind, footprint: { rect } };
  return { doc: { ...doc, surfaces: [...doc.surfaces, s] }, id };
}

/** A copy of an item beside it (or elsewhere in free space); null when no room. */
export function duplicateItem(doc, id, lot, origin) {
  const found = findItem(doc, id);
  if (!found) return null;
  const it = found.item;
  const copyId = newId(doc, found.list === 'buildings' ? 'b' : 's');
  const ring = footprintRing(it.footprint, origin);
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const centre = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
  const fp = it.footprint;
  const dims = fp.rect
    ? { width: fp.rect.width, depth: fp.rect.depth, angle: fp.rect.angle_deg || 0 }
    : { width: Math.max(...xs) - Math.min(...xs), depth: Math.max(...ys) - Math.min(...ys), angle: 0 };
  const spot = freeSpot(doc, lot, origin, { ...dims, near: centre });
  if (!spot) return null;
  const copy = clone(it);
  copy.id = copyId;
  copy.footprint = translateFootprint(fp, spot[0] - (centre[0] + origin[0]), spot[1] - (centre[1] + origin[1]));
  return { doc: { ...doc, [found.list]: [...doc[found.list], copy] }, id: copyId };
}

// ------------------------------------------------------------ direct manipulation

/** Resize a rect from its corner handle: the opposite corner stays; sizes ≥ 2 m. */
export function resizeFromCorner(rect, px, py) {
  const a = ((rect.angle_deg || 0) * Math.PI) / 180;
  const ux = [Math.cos(a), Math.sin(a)];
  const uy = [-Math.sin(a), Math.cos(a)];
  const ox = rect.cx - (rect.width / 2) * ux[0] - (rect.depth / 2) * uy[0];
  const oy = rect.cy - (rect.width / 2) * ux[1] - (rect.depth / 2) * uy[1];
  const w = Math.max(RANGES.width.min, (px - ox) * ux[0] + (py - oy) * ux[1]);
  const d = Math.max(RANGES.depth.min, (px - ox) * uy[0] + (py - oy) * uy[1]);
  const r2 = (v) => Math.round(v * 100) / 100;
  const width = Math.min(RANGES.width.max, r2(w));
  const depth = Math.min(RANGES.depth.max, r2(d));
  return {
    ...rect,
    width,
    depth,
    cx: ox + (width / 2) * ux[0] + (depth / 2) * uy[0],
    cy: oy + (width / 2) * ux[1] + (depth / 2) * uy[1],
  };
}

/** The angle (degrees) a rect takes when its rotate handle (on its +y side) is at (px, py). */
export function angleTowards(rect, px, py, snapTo = null, snapDeg = 4) {
  let a = (Math.atan2(py - rect.cy, px - rect.cx) * 180) / Math.PI - 90;
  a = Math.round(a * 10) / 10;
  if (snapTo !== null) {
    for (let k = -4; k <= 4; k++) {
      const cand = snapTo + k * 90;
      if (Math.abs(((a - cand + 540) % 360) - 180) <= snapDeg) return normAngle(cand);
    }
  }
  return normAngle(a);
}

/**
 * Snap a translation: the moved ring's vertices (site-relative, after the
 * raw move) against lines given as segments [[x0, y0], [x1, y1]]. Returns the
 * correction [dx, dy] (at most `tol` metres along each of up to two
 * non-parallel lines).
 */
export function snapCorrection(ring, lines, tol) {
  const corr = [0, 0];
  let firstNormal = null;
  for (let pass = 0; pass < 2; pass++) {
    let best = null;
    for (const [[ax, ay], [bx, by]] of lines) {
      const len = Math.hypot(bx - ax, by - ay);
      if (len < 1e-9) continue;
      const n = [-(by - ay) / len, (bx - ax) / len];
      if (firstNormal && Math.abs(n[0] * firstNormal[0] + n[1] * firstNormal[1]) > 0.97) continue;
      for (const [vx0, vy0] of ring) {
        const vx = vx0 + corr[0];
        const vy = vy0 + corr[1];
        const t = ((vx - ax) * (bx - ax) + (vy - ay) * (by - ay)) / (len * len);
        if (t < -0.05 || t > 1.05) continue;
        const dist = (vx - ax) * n[0] + (vy - ay) * n[1];
        if (Math.abs(dist) <= tol && (!best || Math.abs(dist) < Math.abs(best.dist))) best = { dist, n };
      }
    }
    if (!best) break;
    corr[0] -= best.dist * best.n[0];
    corr[1] -= best.dist * best.n[1];
    firstNormal = best.n;
  }
  return corr;
}
