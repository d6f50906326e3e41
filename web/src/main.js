// The zacviz web viewer: the park in 3D over its aerial image, the lots for
// sale, the exported projects and a project shared by link (SPEC §5), checked
// here with the JavaScript rule engine.
//
// Security: every text that comes from the site or a project is put in the
// page with textContent (see `el`), never as HTML; nothing is evaluated.
//
// Start: this script (viewer.js) holds what the first frame needs: three.js,
// the scene, the panel. The aerial image is decoded meanwhile (ground.js).
// Once the park is drawn, the page runs editor.js (built from tools.js: the
// link's decoder, the editor, the rule engine), then opens a shared link or
// offers back the project kept in this browser; body[data-state] turns
// "ready" then. body[data-first-frame-ms] is set once the first frame is
// handed to the screen.
import * as scene from './scene.js';
import * as i18n from './i18n.js';
import * as dom from './dom.js';
import * as linkcheck from './linkcheck.js';
import { ParkScene, webglAvailable } from './scene.js';
import { catalogue, language, num, pct, setLanguage, t } from './i18n.js';
import { fragmentPayload } from './fragment.js';
import { openInWorker } from './linkcheck.js';
import { fullGroundImage, groundImage } from './ground.js';
import { $, el, runScriptOnce } from './dom.js';

// The modules editor.js uses from this script rather than from its own copy.
window.ZACVIZ_CORE = { i18n, dom, scene, linkcheck };

const TOOLS_SCRIPT = 'editor.js';
/** The link is opened by then even when no frame was drawn. */
const REST_AT_LATEST_MS = 4000;
/** What editor.js hands over (window.ZACVIZ_EDITOR), once it has run. */
let tools = null;
/** A big shared link, opened in the rule engine's worker from the start (linkcheck.js), or null. */
let early = null;

