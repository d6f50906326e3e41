// Times the page's rule engine on SPEC §2's worst cases, in node:
//   node web/scripts/bench_engine.js [repeats]
// The cases are the shapes of tests/export/test_web_heavy.py (1,000 buildings
// on a grid, 1,000 turned car parks stacked on one spot, six 10,000-vertex
// buildings, 1,000 stacked concave stars) on the showcase site of web/tests/vectors.json. Each figure is
// printed with an anchor measured in the same run, which does not run the
// engine (JSON.parse of web/tests/vectors.json, best of 30), and the ratio to
// it, so that runs on a busy machine can be compared. The first check of each
// case is printed apart: a worker checks a link once, with code not yet
// optimised. Validation is projectFromDict on the parsed document. A second argument picks the cases whose
// name holds it (for profiling: node --cpu-prof scripts/bench_engine.js 1 stacked).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { checkProject } from '../src/engine.js';
import { projectFromDict } from '../src/project.js';

const vectors = JSON.parse(readFileSync(new URL('../tests/vectors.json', import.meta.url), 'utf8'));
const site = vectors.sites['belle-assise'];
const [ox, oy] = site.site.origin;
const lot = site.lots.filter((l) => l.status === 'available').reduce((a, b) => (b.area_m2 > a.area_m2 ? b : a));
const [x0, y0] = lot.polygon[0].reduce(([mx, my], [x, y]) => [Math.min(mx, x), Math.min(my, y)], [Infinity, Infinity]);
const [mx, my] = lot.label;
const r2 = (v) => Math.round(v * 100) / 100;

function building(id, cx, cy, w, d) {
  return {
    id, use: 'workshop', height_m: 8.0, storeys: 1, roof: 'flat',
    footprint: { rect: { cx: r2(cx), cy: r2(cy), width: w, depth: d, angle_deg: 0.0 } },
  };
}

function documentOf(buildings, surfaces = []) {
  return { format: 'zacviz-project', version: 1, site: site.site.id, lot: lot.id, title: 'Lien lourd', buildings, surfaces };
}

function grid(n) {
  const bx = ox + x0;
  const by = oy + y0;
  return documentOf(Array.from({ length: n }, (_, i) => building(`b${i}`, bx + 5 + (i % 40) * 9.9, by + 5 + Math.floor(i / 40) * 9.9, 9.0, 9.0)));
}

function stacked(n) {
  const surfaces = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`, kind: 'parking',
    footprint: { rect: { cx: ox + mx, cy: oy + my, width: r2(50 + 0.01 * i), depth: 30.0, angle_deg: Math.round(i * 3) / 10 } },
  }));
  return documentOf([building('b0', ox + mx, oy + my, 10.0, 10.0)], surfaces);
}

function manyVertices(n) {
  const rows = Math.floor((n + 2) / 3);
  const buildings = [];
  for (let k = 0; k < n; k++) {
    const cx = ox + mx + 37 * ((k % 3) - 1);
    const cy = oy + my + 37 * (Math.floor(k / 3) - (rows - 1) / 2);
    const ring = Array.from({ length: 10000 }, (_, i) => {
      const r = i % 2 ? 18 : 16;
      const a = (2 * Math.PI * i) / 10000;
      return [r2(cx + r * Math.cos(a)), r2(cy + r * Math.sin(a))];
    });
    const b = building(`v${k}`, cx, cy, 1.0, 1.0);
    b.footprint = { polygon: ring };
    buildings.push(b);
  }
  return documentOf(buildings);
}

/** Best of `repeats` runs of `fn`, in ms. */
function best(fn, repeats) {
  let t = Infinity;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

/** n concave 60-vertex stars stacked as yards, each turned 0.01 rad from the last, over a building. */
function stars(n) {
  const cx = ox + mx;
  const cy = oy + my;
  const star = (turn) => Array.from({ length: 60 }, (_, k) => {
    const r = k % 2 ? 35 : 60;
    return [r2(cx + r * Math.cos(turn + (Math.PI * k) / 30)), r2(cy + r * Math.sin(turn + (Math.PI * k) / 30))];
  });
  const surfaces = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, kind: 'yard', footprint: { polygon: star(0.01 * i) } }));
  return documentOf([building('b0', cx, cy, 10.0, 10.0)], surfaces);
}

const repeats = Number(process.argv[2] || 3);
const cases = [
  ['1,000 buildings on a grid', grid(1000)],
  ['1,000 turned car parks stacked', stacked(1000)],
  ['six 10,000-vertex buildings', manyVertices(6)],
  ['1,000 stacked 60-vertex stars', stars(1000)],
];
// A fresh copy of the site each run: the engine caches the lot's geometry per lot object.
const fresh = () => JSON.parse(JSON.stringify(site));
// The anchor does not run the engine: JSON.parse of the vectors' text (0.5 MB).
const vectorsText = readFileSync(new URL('../tests/vectors.json', import.meta.url), 'utf8');
const anchor = best(() => JSON.parse(vectorsText), 30);
console.log(`anchor: JSON.parse of web/tests/vectors.json ${anchor.toFixed(2)} ms`);
const only = process.argv[3] || '';
for (const [name, doc] of cases.filter(([n]) => n.includes(only))) {
  const text = JSON.stringify(doc);
  const parse = best(() => JSON.parse(text), repeats);
  const parsed = projectFromDict(doc);
  const site0 = fresh();
  const t0 = performance.now();
  checkProject(parsed, site0);
  const first = performance.now() - t0; // as a worker's first check: code not yet optimised
  const sites = Array.from({ length: repeats }, fresh);
  let next = 0;
  const check = best(() => checkProject(parsed, sites[next++]), repeats);
  const validate = best(() => projectFromDict(JSON.parse(text)), repeats) - parse;
  const res = checkProject(projectFromDict(doc), fresh());
  const verdict = res.rules.map((r) => `${r.id}:${r.ok ? 'ok' : 'fail'}`).join(' ');
  console.log(`${name}: first check ${first.toFixed(0)} ms, best check ${check.toFixed(0)} ms (${(check / anchor).toFixed(0)}× anchor, ${(check / parse).toFixed(0)}× its JSON.parse, ${parse.toFixed(1)} ms); validation (projectFromDict) ${validate.toFixed(0)} ms`);
  console.log(`  ${verdict}`);
  // Every value at full precision: a change to the engine must leave them as they were.
  if (process.env.BENCH_VALUES) console.log(JSON.stringify({ metrics: res.metrics, rules: res.rules.map((r) => [r.id, r.value, r.margin, r.items.length, r.key]) }));
}
