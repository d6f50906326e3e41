// The project editor of the web page (SPEC §6): a project on one lot, edited
// on the plan and in the panel, checked on every edit with the JavaScript
// engine, kept in the browser's storage, handed over with nothing uploaded
// (share link and QR code, .zacviz.json file, printed sheet, e-mail).
//
// Every edit is a step on the command stack (a drag is one step). Text from
// projects and sites goes in with textContent only.
import qrcode from 'qrcode-generator';
import { footprintRing, resultToDict } from './engine.js';
import { Checker, checksInPage } from './checker.js';
import { projectFromDict, projectToDict, ProjectError, USES, ROOFS, loads } from './project.js';
import { encodeFragment } from './share.js';
import { catalogue, language, num, pct, t } from './i18n.js';
import {
  CommandStack, clone, findItem, moveItem, setRect, setField, deleteItem, addItem, duplicateItem, parseValue,
  resizeFromCorner, angleTowards, snapCorrection, lotAngle, RANGES, normAngle,
} from './editing.js';
import { lotFrameOf, envelope, faultShapes } from './faults.js';
import { PlanView } from './plan.js';
import { $, el } from './dom.js';

const STORAGE_PREFIX = 'zacviz.web.project.';
const ANNOUNCE_DELAY_MS = 900;
const SNAP_PX = 10;
const QR_MAX_BYTES = 2953; // version 40, error correction L, byte mode
/** Items listed in the panel: past this, the list says how many more (a thousand buttons took the panel half a second). */
export const MAX_LISTED = 100;
/** How long the 3D view waits for the first verdict of a project checked in the worker (a heavy link: seconds; drawn uncoloured, then again coloured, it cost software GL two long frames). */
const HOLD_3D_MS = 5000;

/** The items the panel lists: the first MAX_LISTED, and the selected one wherever it is. */
export function listedItems(items, selection, max = MAX_LISTED) {
  if (items.length <= max) return items;
  const shown = items.slice(0, max);
  const selected = selection && items.findIndex((it) => it.id === selection);
  if (selected >= max) shown.push(items[selected]);
  return shown;
}


function fact(label, value) {
  return [el('dt', { text: label }), el('dd', { text: value })];
}

/** The project kept in this browser for a site, validated, or null. */
export function storedProject(siteId) {
  try {
    const text = window.localStorage.getItem(STORAGE_PREFIX + siteId);
    if (!text) return null;
    return projectFromDict(JSON.parse(text));
  } catch {
    return null;
  }
}

export function forgetStored(siteId) {
  try { window.localStorage.removeItem(STORAGE_PREFIX + siteId); } catch { /* storage off */ }
}

/** Where a share link points: this page when served, else the site's viewer URL. */
export function shareBase(data) {
  const here = window.location.href.split('#')[0];
  if (/^https?:/.test(window.location.protocol) || !data.site.viewer_url) return here;
  return data.site.viewer_url;
}

export class Editor {
  /**
   * @param {object} shell {data, scene, onExit(), rerender()}
   * @param {object} doc a validated project document
   * @param {object|null} link the worker that opened `doc` from a shared link
   *   and checks it (linkcheck.js): its check is taken over, not run again
   */
  constructor(shell, doc, link = null) {
    this.shell = shell;
    this.data = shell.data;
    this.origin = this.data.site.origin;
    this.lot = this.data.lots.find((l) => l.id === doc.lot);
    this.frame = lotFrameOf(this.data, this.lot);
    this.roadAngle = this._roadAngle();
    this.doc = clone(doc);
    this.stack = new CommandStack();
    this.selection = null;
    this.activeRule = null;
    this.snap = true;
    this.fieldError = null; // {field, text}
    this.notice = null; // {kind: 'error'|'info', text}
    this.view = 'plan';
    this.dragBefore = null;
    this.pendingDrag = null;
    this.lastAnnounced = null;
    this.announceTimer = null;
    const canvas = $('plan');
    canvas.hidden = false;
    this.plan = shell.plan || new PlanView(canvas, this.data, this._planHooks());
    shell.plan = this.plan;
    this.plan.hooks = this._planHooks();
    this.plan.setLot(this.frame);
    this.result = null;
    this.dicts = {};
    this.faultIds = new Set();
    this.checkFailed = false;
    this.checker = new Checker(this.data, (result, error) => this.checked(result, error));
    // Resolved once the project is in the 3D view with its first verdict (or none can come).
    this.settled = new Promise((resolve) => { this.settle = resolve; });
    const adopted = this.checker.adopt(link, this.doc);
    if (adopted) {
      // The link's share link comes from the worker once it is checked (see takeawaySection).
      this.linkDoc = this.doc;
      this.checker.onFragment = (fragment) => this._sharedFromWorker(fragment);
    }
    if (!adopted) this.recheck();
    else if (adopted.result) this.useResult(adopted.result);
    else if (adopted.error) this.failedCheck(adopted.error);
    else this.showFaults();
    this.lastAnnounced = this.verdictText();
    this.save();
  }

