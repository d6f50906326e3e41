// The plan: the lot seen from above over the aerial image, drawn on a 2D
// canvas, where the project is edited by hand. One pointer on an item moves
// it; the handles of the selected rect resize and rotate it; two pointers pan
// and zoom the view and never move anything (a drag that becomes a pinch is
// put back). Coordinates: metres relative to the site origin, y north.
import { footprintRing } from './engine.js';
import { envelope } from './faults.js';
import { SURFACE_COLOURS } from './scene.js';
import { rectangleStalls } from './parking.js';
import { pointInRing } from './geometry.js';

const STALLS = new Map();

/** The stall rings of a rect parking, cached by size. */
function stallsOf(width, depth) {
  const key = `${width}x${depth}`;
  if (!STALLS.has(key)) {
    if (STALLS.size > 200) STALLS.clear();
    STALLS.set(key, rectangleStalls(width, depth));
  }
  return STALLS.get(key);
}

/** Stall rings drawn per frame at most: past it, car parks are hatched (a thousand car parks drew 60,000 stalls). */
export const MAX_STALL_RINGS = 3000;
/** Item labels drawn per frame at most: the selection's, then those at fault, then the others in order. */
export const MAX_LABELS = 150;

/** The items labelled on the plan, in drawing order. */
export function labelled(items, selection, faultIds, max = MAX_LABELS) {
  if (items.length <= max) return items;
  const rank = (r) => (r.id === selection ? 0 : faultIds.has(r.id) ? 1 : 2);
  const order = items.map((r, i) => [rank(r), i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return order.slice(0, max).sort((a, b) => a[1] - b[1]).map(([, i]) => items[i]);
}

/** Past this many items or vertices, the plan's project is drawn into a layer kept between redraws. */
export const LAYER_MIN_ITEMS = 200;
export const LAYER_MIN_VERTICES = 20000;

/** Whether `doc` is heavy enough for the plan to keep its drawing in a layer (small projects: drawn directly, as during a drag). */
export function heavyPlan(doc) {
  if (!doc) return false;
  const items = doc.buildings.length + doc.surfaces.length;
  if (items >= LAYER_MIN_ITEMS) return true;
  let vertices = 0;
  for (const list of [doc.buildings, doc.surfaces]) for (const it of list) vertices += it.footprint.rect ? 4 : it.footprint.polygon.length;
  return vertices >= LAYER_MIN_VERTICES;
}

/**
 * At most this long (ms) a heavy project's layer waits for `holdLayer`: its
 * first verdict is on its way, and seconds of rasterising 1,000 stacked items
 * in software GL would run alongside the worker's check (2 cores) and hold
 * the verdict's message back.
 */
export const HOLD_LAYER_MS = 8000;

/**
 * A heavy layer painted for a frame (requestDraw) is painted by slices of
 * about this long (ms), a task each: 1,000 stacked yards took one task of
 * 1-2.5 s (the page frozen, the verdict just shown included), nearly all of
 * it rasterising the paths once drawn (filling their area in software), not
 * drawing them. So a slice is a number of items, rasterised in its task, and
 * the next slice's number is set by how long this one took (from
 * FIRST_SLICE_ITEMS). The picture appears once whole, as before; meanwhile
 * the plan shows the last one, moved to the view (see _blitMoved).
 */
export const LAYER_SLICE_MS = 40;
export const FIRST_SLICE_ITEMS = 16;

const HANDLE_PX = 22; // half of a 44 px touch target
const DRAG_START_PX = 4;

export class PlanView {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} data window.ZACVIZ_DATA
   * @param {object} hooks {onSelect(id), onDragStart(id), onDrag(kind, id, x, y, dx, dy), onDragEnd(commit), onKey(e)}
   */
  constructor(canvas, data, hooks) {
    this.canvas = canvas;
    this.data = data;
    this.hooks = hooks;
    this.ctx = canvas.getContext('2d');
    this.origin = data.site.origin;
    this.frame = null; // lotFrame
    this.doc = null;
    this.selection = null;
    this.faultIds = new Set();
    this.highlight = null; // {items, rings}
    this.view = { scale: 1, x: 0, y: 0 }; // screen = ((wx - x) * scale, (y - wy) * scale)
    this.pointers = new Map();
    this.gesture = null;
    this.image = null;
    this.imageBounds = null;
    this.pending = false;
    this.lastDraw = 0;
    // () => boolean: while true (and at most HOLD_LAYER_MS for a document), a
    // heavy project's layer is not painted, the ground is (set by the page).
    this.holdLayer = null;
    this._held = null; // {doc, since, timer}
    this.sliceMs = LAYER_SLICE_MS;
    this.sliceItems = FIRST_SLICE_ITEMS; // items of the next slice
    this._painting = null; // the heavy layer being painted by slices: {stamp, canvas, ctx, steps, timer}
    this.slices = 0; // slices painted (for the tests)
    this._wire();
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  setLot(frame) {
    this.frame = frame;
    this._loadImage(frame.lot);
    this.fit();
  }

  _loadImage(lot) {
    const close = lot.close_imagery;
    const fromSite = () => {
      const im = this.data.imagery;
      // The full image, or the first frame's copy while imagery.js is still on its way (same extent).
      const src = window.ZACVIZ_IMAGERY || window.ZACVIZ_IMAGERY_FIRST;
      if (!im || !src) return;
      this._useImage(src, im.bounds, 'site');
    };
    if (close && close.script) {
      const store = (window.ZACVIZ_LOT_IMAGERY = window.ZACVIZ_LOT_IMAGERY || {});
      const ready = () => {
        if (store[lot.id]) this._useImage(store[lot.id], close.bounds, 'lot');
      };
      if (store[lot.id]) return ready();
      fromSite();
      const script = document.createElement('script');
      script.src = close.script;
      script.onload = ready;
      script.onerror = () => {};
      document.head.append(script);
      return undefined;
    }
    fromSite();
    return undefined;
  }

  _useImage(src, bounds, source) {
    const image = new Image();
    const lotId = this.frame && this.frame.lot.id;
    image.onload = () => {
      // The lot's own image wins over the site's, whichever arrives first.
      if (this.imageSource === 'lot' && source === 'site' && this.imageLot === lotId) return;
      if (!this.frame || this.frame.lot.id !== lotId) return;
      this.image = image;
      this.imageBounds = bounds;
      this.imageSource = source;
      this.imageLot = lotId;
      this.canvas.dataset.imagery = source;
      this.requestDraw();
    };
    image.src = src;
  }

  /** Frame the lot with a margin. */
  fit() {
    if (!this.frame) return;
    const pts = this.frame.lot.polygon[0];
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    const w = this.canvas.clientWidth || 300;
    const h = this.canvas.clientHeight || 300;
    // Room at the top for the plan/3D switch and the rotate handle.
    const top = Math.min(64, h / 6);
    const scale = Math.min(w / ((x1 - x0) * 1.15), (h - top) / ((y1 - y0) * 1.12));
    this.view = { scale, x: (x0 + x1) / 2 - w / 2 / scale, y: (y0 + y1) / 2 + (h + top) / 2 / scale };
    this.requestDraw();
  }

  resize() {
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    if (!w || !h) return;
    const first = !this.sized;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.dpr = dpr;
    this.sized = true;
    if (first) this.fit();
    this.draw();
  }

  toScreen(x, y) {
    return [(x - this.view.x) * this.view.scale, (this.view.y - y) * this.view.scale];
  }

  toWorld(sx, sy) {
    return [this.view.x + sx / this.view.scale, this.view.y - sy / this.view.scale];
  }

  zoomAt(sx, sy, factor) {
    const [wx, wy] = this.toWorld(sx, sy);
    const scale = Math.min(60, Math.max(0.05, this.view.scale * factor));
    this.view = { scale, x: wx - sx / scale, y: wy + sy / scale };
    this.requestDraw();
  }

  panBy(dsx, dsy) {
    this.view = { ...this.view, x: this.view.x - dsx / this.view.scale, y: this.view.y + dsy / this.view.scale };
    this.requestDraw();
  }

  /** Where a page point is on the canvas (CSS px). */
  local(e) {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  // -------------------------------------------------------------- hit tests

  rings() {
    // Made once per document (a drag step makes a new one): hit tests and handles ask often.
    if (this._rings && this._rings.doc === this.doc) return this._rings.out;
    const out = [];
    this._rings = { doc: this.doc, out };
    if (!this.doc) return out;
    for (const s of this.doc.surfaces) out.push({ id: s.id, kind: s.kind, item: s, ring: footprintRing(s.footprint, this.origin) });
    for (const b of this.doc.buildings) out.push({ id: b.id, kind: 'building', item: b, ring: footprintRing(b.footprint, this.origin) });
    return out;
  }

  /** The handles of the selected rect item: corner (resize) and rotate, screen px. */
  handles() {
    const sel = this.selection && this.rings().find((r) => r.id === this.selection);
    if (!sel || !sel.item.footprint.rect) return [];
    const rect = sel.item.footprint.rect;
    const a = ((rect.angle_deg || 0) * Math.PI) / 180;
    const cx = rect.cx - this.origin[0];
    const cy = rect.cy - this.origin[1];
    const ux = [Math.cos(a), Math.sin(a)];
    const uy = [-Math.sin(a), Math.cos(a)];
    const corner = [cx + (rect.width / 2) * ux[0] + (rect.depth / 2) * uy[0], cy + (rect.width / 2) * ux[1] + (rect.depth / 2) * uy[1]];
    const reach = rect.depth / 2 + 34 / this.view.scale;
    const rot = [cx + reach * uy[0], cy + reach * uy[1]];
    const top = [cx + (rect.depth / 2) * uy[0], cy + (rect.depth / 2) * uy[1]];
    return [
      { kind: 'resize', at: this.toScreen(...corner) },
      { kind: 'rotate', at: this.toScreen(...rot), from: this.toScreen(...top) },
    ];
  }

  hit(sx, sy) {
    for (const h of this.handles()) {
      if (Math.abs(sx - h.at[0]) <= HANDLE_PX && Math.abs(sy - h.at[1]) <= HANDLE_PX) return { handle: h.kind, id: this.selection };
    }
    const [wx, wy] = this.toWorld(sx, sy);
    const rings = this.rings();
    // Buildings above surfaces; the selection first among equals.
    for (let i = rings.length - 1; i >= 0; i--) {
      if (pointInRing(wx, wy, rings[i].ring)) return { id: rings[i].id };
    }
    return null;
  }

  // --------------------------------------------------------------- input

  _wire() {
    const c = this.canvas;
    c.addEventListener('pointerdown', (e) => this._down(e));
    c.addEventListener('pointermove', (e) => this._move(e));
    c.addEventListener('pointerup', (e) => this._up(e, true));
    c.addEventListener('pointercancel', (e) => this._up(e, false));
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const [sx, sy] = this.local(e);
      this.zoomAt(sx, sy, Math.exp(-e.deltaY * 0.0015));
    }, { passive: false });
    c.addEventListener('keydown', (e) => this.hooks.onKey?.(e));
  }

  _down(e) {
    this.canvas.focus({ preventScroll: true });
    const [sx, sy] = this.local(e);
    this.pointers.set(e.pointerId, [sx, sy]);
    try { this.canvas.setPointerCapture(e.pointerId); } catch { /* synthetic */ }
    if (this.pointers.size >= 2) {
      // A second finger: whatever the first was doing is undone; pan and zoom.
      if (this.gesture && this.gesture.kind !== 'pinch' && this.gesture.started) this.hooks.onDragEnd?.(false);
      const [a, b] = [...this.pointers.values()];
      this.gesture = { kind: 'pinch', mid: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], dist: Math.hypot(a[0] - b[0], a[1] - b[1]) };
      return;
    }
    const hit = this.hit(sx, sy);
    if (hit && hit.handle) {
      this.gesture = { kind: hit.handle, id: hit.id, start: [sx, sy], started: false };
    } else if (hit) {
      this.gesture = { kind: 'move', id: hit.id, start: [sx, sy], last: this.toWorld(sx, sy), started: false, wasSelected: hit.id === this.selection };
    } else {
      this.gesture = { kind: 'pan', start: [sx, sy], last: [sx, sy], started: false };
    }
  }

  _move(e) {
    if (!this.pointers.has(e.pointerId)) return;
    const [sx, sy] = this.local(e);
    this.pointers.set(e.pointerId, [sx, sy]);
    const g = this.gesture;
    if (!g) return;
    if (g.kind === 'pinch') {
      if (this.pointers.size < 2) return;
      const [a, b] = [...this.pointers.values()];
      const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      const dist = Math.hypot(a[0] - b[0], a[1] - b[1]);
      this.panBy(mid[0] - g.mid[0], mid[1] - g.mid[1]);
      if (g.dist > 10 && dist > 10) this.zoomAt(mid[0], mid[1], dist / g.dist);
      g.mid = mid;
      g.dist = dist;
      return;
    }
    if (!g.started) {
      if (Math.hypot(sx - g.start[0], sy - g.start[1]) < DRAG_START_PX) return;
      g.started = true;
      if (g.kind !== 'pan') this.hooks.onDragStart?.(g.id, g.kind);
    }
    if (g.kind === 'pan') {
      this.panBy(sx - g.last[0], sy - g.last[1]);
      g.last = [sx, sy];
      return;
    }
    const [wx, wy] = this.toWorld(sx, sy);
    this.hooks.onDrag?.(g.kind, g.id, wx, wy, this.toWorld(g.start[0], g.start[1]));
  }

  _up(e, ok) {
    this.pointers.delete(e.pointerId);
    const g = this.gesture;
    if (!g) return;
    if (g.kind === 'pinch') {
      if (this.pointers.size === 0) this.gesture = null;
      return; // the remaining finger does nothing until it is lifted
    }
    this.gesture = null;
    if (g.started && g.kind !== 'pan') {
      this.hooks.onDragEnd?.(ok);
    } else if (!g.started && ok) {
      this.hooks.onSelect?.(g.kind === 'pan' ? null : g.id);
    }
  }

  // -------------------------------------------------------------- drawing

  requestDraw() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw({ sliced: true });
    });
  }

  _path(ring) {
    const ctx = this.ctx;
    ctx.beginPath();
    ring.forEach(([x, y], i) => {
      const [sx, sy] = this.toScreen(x, y);
      if (i) ctx.lineTo(sx, sy);
      else ctx.moveTo(sx, sy);
    });
    ctx.closePath();
  }

  /**
   * Draw the plan. `sliced`: a heavy layer out of date is painted by slices
   * (LAYER_SLICE_MS, see _paintLayer); else at once (a drag step, the print
   * sheet's picture).
   */
  draw({ sliced = false } = {}) {
    const ctx = this.ctx;
    const dpr = this.dpr || 1;
    const w = this.canvas.width / dpr;
    const h = this.canvas.height / dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (!this.frame) {
      ctx.fillStyle = '#cfd8c6';
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      return;
    }
    if (!this._heavy || this._heavy.doc !== this.doc) this._heavy = { doc: this.doc, heavy: heavyPlan(this.doc) };
    // A heavy project waits for the canvas' size (the ResizeObserver draws it
    // then): drawn at the default size first, it was drawn twice.
    if (this._heavy.heavy && !this.sized) return;
    // The ground (image, roads, lot, setback band) changes only with the view:
    // drawn once into its own canvas, copied 1:1 on every frame of a drag.
    const view = `${this.canvas.width}x${this.canvas.height}|${this.view.scale},${this.view.x},${this.view.y}`;
    const image = this.image ? `${this.imageSource}:${this.imageLot}` : 0;
    this._blitCached('ground', [view, image], () => this._drawGround(w, h));
    if (!this._heavy.heavy) {
      this.layer = null;
      if (this._painting) clearTimeout(this._painting.timer);
      this._painting = null;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this._drawProject();
      return;
    }
    // A heavy project (a thousand stacked items: seconds of rasterising in
    // software GL) is drawn into a layer of its own, painted again only when
    // the lot, the project, its verdict, the selection or the view change: the
    // ground's image arriving, or any other redraw, copies it 1:1.
    const stamp = [view, this.selection, this.frame, this.doc, this.faultIds, this.highlight];
    if (this._holding(stamp)) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      return;
    }
    if (this._paintLayer(stamp, sliced ? this.sliceMs : Infinity)) ctx.drawImage(this.layer.canvas, 0, 0);
    else if (this.layer) this._blitMoved(this.layer);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  /**
   * The last layer, painted for another view (a pan, a zoom) or document,
   * copied where its view puts it in this one while the new one is painted.
   */
  _blitMoved(layer) {
    if (layer.canvas.width !== this.canvas.width || layer.canvas.height !== this.canvas.height) return;
    const was = layer.view;
    const now = this.view;
    const k = now.scale / was.scale;
    const dpr = this.dpr || 1;
    const ctx = this.ctx;
    ctx.setTransform(k, 0, 0, k, (was.x - now.x) * now.scale * dpr, (now.y - was.y) * now.scale * dpr);
    ctx.drawImage(layer.canvas, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }

  /**
   * Whether `this.layer` is painted for `stamp`: painted here if not, for at
   * most `budget` ms; the rest follows in tasks of their own (a redraw each),
   * unless the stamp changes meanwhile (then painted anew).
   */
  _paintLayer(stamp, budget) {
    const same = (s) => s.every((v, i) => v === stamp[i]);
    if (this.layer && same(this.layer.stamp)) return true;
    let job = this._painting;
    if (!job || !same(job.stamp)) {
      if (job) clearTimeout(job.timer);
      // Not the canvas shown meanwhile: the one before it, or a new one.
      const canvas = job ? job.canvas : this._spare || document.createElement('canvas');
      this._spare = null;
      const paintCtx = this._offscreen(canvas);
      job = this._painting = { stamp, canvas, ctx: paintCtx, steps: null, timer: null, view: { ...this.view } };
      job.steps = this._projectSteps();
    }
    clearTimeout(job.timer);
    let done = false;
    const t0 = performance.now();
    const items = budget === Infinity ? Infinity : this.sliceItems;
    this._paintOn(job.ctx, () => {
      for (let k = 0; !done && k < items; k++) done = job.steps.next().done;
    });
    this.slices++;
    if (!done) {
      // Rasterised now, in this slice's task, not all at once when the layer
      // is shown: copying a pixel of it makes the browser fill its paths.
      if (!this._sink) {
        this._sink = document.createElement('canvas');
        this._sink.width = this._sink.height = 1;
      }
      this._sink.getContext('2d').drawImage(job.canvas, 0, 0, 1, 1, 0, 0, 1, 1);
      const took = Math.max(1, performance.now() - t0);
      this.sliceItems = Math.max(1, Math.min(4 * items, Math.round((items * budget) / took)));
      job.timer = setTimeout(() => this.draw({ sliced: true }), 0);
      return false;
    }
    this._spare = this.layer ? this.layer.canvas : null;
    this.layer = { canvas: job.canvas, stamp, view: job.view };
    this._painting = null;
    return true;
  }

  /**
   * Whether the heavy layer, out of date for `stamp`, waits (`holdLayer`):
   * then a redraw comes when the wait ends at the latest.
   */
  _holding(stamp) {
    const kept = this.layer;
    if (kept && kept.stamp.every((v, i) => v === stamp[i])) return false;
    if (!this.holdLayer || !this.holdLayer()) return false;
    const now = performance.now();
    if (!this._held || this._held.doc !== this.doc) {
      clearTimeout(this._held?.timer);
      this._held = { doc: this.doc, since: now, timer: setTimeout(() => this.requestDraw(), HOLD_LAYER_MS + 1) };
    }
    return now - this._held.since < HOLD_LAYER_MS;
  }

  /**
   * Copy the canvas kept in `this[slot]` 1:1 onto the plan, painted again by
   * `paint` (into it, at the device pixel ratio) first when any value of
   * `stamp` differs from those it was painted with.
   */
  _blitCached(slot, stamp, paint) {
    let kept = this[slot];
    if (!kept || kept.stamp.some((v, i) => v !== stamp[i])) {
      const canvas = kept ? kept.canvas : document.createElement('canvas');
      kept = this[slot] = { canvas, stamp };
      this._paintOn(this._offscreen(canvas), paint);
    }
    this.ctx.drawImage(kept.canvas, 0, 0);
  }

  /** `canvas` sized to the plan's, cleared, its 2D context in the plan's units. */
  _offscreen(canvas) {
    canvas.width = this.canvas.width; // also clears it
    canvas.height = this.canvas.height;
    const ctx = canvas.getContext('2d');
    const dpr = this.dpr || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  /** Runs `paint` with `this.ctx` (what the drawing methods draw on) set to `ctx`. */
  _paintOn(ctx, paint) {
    const shown = this.ctx;
    this.ctx = ctx;
    try {
      paint();
    } finally {
      this.ctx = shown;
    }
  }

  _drawGround(w, h) {
    const ctx = this.ctx;
    ctx.fillStyle = '#cfd8c6';
    ctx.fillRect(0, 0, w, h);
    if (this.image && this.imageBounds) {
      const [x0, y0, x1, y1] = this.imageBounds;
      const [sx0, sy0] = this.toScreen(x0, y1);
      const [sx1, sy1] = this.toScreen(x1, y0);
      ctx.drawImage(this.image, sx0, sy0, sx1 - sx0, sy1 - sy0);
    }
    // Roads, then the lot and its road setback band.
    ctx.fillStyle = 'rgb(70 74 80 / 0.35)';
    for (const { road } of this.frame.roads) for (const rings of road.polygons) { this._path(rings[0]); ctx.fill(); }
    this._path(this.frame.lot.polygon[0]);
    ctx.fillStyle = 'rgb(255 255 255 / 0.12)';
    ctx.fill();
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = 'rgb(227 162 26 / 0.25)';
    for (const ring of this.frame.roadSetbackRings) { this._path(ring); ctx.fill(); }
    ctx.setLineDash([8, 5]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#f6c445';
    for (const [a, b] of this.frame.roadSetbackSegments) {
      ctx.beginPath();
      ctx.moveTo(...this.toScreen(...a));
      ctx.lineTo(...this.toScreen(...b));
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  _drawProject() {
    for (const step of this._projectSteps()) void step;
  }

  /** Draws the project on `this.ctx`, yielding after each item (see _paintLayer). */
  *_projectSteps() {
    const ctx = this.ctx;
    // The buildable envelope for the selected building's height (or the tallest).
    const sel = this.doc && this.doc.buildings.find((b) => b.id === this.selection);
    const ref = sel || (this.doc && this.doc.buildings[0]);
    if (ref) {
      const env = envelope(this.frame, ref.height_m);
      ctx.strokeStyle = '#7fd6ff';
      ctx.lineWidth = 2;
      ctx.setLineDash([3, 4]);
      for (const ring of env.rings) { this._path(ring); ctx.stroke(); }
    }
    ctx.setLineDash([]);
    if (!this.doc) return;
    const items = this.rings();
    const hl = this.highlight;
    let stallBudget = MAX_STALL_RINGS;
    for (const r of items) {
      const fault = this.faultIds.has(r.id);
      this._path(r.ring);
      ctx.fillStyle = r.kind === 'building' ? '#f4f1ea' : SURFACE_COLOURS[r.kind] || '#777';
      ctx.fill();
      const rect = r.item.footprint.rect;
      const stalls = r.kind === 'parking' && rect && r.item.stalls == null && stallBudget > 0 ? stallsOf(rect.width, rect.depth) : null;
      if (stalls && stalls.length <= stallBudget) {
        stallBudget -= stalls.length;
        this._stalls(rect, stalls);
        this._path(r.ring);
      } else if (r.kind === 'parking' || r.kind === 'storage' || r.kind === 'yard') {
        this._hatch(r);
        this._path(r.ring);
      }
      ctx.lineWidth = r.id === this.selection ? 3 : 1.5;
      ctx.strokeStyle = fault ? '#c7362c' : '#2c3136';
      if (fault) ctx.setLineDash([6, 3]);
      ctx.stroke();
      ctx.setLineDash([]);
      yield;
    }
    // Faults: the shape at fault of the tapped rule, filled and outlined.
    if (hl) {
      for (const ring of hl.rings) {
        this._path(ring);
        ctx.fillStyle = 'rgb(199 54 44 / 0.55)';
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = '#7d1a12';
        ctx.stroke();
      }
      for (const r of items) {
        if (!hl.items.includes(r.id)) continue;
        this._path(r.ring);
        ctx.lineWidth = 4;
        ctx.strokeStyle = '#c7362c';
        ctx.stroke();
      }
    }
    // Labels; a failing item carries a "!" mark as well as its colour.
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const r of labelled(items, this.selection, this.faultIds)) {
      const xs = r.ring.map((p) => p[0]);
      const ys = r.ring.map((p) => p[1]);
      const [sx, sy] = this.toScreen((Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2);
      const fault = this.faultIds.has(r.id);
      const text = fault ? `⚠ ${r.id}` : r.id;
      const tw = ctx.measureText(text).width + 10;
      ctx.fillStyle = fault ? '#c7362c' : 'rgb(255 255 255 / 0.9)';
      ctx.fillRect(sx - tw / 2, sy - 9, tw, 18);
      ctx.fillStyle = fault ? '#ffffff' : '#1d2327';
      ctx.fillText(text, sx, sy + 0.5);
    }
    // Handles of the selection.
    const sr = items.find((r) => r.id === this.selection);
    if (sr) {
      this._path(sr.ring);
      ctx.lineWidth = 3;
      ctx.strokeStyle = '#2b7de9';
      ctx.stroke();
      for (const hd of this.handles()) {
        if (hd.from) {
          ctx.beginPath();
          ctx.moveTo(...hd.from);
          ctx.lineTo(...hd.at);
          ctx.lineWidth = 2;
          ctx.stroke();
        }
        ctx.beginPath();
        ctx.arc(hd.at[0], hd.at[1], 11, 0, Math.PI * 2);
        ctx.fillStyle = '#ffffff';
        ctx.fill();
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#2b7de9';
        ctx.stroke();
        ctx.fillStyle = '#2b7de9';
        ctx.fillText(hd.kind === 'rotate' ? '↻' : '⤡', hd.at[0], hd.at[1] + 0.5);
      }
    }
    // What the plan shows, for tests and tools reading the page: the view and the highlighted shapes.
    this.canvas.dataset.view = `${this.view.scale},${this.view.x},${this.view.y}`;
    this.canvas.dataset.highlight = String(hl ? hl.rings.length : 0);
    this.lastDraw = performance.now();
  }

  /** The stall layout of a rect car park (the one that counts its stalls). */
  _stalls(rect, stalls) {
    const ctx = this.ctx;
    const a = ((rect.angle_deg || 0) * Math.PI) / 180;
    const [c, s] = [Math.cos(a), Math.sin(a)];
    const cx = rect.cx - this.origin[0];
    const cy = rect.cy - this.origin[1];
    ctx.beginPath();
    for (const ring of stalls) {
      ring.forEach(([x, y], i) => {
        const [sx, sy] = this.toScreen(cx + x * c - y * s, cy + x * s + y * c);
        if (i) ctx.lineTo(sx, sy);
        else ctx.moveTo(sx, sy);
      });
      ctx.closePath();
    }
    ctx.strokeStyle = 'rgb(255 255 255 / 0.8)';
    ctx.lineWidth = 1;
    ctx.stroke();
  }

  _hatch(r) {
    // One fill with a pattern of 45° lines, anchored to the canvas: a clip and
    // a stroke per shape cost seconds for 1,000 stacked concave yards.
    const gap = Math.min(512, Math.round(r.kind === 'parking' ? Math.max(4, 2.5 * this.view.scale) : 8));
    this._path(r.ring);
    this.ctx.fillStyle = this._hatchPattern(gap);
    this.ctx.fill();
  }

  /** A pattern of white 45° lines `gap` pixels apart (one per gap, cached). */
  _hatchPattern(gap) {
    this._hatches = this._hatches || new Map();
    let pattern = this._hatches.get(gap);
    if (!pattern) {
      const tile = document.createElement('canvas');
      tile.width = tile.height = gap;
      const t = tile.getContext('2d');
      t.strokeStyle = 'rgb(255 255 255 / 0.45)';
      t.lineWidth = 1;
      t.beginPath();
      for (const o of [-gap, 0, gap]) {
        t.moveTo(o, gap);
        t.lineTo(o + gap, 0);
      }
      t.stroke();
      pattern = this.ctx.createPattern(tile, 'repeat');
      if (this._hatches.size > 64) this._hatches.clear();
      this._hatches.set(gap, pattern);
    }
    return pattern;
  }

}
