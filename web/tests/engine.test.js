// The JavaScript rule engine against the Python one: every case of
// vectors.json (written by web/scripts/make_vectors.py from `zacviz check`)
// must give the same verdicts, items, values and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkProject, resultToDict } from '../src/engine.js';
import { projectFromDict, ProjectError } from '../src/project.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

// Values may differ by one unit of their last printed decimal: GEOS and JSTS
// can differ in the last bits of a distance, which rounding can carry over.
// Messages print fewer decimals and must be identical.
const LAST_DIGIT = { m: 1e-4, 'm²': 1e-3, ratio: 1e-6, stalls: 0 };
const METRIC_UNIT = {
  lot_area_m2: 'm²', footprint_m2: 'm²', floor_area_m2: 'm²', sealed_m2: 'm²',
  coverage: 'ratio', green_ratio: 'ratio', parking_required: 'stalls', parking_provided: 'stalls',
};

function near(actual, expected, unit, where) {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, where);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= LAST_DIGIT[unit] * 1.0001, `${where}: ${actual} != ${expected}`);
}

assert.ok(vectors.cases.length >= 100, 'the vectors hold the cases');

for (const c of vectors.cases) {
  test(`agrees with Python: ${c.name}`, () => {
    const site = vectors.sites[c.site];
    const doc = projectFromDict(c.project);
    const res = checkProject(doc, site);
    for (const lang of ['fr', 'en']) {
      const got = resultToDict(res, lang, vectors.messages);
      const want = c.expected[lang];
      assert.equal(got.lot, want.lot);
      assert.equal(got.compliant, want.compliant, `${lang} compliant`);
      assert.deepEqual(Object.keys(got.metrics), Object.keys(want.metrics));
      for (const [k, v] of Object.entries(want.metrics)) near(got.metrics[k], v, METRIC_UNIT[k], `metrics.${k}`);
      assert.deepEqual(got.rules.map((r) => r.id), want.rules.map((r) => r.id), 'rule ids');
      got.rules.forEach((r, i) => {
        const w = want.rules[i];
        assert.equal(r.ok, w.ok, `${r.id}.ok`);
        assert.deepEqual(r.items, w.items, `${r.id}.items`);
        assert.equal(r.unit, w.unit, `${r.id}.unit`);
        for (const k of ['value', 'limit', 'margin']) near(r[k], w[k], w.unit, `${r.id}.${k}`);
        assert.equal(r.message, w.message, `${r.id}.message (${lang})`);
      });
    }
  });
}

for (const c of vectors.invalid) {
  test(`refuses like Python: ${c.name}`, () => {
    assert.throws(() => projectFromDict(c.project), (e) => {
      assert.ok(e instanceof ProjectError, String(e));
      assert.equal(e.message.split(': ')[0], c.field);
      return true;
    });
  });
}

test('the vectors cover the tricky cases', () => {
  const names = vectors.cases.map((c) => c.name).join('\n');
  for (const want of ['exactly', 'clockwise', 'overlapping', 'touching', 'without stalls', 'departmental', 'override', 'rotated']) {
    assert.ok(names.includes(want), want);
  }
  const verdicts = new Set(vectors.cases.flatMap((c) => c.expected.en.rules.map((r) => `${r.id}:${r.ok}`)));
  for (const id of ['inside_lot', 'coverage', 'height', 'road_setback', 'side_setback', 'building_spacing', 'green_ratio', 'parking', 'floor_area', 'overlap']) {
    assert.ok(verdicts.has(`${id}:true`) && verdicts.has(`${id}:false`), `${id} passes and fails somewhere`);
  }
});