  _roadAngle() {
    let best = null;
    for (const [a, b] of this.frame.roadSetbackSegments) {
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (!best || len > best.len) best = { len, angle: (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI };
    }
    return normAngle(best ? best.angle : lotAngle(this.lot));
  }

  // -------------------------------------------------------------- checks

  /**
   * Check the document: a small project at once, a big one in the worker (the
   * verdict shows "checking" until its result comes, see `checked`).
   */
  recheck() {
    let result = null;
    try {
      result = this.checker.request(this.doc);
    } catch (e) {
      // A shape the geometry library cannot handle: the last verdict stays, the page keeps working.
      console.warn('check failed:', e);
      if (!this.result) this.checkFailed = true;
    }
    if (result) this.useResult(result);
    else this.showFaults();
  }

  /** Whether the verdict shown is waiting for the check of the latest edit. */
  get checking() {
    return this.checker.pending;
  }

  useResult(result) {
    this.result = result;
    document.body.dataset.checkedBy = this.checker.by; // for the tests and the benchmark
    this.checkFailed = false;
    this.dicts = {};
    this.faultIds = new Set();
    for (const r of result.rules) if (!r.ok) for (const id of r.items) this.faultIds.add(id);
    this.showFaults();
  }

  /** The plan's document, selection, items at fault and the shown rule's zones. */
  showFaults() {
    const plan = this.plan;
    plan.doc = this.doc;
    plan.selection = this.selection;
    plan.faultIds = this.faultIds;
    const rule = this.activeRule && this.result && this.result.rules.find((r) => r.id === this.activeRule && !r.ok);
    if (!rule && this.result) this.activeRule = null;
    plan.highlight = rule ? faultShapes(rule, this.doc, this.frame, this.origin) : null;
  }

  /** The worker's result for the latest edit (older ones are dropped by the checker). */
  checked(result, error) {
    if (error) this.failedCheck(error);
    else this.useResult(result);
    if (checksInPage(this.doc)) this.plan.requestDraw();
    else {
      // A big project's plan takes seconds to rasterise in software GL: the
      // verdict and the panel get a frame of their own first.
      cancelAnimationFrame(this.soonPlan);
      this.soonPlan = requestAnimationFrame(() => setTimeout(() => this.plan.requestDraw(), 0));
    }
    this.scheduleAnnounce();
    // The verdict first: a big project's 3D view is rebuilt once it is shown.
    this.shell.rerender();
    this.update3D({ soon: true });
  }

  /** A check that threw: the last verdict stays (or none is shown), the page keeps working. */
  failedCheck(error) {
    console.warn('check failed:', error);
    if (!this.result) this.checkFailed = true;
    this.showFaults();
  }

  /** The SPEC §4 result of the latest check in `lang` (null before the first one). */
  check(lang = language()) {
    if (!this.result) return null;
    if (!this.dicts[lang]) this.dicts[lang] = resultToDict(this.result, lang, this.data.messages);
    return this.dicts[lang];
  }

  verdictText() {
    if (this.checking) return t('check.pending');
    if (!this.result) return t('check.failed');
    const c = this.check();
    const failing = c.rules.filter((r) => !r.ok);
    if (c.compliant) return t('project.compliant');
    return `${t('project.not_compliant', { n: failing.length })} : ${failing.map((r) => catalogue(this.data.messages, `rule.${r.id}`)).join(', ')}`;
  }

  /** Say the verdict once the edits have settled, only when it changed. */
  scheduleAnnounce() {
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      if (this.dragBefore) return;
      const text = this.verdictText();
      if (text === this.lastAnnounced) return;
      this.lastAnnounced = text;
      $('announce').textContent = text;
    }, ANNOUNCE_DELAY_MS);
  }

  // --------------------------------------------------------------- edits

  /** One step on the stack: the document becomes `next`. */
  commit(label, next, { select } = {}) {
    if (!next) return;
    this.stack.push(label, this.doc, next);
    this.doc = next;
    if (select !== undefined) this.selection = select;
    this.fieldError = null;
    this.changed();
  }

  changed() {
    if (this.selection && !findItem(this.doc, this.selection)) this.selection = null;
    this.recheck();
    this.plan.requestDraw();
    this.update3D();
    this.save();
    this.scheduleAnnounce();
    this.shell.rerender();
  }

  undo() {
    const doc = this.stack.undo();
    if (doc) { this.doc = doc; this.changed(); }
  }

  redo() {
    const doc = this.stack.redo();
    if (doc) { this.doc = doc; this.changed(); }
  }

  select(id) {
    this.selection = id && findItem(this.doc, id) ? id : null;
    this.fieldError = null;
    this.plan.selection = this.selection;
    this.plan.requestDraw();
    this.shell.rerender();
  }

  add(kind) {
    const added = addItem(this.doc, kind, this.lot, this.origin, { angle: this.roadAngle });
    if (!added) {
      this.notice = { kind: 'error', text: t('edit.full') };
      this.shell.rerender();
      return;
    }
    this.notice = null;
    this.commit(`add ${kind}`, added.doc, { select: added.id });
  }

  duplicate() {
    if (!this.selection) return;
    const copy = duplicateItem(this.doc, this.selection, this.lot, this.origin);
    if (!copy) {
      this.notice = { kind: 'error', text: t('edit.full') };
      this.shell.rerender();
      return;
    }
    this.commit('duplicate', copy.doc, { select: copy.id });
  }

  remove() {
    if (!this.selection) return;
    this.commit('delete', deleteItem(this.doc, this.selection), { select: null });
    // The removed item's button is gone: the focus goes to the plan, not to the page's top.
    if (!document.activeElement || document.activeElement === document.body) this.plan.canvas.focus();
  }

  /** A typed value: refused with a message when out of range, never clamped. */
  typed(field, text) {
    const id = this.selection;
    const found = id && findItem(this.doc, id);
    if (!found) return;
    if (field === 'stalls' && String(text).trim() === '') {
      this.commit('stalls', setField(this.doc, id, 'stalls', null));
      return;
    }
    const parsed = parseValue(field, text);
    if (parsed.error) {
      const r = RANGES[field];
      this.fieldError = {
        field,
        value: text,
        text: t(`edit.error.${parsed.error}`, { min: num(r.min, 0), max: num(r.max, 0), unit: r.unit }),
      };
      this.shell.rerender();
      $(`field-${field}`)?.focus();
      return;
    }
    const v = parsed.value;
    const next = ['width', 'depth', 'angle_deg'].includes(field) ? setRect(this.doc, id, { [field]: v }) : setField(this.doc, id, field, v);
    this.commit(field, next);
  }

  nudge(dx, dy) {
    if (!this.selection) return;
    this.commit('nudge', moveItem(this.doc, this.selection, dx, dy));
  }

  resizeBy(dw, dd) {
    const found = this.selection && findItem(this.doc, this.selection);
    if (!found || !found.item.footprint.rect) return;
    const r = found.item.footprint.rect;
    const width = Math.min(RANGES.width.max, Math.max(RANGES.width.min, r.width + dw));
    const depth = Math.min(RANGES.depth.max, Math.max(RANGES.depth.min, r.depth + dd));
    this.commit('resize', setRect(this.doc, this.selection, { width, depth }));
  }

  rotateBy(deg) {
    const found = this.selection && findItem(this.doc, this.selection);
    if (!found || !found.item.footprint.rect) return;
    this.commit('rotate', setRect(this.doc, this.selection, { angle_deg: normAngle((found.item.footprint.rect.angle_deg || 0) + deg) }));
  }

  setTitle(title) {
    if (title === this.doc.title) return;
    if (title.length > 200) {
      this.fieldError = { field: 'title', value: title, text: t('edit.error.title') };
      this.shell.rerender();
      return;
    }
    this.commit('title', { ...this.doc, title });
  }

  showRule(id) {
    this.activeRule = this.activeRule === id ? null : id;
    this.showFaults();
    this.plan.requestDraw();
    this.update3D();
    this.shell.rerender();
  }

  // ------------------------------------------------------- direct manipulation

  _planHooks() {
    return {
      onSelect: (id) => this.select(id),
      onDragStart: (id) => {
        this.dragBefore = clone(this.doc);
        if (this.selection !== id) this.select(id);
      },
      onDrag: (kind, id, wx, wy, start) => {
        this.pendingDrag = { kind, id, wx, wy, start };
        if (!this.dragFrame) {
          this.dragFrame = requestAnimationFrame(() => {
            this.dragFrame = null;
            if (this.pendingDrag && this.dragBefore) this.dragStep(this.pendingDrag);
          });
        }
      },
      onDragEnd: (ok) => {
        if (this.dragFrame) {
          cancelAnimationFrame(this.dragFrame);
          this.dragFrame = null;
          if (ok && this.pendingDrag && this.dragBefore) this.dragStep(this.pendingDrag);
        }
        const before = this.dragBefore;
        this.dragBefore = null;
        this.pendingDrag = null;
        if (!before) return;
        if (ok) {
          const after = this.doc;
          this.doc = before;
          this.commit('drag', after);
        } else {
          this.doc = before;
          this.changed();
        }
      },
      onKey: (e) => this.planKey(e),
    };
  }

  /** One step of a drag: the item follows the pointer, checks and plan follow it. */
  dragStep({ kind, id, wx, wy, start }) {
    const t0 = performance.now();
    const before = this.dragBefore;
    const found = findItem(before, id);
    if (!found) return;
    const [ox, oy] = this.origin;
    let next;
    if (kind === 'move') {
      const round = (v) => Math.round(v * 100) / 100;
      next = moveItem(before, id, round(wx - start[0]), round(wy - start[1]));
      if (this.snap) {
        const it = findItem(next, id).item;
        const lines = [...this.frame.lotSegments, ...this.frame.roadSetbackSegments];
        if (found.list === 'buildings') lines.push(...envelope(this.frame, it.height_m).segments);
        for (const other of [...next.buildings, ...next.surfaces]) {
          if (other.id === id) continue;
          const ring = footprintRing(other.footprint, this.origin);
          ring.forEach((p, i) => lines.push([p, ring[(i + 1) % ring.length]]));
        }
        const [cx, cy] = snapCorrection(footprintRing(it.footprint, this.origin), lines, SNAP_PX / this.plan.view.scale);
        if (cx || cy) next = moveItem(next, id, cx, cy);
      }
    } else if (found.item.footprint.rect) {
      const rect = found.item.footprint.rect;
      next = kind === 'resize'
        ? setRect(before, id, resizeFromCorner(rect, wx + ox, wy + oy))
        : setRect(before, id, { angle_deg: angleTowards(rect, wx + ox, wy + oy, this.snap ? this.roadAngle : null) });
    } else {
      return;
    }
    this.doc = next;
    this.recheck();
    this.plan.draw();
    performance.measure('zacviz-edit', { start: t0, end: performance.now() });
    // The rule list follows at most every 120 ms: rebuilding it is layout work the plan need not wait for.
    if (!this.checksTimer) {
      this.checksTimer = setTimeout(() => {
        this.checksTimer = null;
        this.updateChecks();
      }, 120);
    }
  }

  planKey(e) {
    const k = e.key;
    const step = e.shiftKey ? 5 : 1;
    if (k === 'Enter' || k === ' ') {
      const ids = [...this.doc.buildings, ...this.doc.surfaces].map((x) => x.id);
      if (!ids.length) return;
      const i = ids.indexOf(this.selection);
      this.select(ids[(i + 1) % ids.length]);
    } else if (k === 'Escape') {
      this.select(null);
    } else if (k === '+' || k === '=') {
      this.plan.zoomAt(this.plan.canvas.clientWidth / 2, this.plan.canvas.clientHeight / 2, 1.25);
    } else if (k === '-') {
      this.plan.zoomAt(this.plan.canvas.clientWidth / 2, this.plan.canvas.clientHeight / 2, 0.8);
    } else if (k === '[' || k === ']') {
      this.rotateBy((k === ']' ? -1 : 1) * (e.shiftKey ? 1 : 5));
    } else if (k.startsWith('Arrow')) {
      if (!this.selection) return;
      const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[k];
      if (e.altKey) this.resizeBy(d[0] * step, d[1] * step);
      else this.nudge(d[0] * step, d[1] * step);
      this.plan.canvas.focus();
    } else {
      return;
    }
    e.preventDefault();
  }

  /** Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y and Delete, wherever the focus is but in a field. */
  globalKey(e) {
    const tag = e.target && e.target.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && (e.key === 'z' || e.key === 'Z')) {
      if (e.shiftKey) this.redo();
      else this.undo();
      e.preventDefault();
    } else if (ctrl && (e.key === 'y' || e.key === 'Y')) {
      this.redo();
      e.preventDefault();
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && this.selection) {
      this.remove();
      e.preventDefault();
    }
  }

  // -------------------------------------------------------------- 3D view

  view3D() {
    const highlights = this.plan.highlight ? this.plan.highlight.rings : [];
    return {
      buildings: this.doc.buildings.map((b) => ({ ...b, polygon: [footprintRing(b.footprint, this.origin)] })),
      surfaces: this.doc.surfaces.map((s) => ({ ...s, polygon: [footprintRing(s.footprint, this.origin)] })),
      faults: [...this.faultIds],
      highlights,
      lot: this.doc.lot,
    };
  }

  /**
   * The project in the 3D view. While the worker checks a big project for
   * the first time, the view waits for its verdict (at most HOLD_3D_MS): a
   * big project drawn uncoloured, then again coloured, cost software GL two
   * long frames that held the page (and the check's own start) back.
   */
  update3D({ soon = false } = {}) {
    const scene = this.shell.scene;
    if (!scene) {
      this.settle();
      return;
    }
    clearTimeout(this.hold3D);
    this._cancelSoon3D();
    if (this.checking && !this.result && !this.held3DOnce) {
      this.hold3D = setTimeout(() => {
        this.held3DOnce = true;
        this.update3D();
      }, HOLD_3D_MS);
      return;
    }
    if (soon && !checksInPage(this.doc)) {
      // A big project's batches take a long task (100 ms and more): once the
      // frame that shows the verdict and the plan is drawn.
      this.soon3D = requestAnimationFrame(() => {
        this.soon3D = null;
        this.soon3DTimer = setTimeout(() => {
          this.soon3DTimer = null;
          this.update3D();
        }, 0);
      });
      return;
    }
    scene.showProject(this.view3D());
    if (!this.checking) this.settle();
  }

  _cancelSoon3D() {
    if (this.soon3D) cancelAnimationFrame(this.soon3D);
    clearTimeout(this.soon3DTimer);
    this.soon3D = null;
    this.soon3DTimer = null;
  }

  // ------------------------------------------------------------ storage

  save() {
    try {
      window.localStorage.setItem(STORAGE_PREFIX + this.data.site.id, JSON.stringify(projectToDict(this.doc)));
    } catch { /* storage full or off: the project stays in the page */ }
  }

  // ----------------------------------------------------------- take-aways

  /** The worker's share link of the link's project: taken while the project is still that one. */
  _sharedFromWorker(fragment) {
    const doc = this.linkDoc;
    this.linkDoc = null;
    if (doc !== this.doc || this.shared?.doc === doc) return;
    this.shared = { doc, url: `${shareBase(this.data)}#${fragment}` };
    document.body.dataset.shareLinkBy = 'worker'; // for the tests
  }

  /** The share link of the project as it stands, made once per state (a big project's deflate takes long). */
  shareUrl() {
    if (this.shared?.doc !== this.doc) {
      this.shared = { doc: this.doc, url: `${shareBase(this.data)}#${encodeFragment(projectToDict(this.doc))}` };
    }
    return this.shared.url;
  }

  download() {
    const text = `${JSON.stringify(projectToDict(this.doc), null, 2)}\n`;
    const blob = new Blob([text], { type: 'application/json' });
    const a = el('a', { href: URL.createObjectURL(blob), download: this.fileName() });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  }

  fileName() {
    const base = (this.doc.title || `projet-${this.doc.lot}`).normalize('NFKD').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
    return `${base || 'projet'}.zacviz.json`;
  }

  mailto() {
    const email = this.data.site.contact_email;
    if (!email) return null;
    const subject = t('send.subject', { title: this.doc.title || t('project.untitled'), lot: this.doc.lot });
    const body = t('send.body', { title: this.doc.title || t('project.untitled'), lot: this.doc.lot, verdict: this.verdictText(), link: this.shareUrl() });
    return `mailto:${encodeURIComponent(email).replace(/%40/g, '@')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
  }

  /** The QR code of the share link drawn on a canvas (null when the link is too long for one). */
  qrCanvas(url, size = 200) {
    // A QR code holds at most 2,953 bytes: a longer link is not even tried
    // (encoding a 1.5 MB link before giving up took most of a second).
    if (url.length > QR_MAX_BYTES) return null;
    let qr;
    try {
      qr = qrcode(0, 'L');
      qr.addData(url);
      qr.make();
    } catch {
      return null;
    }
    const n = qr.getModuleCount();
    const quiet = 4;
    const cell = Math.max(1, Math.floor(size / (n + 2 * quiet)));
    const canvas = el('canvas', { width: (n + 2 * quiet) * cell, height: (n + 2 * quiet) * cell, class: 'qr', role: 'img', 'aria-label': t('share.qr') });
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000';
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) ctx.fillRect((c + quiet) * cell, (r + quiet) * cell, cell, cell);
    return canvas;
  }

  // --------------------------------------------------------------- panel

  checksSection() {
    const c = this.check();
    if (!c || this.checking) {
      // Waiting for the worker: the verdict says so, the last rules stay, greyed.
      return el('div', { id: 'checks', 'aria-busy': String(this.checking) },
        el('p', {
          class: 'verdict pending', id: 'verdict', 'data-compliant': this.checking ? 'pending' : 'unknown',
          text: `${this.checking ? '' : '⚠ '}${this.verdictText()}`,
        }),
        c ? el('ul', { class: 'rules-check stale', id: 'rules' }, c.rules.map((r) => el('li', { class: 'rule' },
          el('span', { class: 'mark', 'aria-hidden': 'true', text: '…' }),
          el('div', {}, el('strong', { text: catalogue(this.data.messages, `rule.${r.id}`) }))))) : null);
    }
    const failing = c.rules.filter((r) => !r.ok).length;
    const rules = c.rules.map((r) =>
      el('li', { class: `rule ${r.ok ? 'ok' : 'fail'}${this.activeRule === r.id ? ' active' : ''}`, 'data-rule': r.id },
        el('span', { class: 'mark', 'aria-hidden': 'true', text: r.ok ? '✓' : '✗' }),
        el('div', {},
          el('strong', { text: catalogue(this.data.messages, `rule.${r.id}`) }),
          el('span', { class: 'sr-only', text: ` (${t(r.ok ? 'rule.ok' : 'rule.fail')})` }),
          el('p', { text: r.message })),
        r.ok ? null : el('button', {
          type: 'button', class: 'btn small show-fault', id: `show-${r.id}`, 'aria-pressed': String(this.activeRule === r.id),
          'aria-label': t('rule.show.label', { rule: catalogue(this.data.messages, `rule.${r.id}`) }),
          text: t('rule.show'), onclick: () => this.showRule(r.id),
        })));
    const m = c.metrics;
    return el('div', { id: 'checks' },
      el('p', {
        class: `verdict ${c.compliant ? 'ok' : 'fail'}`, id: 'verdict', 'data-compliant': String(c.compliant),
        text: `${c.compliant ? '✓ ' : '✗ '}${c.compliant ? t('project.compliant') : t('project.not_compliant', { n: failing })}`,
      }),
      el('ul', { class: 'rules-check', id: 'rules' }, rules),
      el('h3', { text: t('project.metrics') }),
      el('dl', { class: 'facts metrics', id: 'metrics' },
        fact(t('metric.footprint_m2'), `${num(m.footprint_m2, 0)} m² (${pct(m.coverage, 1)})`),
        fact(t('metric.floor_area_m2'), `${num(m.floor_area_m2, 0)} m²`),
        fact(t('metric.green_ratio'), pct(m.green_ratio, 1)),
        fact(t('metric.parking'), `${m.parking_required} / ${m.parking_provided}`)));
  }

  /** During a drag: only the checks are rebuilt (the rest of the panel keeps its focus). */
  updateChecks() {
    const node = $('checks');
    if (node) node.replaceWith(this.checksSection());
  }

  field(name, label, value, unit, { help } = {}) {
    const err = this.fieldError && this.fieldError.field === name ? this.fieldError : null;
    const id = `field-${name}`;
    return el('div', { class: 'field' },
      el('label', { for: id, text: unit ? `${label} (${unit})` : label }),
      el('input', {
        id, type: 'text', inputmode: name === 'storeys' || name === 'stalls' ? 'numeric' : 'decimal', autocomplete: 'off',
        value: err ? err.value : value, 'aria-invalid': err ? 'true' : null,
        'aria-describedby': err ? `${id}-error` : help ? `${id}-help` : null,
        maxlength: name === 'title' ? 200 : null,
        onchange: (e) => (name === 'title' ? this.setTitle(e.target.value) : this.typed(name, e.target.value)),
        onkeydown: (e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          if (name === 'title') this.setTitle(e.target.value);
          else this.typed(name, e.target.value);
        },
      }),
      help && !err ? el('p', { id: `${id}-help`, class: 'help', text: help }) : null,
      err ? el('p', { id: `${id}-error`, class: 'field-error', role: 'alert', text: `⚠ ${err.text}` }) : null);
  }

  choiceField(name, label, value, options) {
    const id = `field-${name}`;
    return el('div', { class: 'field' },
      el('label', { for: id, text: label }),
      el('select', { id, onchange: (e) => this.commit(name, setField(this.doc, this.selection, name, e.target.value)) },
        options.map(([v, text]) => el('option', { value: v, selected: v === value }, text))));
  }

  selectionSection() {
    const found = this.selection && findItem(this.doc, this.selection);
    if (!found) {
      return el('section', { class: 'card', 'aria-labelledby': 'sel-title' },
        el('h2', { id: 'sel-title', text: t('edit.selection') }),
        el('p', { class: 'subtitle', text: t('edit.select_hint') }));
    }
    const it = found.item;
    const rect = it.footprint.rect;
    const fields = [];
    if (found.list === 'buildings') {
      fields.push(this.choiceField('use', t('building.use'), it.use, USES.map((u) => [u, t(`use.${u}`)])));
    }
    if (rect) {
      fields.push(this.field('width', t('edit.width'), num(rect.width, 2), 'm'));
      fields.push(this.field('depth', t('edit.depth'), num(rect.depth, 2), 'm'));
      fields.push(this.field('angle_deg', t('edit.angle'), num(rect.angle_deg || 0, 1), '°'));
    }
    if (found.list === 'buildings') {
      fields.push(this.field('height_m', t('building.height'), num(it.height_m, 2), 'm'));
      fields.push(this.field('storeys', t('building.storeys'), String(it.storeys ?? 1), ''));
      fields.push(this.choiceField('roof', t('edit.roof'), it.roof ?? 'flat', ROOFS.map((r) => [r, t(`roof.${r}`)])));
    }
    if (it.kind === 'parking') {
      const laid = this.result?.stalls[it.id];
      fields.push(this.field('stalls', t('edit.stalls'), it.stalls != null ? String(it.stalls) : '', '',
        { help: t('edit.stalls.help', { n: laid ?? 0 }) }));
    }
    const fault = this.faultIds.has(it.id);
    return el('section', { class: 'card', 'aria-labelledby': 'sel-title', id: 'selection-editor', 'data-item': it.id },
      el('h2', { id: 'sel-title', text: `${this.itemName(it)}${fault ? ` — ⚠ ${t('edit.at_fault')}` : ''}` }),
      el('div', { class: 'fields' }, fields),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'btn', id: 'duplicate', onclick: () => this.duplicate(), text: t('edit.duplicate') }),
        el('button', { type: 'button', class: 'btn danger', id: 'delete', onclick: () => this.remove(), text: t('edit.delete') })));
  }

  itemName(it) {
    const kind = it.kind || 'building';
    return t(`item.${kind}`, { id: it.id });
  }

  itemsSection() {
    const items = [...this.doc.buildings, ...this.doc.surfaces];
    return el('section', { class: 'card', 'aria-labelledby': 'items-title' },
      el('h2', { id: 'items-title', text: t('edit.items') }),
      el('div', { class: 'row wrap', role: 'group', 'aria-label': t('edit.add') },
        ['building', 'parking', 'yard', 'storage'].map((kind) =>
          el('button', { type: 'button', class: 'btn', id: `add-${kind}`, onclick: () => this.add(kind), text: `+ ${t(`add.${kind}`)}` }))),
      this.notice ? el('p', { class: `notice-line ${this.notice.kind}`, role: 'alert', text: this.notice.text }) : null,
      items.length ? el('ul', { class: 'pick-list', id: 'item-list' }, listedItems(items, this.selection).map((it) =>
        el('li', {}, el('button', {
          type: 'button', class: 'pick', id: `item-${it.id}`, 'data-item': it.id, 'aria-pressed': String(it.id === this.selection),
          onclick: () => this.select(it.id),
        },
        el('span', { class: 'pick-main', text: this.itemName(it) }),
        this.faultIds.has(it.id) ? el('span', { class: 'fault-tag', text: `⚠ ${t('edit.at_fault')}` }) : null)))) : el('p', { class: 'subtitle', text: t('edit.empty') }),
      items.length > MAX_LISTED ? el('p', {
        class: 'help', id: 'item-more', text: t('edit.items.more', { n: num(items.length - listedItems(items, this.selection).length, 0) }),
      }) : null,
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'btn', id: 'undo', disabled: !this.stack.canUndo, onclick: () => this.undo(), text: `↶ ${t('edit.undo')}` }),
        el('button', { type: 'button', class: 'btn', id: 'redo', disabled: !this.stack.canRedo, onclick: () => this.redo(), text: `↷ ${t('edit.redo')}` }),
        el('label', { class: 'check' },
          el('input', { type: 'checkbox', id: 'snap', checked: this.snap, onchange: (e) => { this.snap = e.target.checked; } }),
          t('edit.snap'))),
      el('details', { class: 'keys' }, el('summary', { text: t('edit.keys') }), el('p', { text: t('edit.keys.body') })));
  }

  takeawaySection() {
    // A big project's link (deflated, up to 1.5 MB) is made once the panel
    // is shown, with the QR code: the panel of a heavy link never waits for it.
    const late = this.shared?.doc !== this.doc && !checksInPage(this.doc);
    const url = late ? '' : this.shareUrl();
    const mail = late ? null : this.mailto();
    // The QR code is drawn once the edits pause: a step of the stack never waits for it.
    const qrBox = el('div', { class: 'qr-box', id: 'qr-box' });
    clearTimeout(this.qrTimer);
    const fill = (tries) => {
      const box = document.getElementById('qr-box');
      if (!box) return;
      // The opened link's share link is on its way from the worker (at most 10 s): no deflate here meanwhile.
      if (late && this.linkDoc === this.doc && this.checker.worker && tries < 40) {
        this.qrTimer = setTimeout(() => fill(tries + 1), 250);
        return;
      }
      const link = this.shareUrl();
      if (late) {
        const input = $('share-link');
        if (input) input.value = link;
        const send = $('send');
        const href = this.mailto();
        if (send && href) send.setAttribute('href', href);
      }
      const qr = this.qrCanvas(link);
      box.replaceChildren(qr || el('p', { class: 'help', text: t('share.qr_too_long') }));
    };
    this.qrTimer = setTimeout(() => fill(0), 250);
    return el('section', { class: 'card', 'aria-labelledby': 'share-title', id: 'takeaways' },
      el('h2', { id: 'share-title', text: t('share.title') }),
      el('p', { class: 'subtitle', text: t('share.nothing_uploaded') }),
      el('label', { for: 'share-link', class: 'small-label', text: t('share.link') }),
      el('div', { class: 'row' },
        el('input', { id: 'share-link', type: 'text', readonly: true, value: url }),
        el('button', {
          type: 'button', class: 'btn', id: 'copy-link', text: t('share.copy'),
          onclick: async () => {
            const done = () => { $('copy-status').textContent = t('share.copied'); };
            try { await navigator.clipboard.writeText(this.shareUrl()); done(); } catch {
              $('share-link').select();
              try { document.execCommand('copy'); done(); } catch { /* the link stays selected */ }
            }
          },
        })),
      el('p', { id: 'copy-status', class: 'help', role: 'status' }),
      qrBox,
      el('div', { class: 'row wrap' },
        el('button', { type: 'button', class: 'btn', id: 'download', text: t('share.download'), onclick: () => this.download() }),
        el('label', { class: 'btn file-btn', for: 'open-file' }, t('share.open')),
        el('input', { type: 'file', id: 'open-file', accept: '.json,application/json', class: 'sr-only', onchange: (e) => this.openFile(e.target) }),
        el('button', { type: 'button', class: 'btn', id: 'print', text: t('share.print'), onclick: () => { this.preparePrint(); window.print(); } }),
        mail || (late && this.data.site.contact_email) ? el('a', { class: 'btn', id: 'send', href: mail, text: t('share.send') }) : null),
      el('div', { class: 'row wrap' },
        el('button', { type: 'button', class: 'btn', id: 'new-project', text: t('edit.new'), onclick: () => this.shell.newProject() }),
        el('button', { type: 'button', class: 'btn', id: 'leave', text: t('edit.leave'), onclick: () => this.shell.onExit() })));
  }

  async openFile(input) {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    try {
      if (file.size > 5_000_000) throw new ProjectError('file: too large for a project');
      const doc = loads(await file.text());
      this.shell.openDoc(doc);
    } catch (e) {
      this.notice = { kind: 'error', text: `${t('open.error')} ${e instanceof ProjectError ? e.message : String(e && e.message)}` };
      this.shell.rerender();
    }
  }

  panel() {
    const lot = this.lot;
    return [
      el('section', { class: 'card project editing', id: 'project', 'aria-labelledby': 'project-title' },
        el('p', { class: 'eyebrow', text: t('edit.eyebrow') }),
        el('h2', { id: 'project-title', class: 'project-title', text: this.doc.title || t('project.untitled') }),
        el('p', { class: 'subtitle', text: t('project.on_lot', { lot: lot.id }) }),
        this.field('title', t('edit.title'), this.doc.title, '', {}),
        this.checksSection()),
      this.selectionSection(),
      this.itemsSection(),
      this.takeawaySection(),
      this.legendSection(),
    ];
  }

  /** What the plan's lines and marks mean, in words beside their look. */
  legendSection() {
    const row = (cls, text) => el('li', {}, el('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
    return el('section', { class: 'card legend', 'aria-labelledby': 'plan-legend-title' },
      el('h2', { id: 'plan-legend-title', text: t('legend.plan') }),
      el('ul', {},
        row('road-band', t('legend.road_band')),
        row('envelope', t('legend.envelope')),
        row('fault-item', t('legend.fault_item')),
        row('fault-zone', t('legend.fault_zone'))));
  }

  /** Fill the print sheet: the plan as a picture, figures, rules, QR. */
  preparePrint() {
    const sheet = $('print-sheet');
    const c = this.check();
    // The plan as it stands, without the selection's handles.
    this.plan.selection = null;
    this.plan.draw();
    const planImg = el('img', { src: this.plan.canvas.toDataURL('image/png'), alt: t('print.plan') });
    this.plan.selection = this.selection;
    this.plan.draw();
    const qr = this.qrCanvas(this.shareUrl(), 160);
    if (!c) {
      sheet.replaceChildren(
        el('h1', { text: this.doc.title || t('project.untitled') }),
        el('p', { text: `${this.data.site.name} — ${t('project.on_lot', { lot: this.doc.lot })}` }),
        el('p', { class: 'verdict', text: this.verdictText() }),
        planImg,
        qr ? el('div', { class: 'qr-box' }, qr, el('p', { text: t('print.qr') })) : null,
        el('p', { class: 'disclaimer', text: t('disclaimer') }));
      return;
    }
    sheet.replaceChildren(
      el('h1', { text: this.doc.title || t('project.untitled') }),
      el('p', { text: `${this.data.site.name} — ${t('project.on_lot', { lot: this.doc.lot })}` }),
      el('p', { class: `verdict ${c.compliant ? 'ok' : 'fail'}`, text: this.verdictText() }),
      planImg,
      el('h2', { text: t('project.metrics') }),
      el('dl', { class: 'facts' },
        fact(t('metric.footprint_m2'), `${num(c.metrics.footprint_m2, 0)} m² (${pct(c.metrics.coverage, 1)})`),
        fact(t('metric.floor_area_m2'), `${num(c.metrics.floor_area_m2, 0)} m²`),
        fact(t('metric.green_ratio'), pct(c.metrics.green_ratio, 1)),
        fact(t('metric.parking'), `${c.metrics.parking_required} / ${c.metrics.parking_provided}`)),
      el('h2', { text: t('print.rules') }),
      el('ul', { class: 'rules-check' }, c.rules.map((r) => el('li', { class: `rule ${r.ok ? 'ok' : 'fail'}` },
        el('span', { class: 'mark', text: r.ok ? '✓' : '✗' }),
        el('div', {}, el('strong', { text: catalogue(this.data.messages, `rule.${r.id}`) }), el('p', { text: r.message }))))),
      qr ? el('div', { class: 'qr-box' }, qr, el('p', { text: t('print.qr') })) : null,
      el('p', { class: 'disclaimer', text: t('disclaimer') }));
  }

  destroy() {
    this.checker.destroy();
    clearTimeout(this.announceTimer);
    clearTimeout(this.qrTimer);
    clearTimeout(this.hold3D);
    cancelAnimationFrame(this.soonPlan);
    this._cancelSoon3D();
    this.settle();
    $('plan').hidden = true;
  }
}