/** A task of its own for what follows: a timer, an input or a frame due meanwhile goes first. */
function nextTask() {
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

/** Run editor.js (once): resolves to its parts. */
function loadTools() {
  if (tools) return Promise.resolve(tools);
  return runScriptOnce(TOOLS_SCRIPT, 'ZACVIZ_EDITOR').then((parts) => (tools = parts));
}

/** Run `fn(tools)` now, or once editor.js has run (a click before it). */
function withTools(fn) {
  if (tools) return fn(tools);
  loadTools().then(fn, (e) => console.warn(e.message));
  return undefined;
}


const state = {
  data: null,
  scene: null,
  projects: [], // project views: exported ones, then the shared one
  current: null, // index in projects
  selection: null, // {kind: 'lot' | 'building' | 'context', id}
  linkError: null, // {title, detail}
  panelOpen: true,
  editor: null, // the project being edited (Editor)
  picking: null, // lot id whose templates are offered
  resume: null, // a project kept in this browser, offered back
  plan: null, // the plan view (kept between projects)
};

// ------------------------------------------------------------------ projects

function faultsOf(check) {
  const ids = new Set();
  for (const r of check.rules) if (!r.ok) for (const id of r.items) ids.add(id);
  return [...ids];
}

/** A project exported by `zacviz export-web`: shapes and verdicts from Python. */
function exportedView(p) {
  return {
    title: p.title,
    lot: p.lot,
    shared: false,
    buildings: p.buildings,
    surfaces: p.surfaces,
    check: p.check,
    faults: faultsOf(p.check.fr),
  };
}

/**
 * Refuse a shared or opened project document that is not for this site, names
 * an unknown lot or reaches too far; the editor then checks it (in a worker
 * when it is big, so a heavy link never freezes the page).
 */
function refuseForeign(doc, data) {
  const { ProjectError, checkReach } = tools;
  if (doc.site !== data.site.id) throw new ProjectError(t('error.link.site', { site: doc.site }));
  const lot = data.lots.find((l) => l.id === doc.lot);
  if (!lot) throw new ProjectError(t('error.link.lot', { lot: doc.lot }));
  const origin = data.site.origin;
  // SPEC §2: no vertex farther than 10 km from the lot (the lot's ring is
  // relative to the site origin, the project's coordinates are not).
  checkReach(doc, lot.polygon[0].map(([x, y]) => [x + origin[0], y + origin[1]]));
}

/** A worker silent this long about the link it opens is given up: the page decodes the link itself. */
const WORKER_SILENT_MS = 10000;

/** What the worker says of the link it opens, or null (it failed or stayed silent). */
function answerOf(link) {
  let timer;
  const silent = new Promise((resolve) => { timer = setTimeout(resolve, WORKER_SILENT_MS, null); });
  return Promise.race([link.opened, silent]).then((opened) => {
    clearTimeout(timer);
    if (!opened) link.close();
    return opened;
  });
}

/** The refusal refuseForeign makes, of the reason the worker found (worker.js). */
function foreignError(why) {
  const { ProjectError } = tools;
  if (why.kind === 'site') return new ProjectError(t('error.link.site', { site: why.site }));
  if (why.kind === 'lot') return new ProjectError(t('error.link.lot', { lot: why.lot }));
  return new ProjectError(why.message);
}

/**
 * Open the address' shared link in the editor, or say why it cannot be. The
 * page's first link may be opened already in the worker (`link`, see
 * linkcheck.js): its validated project is taken from there, its check too.
 */
async function readFragment(link = null) {
  const data = state.data;
  state.projects = state.projects.filter((p) => !p.shared);
  state.linkError = null;
  let shown = state.projects.length ? 0 : null;
  const hash = window.location.hash;
  const opening = link && link.hash === hash ? link : null;
  if (link && !opening) link.close();
  if (fragmentPayload(hash) !== null) {
    const { decodeFragment, ProjectError } = tools;
    try {
      const opened = opening ? await answerOf(opening) : null;
      if (opened && 'refused' in opened) {
        document.body.dataset.linkOpenedBy = 'worker';
        throw new ProjectError(opened.refused);
      }
      const doc = opened ? JSON.parse(opened.doc) : decodeFragment(hash);
      document.body.dataset.linkOpenedBy = opened ? 'worker' : 'page'; // for the tests and the benchmark
      if (!opened) refuseForeign(doc, data);
      else if (opened.foreign) throw foreignError(opened.foreign);
      // The lot's drawing geometry (jsts buffers, tens of ms) in this task, the editor in the next.
      tools.lotFrameOf(data, data.lots.find((l) => l.id === doc.lot));
      await nextTask();
      // Ready to edit: the link's project becomes the one kept in this browser.
      startEditor(doc, opened ? opening : null);
      history.replaceState(null, '', window.location.pathname + window.location.search);
      return;
    } catch (e) {
      opening?.close();
      const detail = e instanceof ProjectError ? e.message : `link: ${e && e.message ? e.message : e}`;
      state.linkError = { detail };
    }
  }
  showProject(shown);
}

function showProject(index) {
  if (state.editor) return;
  state.current = index;
  const view = index === null ? null : state.projects[index];
  if (state.scene) {
    state.scene.showProject(view);
    if (view) {
      state.scene.selectLot(view.lot);
      state.scene.frameLot(view.lot);
    }
  }
  state.selection = view ? { kind: 'lot', id: view.lot } : state.selection;
  render();
}

// ----------------------------------------------------------------- the panel

function fact(label, value) {
  return [el('dt', { text: label }), el('dd', { text: value })];
}

function ruleValue(key, value) {
  switch (key) {
    case 'max_coverage':
    case 'min_green_ratio':
      return pct(value, 0);
    case 'side_setback_height_ratio':
      return t('rule.side_setback_height_ratio.value', { ratio: num(value, 2).replace(/[.,]?0+$/, '') });
    case 'max_floor_area_m2':
      return `${num(value, 0)} m²`;
    default:
      return `${num(value, 1).replace(/[.,]0$/, '')} m`;
  }
}

function rulesList(rules) {
  const items = [];
  for (const [key, value] of Object.entries(rules)) {
    if (key === 'parking_m2_per_stall') {
      const parts = Object.entries(value).map(([use, area]) => t('rule.parking.value', { area: num(area, 0), use: t(`use.${use}`) }));
      items.push(fact(t('rule.parking_m2_per_stall'), parts.join(' · ')));
    } else {
      items.push(fact(t(`rule.${key}`), ruleValue(key, value)));
    }
  }
  return el('dl', { class: 'facts rules' }, items);
}

function lotSection(lot) {
  const close = el('button', {
    type: 'button', class: 'icon-btn close', 'aria-label': t('lot.close'), text: '×',
    onclick: () => select(null),
  });
  const facts = [
    fact(t('lot.status'), t(`status.${lot.status}`)),
    fact(t('lot.area'), `${num(lot.area_m2, 0)} m²`),
    fact(t('lot.zone'), lot.zone),
  ];
  if (lot.price_eur_m2 != null) facts.push(fact(t('lot.price'), t('lot.price.value', { price: num(lot.price_eur_m2, 0) })));
  if (lot.price_estimate_eur != null) {
    facts.push(fact(t('lot.estimate'), t('lot.estimate.value', { price: num(lot.price_estimate_eur, 0) })));
  }
  return el('section', { class: 'card selection', 'data-lot': lot.id, 'aria-labelledby': 'selection-title' },
    el('div', { class: 'card-head' },
      el('span', { class: `swatch status-${lot.status}`, 'aria-hidden': 'true' }),
      el('h2', { id: 'selection-title', text: t('lot.title', { id: lot.id }) }),
      close),
    lot.name ? el('p', { class: 'subtitle', text: lot.name }) : null,
    el('dl', { class: 'facts' }, facts),
    lot.status === 'available' && !state.editor ? el('button', {
      type: 'button', class: 'btn primary', id: 'start-project', 'data-lot': lot.id, text: t('start.button'),
      onclick: () => { state.picking = lot.id; render(); $('template-picker')?.querySelector('button')?.focus(); },
    }) : null,
    el('h3', { text: t('lot.rules') }),
    rulesList(lot.rules));
}

/** The starting layouts of a lot: the templates the export computed, or an empty project. */
function templatePicker(lot) {
  const layouts = lot.templates || {};
  const choices = (state.data.templates || []).map((tpl) => {
    const layout = layouts[tpl.id];
    const error = !layout ? t('start.unavailable') : layout.error ? (layout.error[language()] || layout.error.fr) : null;
    return el('li', {}, el('button', {
      type: 'button', class: 'pick', 'data-template': tpl.id, disabled: Boolean(error),
      onclick: () => withTools(({ emptyProject, clone }) => {
        const doc = emptyProject(state.data.site.id, lot.id);
        doc.buildings = clone(layout.buildings || []);
        doc.surfaces = clone(layout.surfaces || []);
        startEditor(doc);
      }),
    },
    el('span', { class: 'pick-main' },
      el('span', { class: 'pick-name', text: tpl.label[language()] || tpl.label.fr }),
      el('span', { class: 'pick-meta', text: error || (tpl.blurb ? tpl.blurb[language()] || tpl.blurb.fr : '') }))));
  });
  choices.push(el('li', {}, el('button', {
    type: 'button', class: 'pick', 'data-template': 'empty',
    onclick: () => withTools(({ emptyProject }) => startEditor(emptyProject(state.data.site.id, lot.id))),
  }, el('span', { class: 'pick-main' },
    el('span', { class: 'pick-name', text: t('start.empty') }),
    el('span', { class: 'pick-meta', text: t('start.empty.blurb') })))));
  return el('section', { class: 'card', id: 'template-picker', 'aria-labelledby': 'picker-title' },
    el('div', { class: 'card-head' },
      el('h2', { id: 'picker-title', text: t('start.title', { lot: lot.id }) }),
      el('button', {
        type: 'button', class: 'icon-btn close', 'aria-label': t('start.cancel'), text: '×',
        onclick: () => { state.picking = null; render(); },
      })),
    el('p', { class: 'subtitle', text: t('start.subtitle') }),
    el('ul', { class: 'pick-list' }, choices));
}

function resumeSection() {
  const doc = state.resume;
  if (!doc || state.editor) return null;
  return el('section', { class: 'card', id: 'resume', 'aria-labelledby': 'resume-title' },
    el('h2', { id: 'resume-title', text: t('resume.title') }),
    el('p', { text: t('resume.body', { title: doc.title || t('project.untitled'), lot: doc.lot }) }),
    el('div', { class: 'row' },
      el('button', { type: 'button', class: 'btn primary', id: 'resume-project', text: t('resume.yes'), onclick: () => startEditor(doc) }),
      el('button', {
        type: 'button', class: 'btn', id: 'discard-project', text: t('resume.no'),
        onclick: () => { state.resume = null; tools.forgetStored(state.data.site.id); render(); },
      })));
}

// ----------------------------------------------------------------- editing

const shell = {
  get data() { return state.data; },
  get scene() { return state.scene; },
  get plan() { return state.plan; },
  set plan(p) { state.plan = p; },
  rerender: () => render(),
  onExit: () => stopEditor(),
  newProject: () => {
    const lot = state.editor ? state.editor.doc.lot : null;
    stopEditor();
    tools.forgetStored(state.data.site.id);
    state.resume = null;
    state.picking = lot;
    if (lot) state.selection = { kind: 'lot', id: lot };
    render();
    $('template-picker')?.querySelector('button:not([disabled])')?.focus();
  },
  openDoc: (doc) => {
    try {
      refuseForeign(doc, state.data);
      startEditor(doc);
    } catch (e) {
      if (state.editor) {
        state.editor.notice = { kind: 'error', text: `${t('open.error')} ${e.message}` };
        render();
      }
    }
  },
};

/** Edit `doc`; `link`: the worker that opened it and checks it (readFragment). */
function startEditor(doc, link = null) {
  state.editor?.destroy();
  state.picking = null;
  state.resume = null;
  state.current = null;
  document.body.dataset.mode = 'edit';
  $('stage').dataset.view = state.stageView || 'plan';
  const editor = new tools.Editor(shell, doc, link);
  state.editor = editor;
  // A heavy project's plan is painted once its first verdict is shown (plan.js HOLD_LAYER_MS).
  editor.plan.holdLayer = () => state.editor === editor && editor.checking && !editor.result;
  state.selection = { kind: 'lot', id: doc.lot };
  if (state.scene) {
    state.scene.selectLot(doc.lot);
    state.scene.frameLot(doc.lot);
  }
  state.panelOpen = true;
  render();
  // The verdict and the panel first; a big project's 3D view after them (see Editor.update3D).
  state.editor.update3D({ soon: true });
}

function stopEditor() {
  if (!state.editor) return;
  state.editor.destroy();
  state.editor = null;
  state.resume = tools.storedProject(state.data.site.id); // offered back from the showcase
  delete document.body.dataset.mode;
  state.scene?.showProject(null);
  state.scene?.resize();
  render();
}

function setStageView(view) {
  state.stageView = view;
  $('stage').dataset.view = view;
  for (const id of ['show-plan', 'show-3d']) $(id).setAttribute('aria-pressed', String(id === `show-${view}`));
  state.scene?.resize();
  state.plan?.resize();
}

function buildingSection(b, kind) {
  const close = el('button', {
    type: 'button', class: 'icon-btn close', 'aria-label': t('lot.close'), text: '×', onclick: () => select(null),
  });
  const facts = [];
  if (kind === 'building') {
    facts.push(fact(t('building.use'), t(`use.${b.use}`)));
    facts.push(fact(t('building.height'), `${num(b.height_m, 1)} m`));
    facts.push(fact(t('building.storeys'), String(b.storeys ?? 1)));
  } else {
    facts.push(fact(t('building.height'), `${num(b.height_m, 1)} m`));
  }
  const title = kind === 'building' ? t('building.title', { id: b.id }) : b.name || t('building.context');
  return el('section', { class: 'card selection', 'aria-labelledby': 'selection-title' },
    el('div', { class: 'card-head' }, el('h2', { id: 'selection-title', text: title }), close),
    el('dl', { class: 'facts' }, facts));
}

function projectSection(view) {
  const lang = language();
  const check = view.check[lang] || view.check.fr;
  const failing = check.rules.filter((r) => !r.ok).length;
  const rules = check.rules.map((r) =>
    el('li', { class: `rule ${r.ok ? 'ok' : 'fail'}`, 'data-rule': r.id },
      el('span', { class: 'mark', 'aria-hidden': 'true', text: r.ok ? '✓' : '✗' }),
      el('div', {},
        el('strong', { text: catalogue(state.data.messages, `rule.${r.id}`) }),
        el('span', { class: 'sr-only', text: ` (${t(r.ok ? 'rule.ok' : 'rule.fail')})` }),
        el('p', { text: r.message }))));
  const m = check.metrics;
  const metrics = el('dl', { class: 'facts metrics' },
    fact(t('metric.footprint_m2'), `${num(m.footprint_m2, 0)} m² (${pct(m.coverage, 1)})`),
    fact(t('metric.floor_area_m2'), `${num(m.floor_area_m2, 0)} m²`),
    fact(t('metric.green_ratio'), pct(m.green_ratio, 1)),
    fact(t('metric.parking'), `${m.parking_required} / ${m.parking_provided}`));
  return el('section', { class: 'card project', id: 'project', 'aria-labelledby': 'project-title' },
    el('p', { class: 'eyebrow', text: view.shared ? t('project.shared') : t('project.title') }),
    el('h2', { id: 'project-title', class: 'project-title', text: view.title || t('project.untitled') }),
    el('p', { class: 'subtitle', text: t('project.on_lot', { lot: view.lot }) }),
    el('p', {
      class: `verdict ${check.compliant ? 'ok' : 'fail'}`, id: 'verdict', 'data-compliant': String(check.compliant),
      text: check.compliant ? t('project.compliant') : t('project.not_compliant', { n: failing }),
    }),
    el('ul', { class: 'rules-check', id: 'rules' }, rules),
    el('h3', { text: t('project.metrics') }),
    metrics,
    view.shared ? el('p', { class: 'note', text: t('project.checked_here') }) : null);
}

function projectsList() {
  if (state.projects.length < 2) return null;
  return el('nav', { class: 'card projects', 'aria-label': t('project.list') },
    el('h2', { text: t('project.list') }),
    el('ul', { class: 'pick-list' }, state.projects.map((p, i) =>
      el('li', {}, el('button', {
        type: 'button', class: 'pick', 'aria-pressed': String(i === state.current), onclick: () => showProject(i),
      }, el('span', { class: 'chip', text: p.lot }), el('span', { class: 'pick-main', text: p.title || t('project.untitled') }),
      el('span', { class: `dot ${p.check.fr.compliant ? 'ok' : 'fail'}`, 'aria-hidden': 'true' }))))));
}

function lotsSection() {
  const lots = state.data.lots.filter((l) => l.status === 'available');
  lots.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  const list = lots.length
    ? el('ul', { class: 'pick-list', id: 'lot-list' }, lots.map((lot) =>
      el('li', {}, el('button', {
        type: 'button', class: 'pick', 'data-lot': lot.id,
        'aria-pressed': String(state.selection?.kind === 'lot' && state.selection.id === lot.id),
        onclick: () => { select({ kind: 'lot', id: lot.id }); state.scene?.frameLot(lot.id); },
      },
      el('span', { class: 'chip', text: lot.id }),
      el('span', { class: 'pick-main' },
        el('span', { class: 'pick-name', text: lot.name || t('lot.title', { id: lot.id }) }),
        el('span', {
          class: 'pick-meta',
          text: [`${num(lot.area_m2, 0)} m²`, lot.price_eur_m2 != null ? t('lot.price.value', { price: num(lot.price_eur_m2, 0) }) : null]
            .filter(Boolean).join(' · '),
        }))))))
    : el('p', { text: t('lots.none') });
  return el('section', { class: 'card lots', 'aria-labelledby': 'lots-title' },
    el('h2', { id: 'lots-title', text: t('lots.title') }),
    el('p', { class: 'subtitle', text: t('lots.count', { n: lots.length, total: state.data.lots.length }) }),
    list);
}

function legendSection() {
  const row = (cls, label) => el('li', {}, el('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), label);
  const items = [
    row('status-available', t('status.available')),
    row('status-reserved', t('status.reserved')),
    row('status-sold', t('status.sold')),
  ];
  if (state.data.lots.some((l) => l.status === 'not_for_sale')) {
    items.push(row('status-not_for_sale', t('status.not_for_sale')));
  }
  if (state.current !== null) {
    items.push(row('project-building', t('legend.project')), row('fault-building', t('legend.fault')));
  }
  return el('section', { class: 'card legend', 'aria-labelledby': 'legend-title' },
    el('h2', { id: 'legend-title', text: t('legend.title') }),
    el('ul', {}, items));
}

function linkErrorSection() {
  if (!state.linkError) return null;
  return el('section', { class: 'card alert', id: 'link-error', role: 'alert' },
    el('h2', { text: t('error.link.title') }),
    el('p', { text: t('error.link.body') }),
    el('p', { class: 'code', text: state.linkError.detail }),
    el('button', {
      type: 'button', class: 'btn', text: t('error.dismiss'),
      onclick: () => { state.linkError = null; render(); },
    }));
}

function selectionSection() {
  const s = state.selection;
  if (!s) return null;
  if (s.kind === 'lot') {
    const lot = state.data.lots.find((l) => l.id === s.id);
    return lot ? lotSection(lot) : null;
  }
  if (s.kind === 'building') return buildingSection(s.building, 'building');
  if (s.kind === 'context') return buildingSection(s, 'context');
  return null;
}

/** The compliance mention every page of a public body's site carries (RGAA),
 * leading to the accessibility statement the export writes beside the page. */
function accessibilityLink() {
  const href = language() === 'fr' ? 'accessibilite.html' : 'accessibility.html';
  return el('p', { class: 'disclaimer' }, el('a', { href, id: 'a11y-statement', text: t('a11y.mention') }));
}

function render() {
  const data = state.data;
  document.documentElement.lang = language();
  document.title = `${data.site.name} — ${t('app.title')}`;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-label]')) {
    node.setAttribute('aria-label', t(node.dataset.i18nLabel));
    node.setAttribute('title', t(node.dataset.i18nLabel));
  }
  $('site-name').textContent = data.site.name;
  const notice = $('notice');
  notice.hidden = !data.site.illustrative;
  notice.textContent = t('notice.illustrative');
  if (data.site.notice) notice.setAttribute('title', data.site.notice);
  const langButton = $('lang');
  langButton.textContent = language() === 'fr' ? 'EN' : 'FR';
  langButton.setAttribute('aria-label', t('lang.switch.label'));
  langButton.setAttribute('title', t('lang.switch.label'));
  langButton.setAttribute('lang', language() === 'fr' ? 'en' : 'fr');
  const touch = window.matchMedia && window.matchMedia('(pointer: coarse)').matches;
  $('hint').textContent = t(touch ? 'view.hint' : 'view.hint.desktop');
  $('scene').setAttribute('aria-label', t('scene.label'));
  const toggle = $('panel-toggle');
  toggle.setAttribute('aria-expanded', String(state.panelOpen));
  toggle.setAttribute('aria-label', t(state.panelOpen ? 'panel.toggle.hide' : 'panel.toggle.show'));
  $('panel').classList.toggle('collapsed', !state.panelOpen);
  // What the folded panel holds, in one line.
  const summary = $('panel-summary');
  const shown = state.current === null ? null : state.projects[state.current];
  const shownCheck = shown && (shown.check[language()] || shown.check.fr);
  summary.className = `panel-summary${shownCheck ? (shownCheck.compliant ? ' ok' : ' fail') : ''}`;
  summary.textContent = shownCheck
    ? `${shown.title || t('project.untitled')} — ${shownCheck.compliant
      ? t('project.compliant') : t('project.not_compliant', { n: shownCheck.rules.filter((r) => !r.ok).length })}`
    : t('lots.count', { n: data.lots.filter((l) => l.status === 'available').length, total: data.lots.length });

  const view = state.current === null ? null : state.projects[state.current];
  const body = $('panel-body');
  for (const id of ['show-plan', 'show-3d']) $(id).setAttribute('aria-pressed', String(id === `show-${$('stage').dataset.view || 'plan'}`));
  if (state.editor) {
    const c = state.editor.checking ? null : state.editor.check();
    summary.className = `panel-summary${c ? (c.compliant ? ' ok' : ' fail') : ''}`;
    summary.textContent = `${state.editor.doc.title || t('project.untitled')} — ${!c ? state.editor.verdictText() : c.compliant
      ? t('project.compliant') : t('project.not_compliant', { n: c.rules.filter((r) => !r.ok).length })}`;
    // The panel is rebuilt: the focus and the scroll stay where they were.
    const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.id : null;
    const scroll = body.scrollTop;
    body.replaceChildren(...[
      linkErrorSection(),
      ...state.editor.panel(),
      el('p', { class: 'disclaimer', text: t('disclaimer') }),
      accessibilityLink(),
    ].filter(Boolean));
    body.scrollTop = scroll;
    if (focused && $(focused)) $(focused).focus({ preventScroll: true });
    $('plan').setAttribute('aria-label', t('plan.label'));
    $('nowebgl-title').textContent = t('error.nowebgl.title');
    $('nowebgl-body').textContent = t('error.nowebgl.body');
    updateLabels();
    return;
  }
  const pickLot = state.picking && data.lots.find((l) => l.id === state.picking);
  body.replaceChildren(...[
    resumeSection(),
    pickLot ? templatePicker(pickLot) : null,
    linkErrorSection(),
    view ? projectSection(view) : null,
    projectsList(),
    selectionSection(),
    lotsSection(),
    legendSection(),
    el('p', { class: 'disclaimer', text: t('disclaimer') }),
    data.site.notice ? el('p', { class: 'disclaimer', text: data.site.notice }) : null,
    accessibilityLink(),
  ].filter(Boolean));
  $('nowebgl-title').textContent = t('error.nowebgl.title');
  $('nowebgl-body').textContent = t('error.nowebgl.body');
  updateLabels();
}

function select(selection) {
  state.selection = selection;
  state.scene?.selectLot(selection && selection.kind === 'lot' ? selection.id : null);
  if (selection) state.panelOpen = true;
  render();
  if (selection) $('panel-body').querySelector('.selection')?.scrollIntoView({ block: 'nearest' });
}

// -------------------------------------------------------------- lot labels

const labels = new Map();

function buildLabels() {
  const box = $('labels');
  for (const lot of state.data.lots) {
    const label = el('span', { class: `lot-label status-${lot.status}`, 'data-lot': lot.id, text: lot.id });
    box.append(label);
    labels.set(lot.id, { label, lot });
  }
}

function updateLabels() {
  const scene = state.scene;
  if (!scene) return;
  const rect = $('scene').getBoundingClientRect();
  const stage = $('stage').getBoundingClientRect();
  for (const { label, lot } of labels.values()) {
    const p = scene.toScreen(lot.label[0], lot.label[1], 1);
    const selected = state.selection?.kind === 'lot' && state.selection.id === lot.id;
    // A label wider than its lot on screen would hide the park: only the selected one stays.
    const roomy = selected || scene.pixelsPer(lot.label[0], lot.label[1], Math.sqrt(lot.area_m2)) > 46;
    const visible = roomy && p && p.x >= rect.left && p.x <= rect.right && p.y >= rect.top && p.y <= rect.bottom;
    label.hidden = !visible;
    if (visible) label.style.transform = `translate(${(p.x - stage.left).toFixed(1)}px, ${(p.y - stage.top).toFixed(1)}px)`;
    label.classList.toggle('selected', selected);
  }
}

// ------------------------------------------------------------------- start

function wireControls() {
  const scene = state.scene;
  const actions = {
    'view-reset': () => scene.frameSite(),
    'view-top': () => scene.frameSite({ top: true }),
    'view-left': () => scene.rotate(-20),
    'view-right': () => scene.rotate(20),
    'view-in': () => scene.zoom(1.4),
    'view-out': () => scene.zoom(1 / 1.4),
  };
  for (const [id, action] of Object.entries(actions)) $(id).addEventListener('click', action);
  scene.onPick((picked) => {
    if (!picked) return;
    if (state.editor) {
      if (picked.kind === 'building') state.editor.select(picked.id);
      return;
    }
    if (picked.kind === 'lot') select({ kind: 'lot', id: picked.id });
    else if (picked.kind === 'building') select({ kind: 'building', id: picked.id, building: picked.building });
    else if (picked.kind === 'context') select({ kind: 'context', id: picked.id, name: picked.name, height_m: picked.height_m });
  });
}

function start() {
  // Where the first frame's time goes (read by benchmarks/bench_web.py).
  performance.mark('zacviz-start');
  const data = window.ZACVIZ_DATA;
  const body = document.body;
  $('lang').addEventListener('click', () => {
    setLanguage(language() === 'fr' ? 'en' : 'fr');
    if (state.data) render();
  });
  $('panel-toggle').addEventListener('click', () => {
    state.panelOpen = !state.panelOpen;
    render();
    state.scene?.resize();
  });
  if (!data || data.format !== 'zacviz-web') {
    body.dataset.state = 'error';
    $('panel-body').replaceChildren(el('section', { class: 'card alert', role: 'alert' }, el('p', { text: t('error.nodata') })));
    return;
  }
  state.data = data;
  // A big shared link is inflated, validated and checked in the worker while the park is drawn.
  early = openInWorker(window.location.hash, data);
  state.projects = data.projects.map(exportedView);
  const wantLang = new URLSearchParams(window.location.search).get('lang');
  if (wantLang) setLanguage(wantLang);

  const started = performance.now();
  let firstFrame = false;
  let rest = false;
  const startRest = () => {
    if (rest) return;
    rest = true;
    loadTools().then(finishStart, failStart);
  };
  const afterFirstFrame = () => {
    if (firstFrame) return;
    firstFrame = true;
    // A task queued from the frame's callback runs once the frame is handed to
    // the screen (software GL: once it is drawn); then the rest of the start.
    setTimeout(() => {
      performance.mark('zacviz-first-frame-shown');
      body.dataset.firstFrameMs = String(Math.round(performance.now() - started));
      startRest();
    }, 0);
  };
  // A page that draws no frame (opened in a background tab, a lost GL
  // context) still opens its link.
  setTimeout(startRest, REST_AT_LATEST_MS);
  if (webglAvailable()) {
    groundImage(); // decoding from now on, while the scene is built
    try {
      state.scene = new ParkScene($('scene'), data);
      performance.mark('zacviz-scene');
    } catch (e) {
      state.scene = null;
      console.warn('WebGL could not start:', e);
    }
  }
  if (state.scene) {
    const scene = state.scene;
    buildLabels();
    wireControls();
    // The gesture hint goes once the visitor has touched the view.
    $('scene').addEventListener('pointerdown', () => $('hint').classList.add('gone'), { once: true });
    scene.onFrame = () => {
      updateLabels();
      if (!firstFrame && scene.groundReady) {
        performance.mark('zacviz-first-frame');
        afterFirstFrame();
      }
    };
  } else {
    $('nowebgl').hidden = false;
    $('scene').hidden = true;
  }
  // Panel starts folded on a small phone screen in landscape only; else open.
  state.panelOpen = !(window.innerHeight < 500 && window.innerWidth > window.innerHeight);
  render();
  state.scene?.frameSite(); // once the panel has its size
  $('show-plan').addEventListener('click', () => setStageView('plan'));
  $('show-3d').addEventListener('click', () => setStageView('3d'));
  document.addEventListener('keydown', (e) => state.editor?.globalKey(e));
  window.addEventListener('beforeprint', () => state.editor?.preparePrint());
  if (!state.scene) afterFirstFrame(); // no 3D view: the panel is the first frame
}

/**
 * After the first frame, with editor.js run: the shared link, or the project
 * kept here. Each step is a task of its own (editor.js' run was one), so that
 * the page answers a tap or a frame between them.
 */
async function finishStart() {
  const data = state.data;
  if (fragmentPayload(window.location.hash) === null) {
    state.resume = tools.storedProject(data.site.id);
    if (state.resume && !data.lots.some((l) => l.id === state.resume.lot)) state.resume = null;
  }
  await nextTask();
  const big = early !== null;
  await readFragment(early);
  early = null;
  performance.mark('zacviz-link');
  window.addEventListener('hashchange', () => readFragment());
  document.body.dataset.state = state.scene ? 'ready' : 'nowebgl';
  // The full image once a big link's verdict is shown and its 3D view built: the view's frame waits
  // for it (decoded off the main thread), one long frame in software GL instead of two.
  (state.editor ? state.editor.settled : Promise.resolve()).then(() => {
    const full = sharpenGround();
    if (big && state.editor) state.scene?.holdFrames(full, FULL_IMAGE_WAIT_MS);
  });
}

/** How long a big link's 3D frame waits for the full image. */
const FULL_IMAGE_WAIT_MS = 1500;

/** The full aerial image in place of the first frame's copy (decoded off the main thread); resolves once laid. */
function sharpenGround() {
  const scene = state.scene;
  if (!scene) return Promise.resolve();
  return fullGroundImage(state.data.imagery).then((decoded) => {
    if (decoded) {
      scene.setGroundImage(decoded);
      performance.mark('zacviz-imagery-full');
    }
  });
}

/** editor.js did not run (a folder copied in part): the park stays, a link is explained. */
function failStart(error) {
  console.warn(error.message);
  if (fragmentPayload(window.location.hash) !== null) state.linkError = { detail: error.message };
  early?.close();
  render();
  document.body.dataset.state = state.scene ? 'ready' : 'nowebgl';
  sharpenGround();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
