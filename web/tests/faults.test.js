// The lot's frame for drawing: the road setback band's own edges (not those
// along the lot's outline) are the ones JSTS's distance picks out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lotFrame, segmentsOf } from '../src/faults.js';
import { polygon, boundary, distance, intersection } from '../src/geometry.js';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

function onOutlineByJsts(lotPoly, a, b) {
  const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const e = 1e-3;
  const dot = polygon([[[mx - e, my - e], [mx + e, my - e], [mx + e, my + e], [mx - e, my + e]]]);
  return distance(boundary(lotPoly), dot) < 0.05;
}

test('the band edges off the lot outline are the ones JSTS picks, on every lot of every site', () => {
  let kept = 0;
  let dropped = 0;
  for (const site of Object.values(vectors.sites)) {
    for (const lot of site.lots) {
      const frame = lotFrame(site, lot);
      const all = segmentsOf(boundary(intersection(frame.nearBand, frame.lotPoly)));
      const want = all.filter(([a, b]) => !onOutlineByJsts(frame.lotPoly, a, b));
      assert.deepEqual(frame.roadSetbackSegments, want, `${lot.id}`);
      kept += want.length;
      dropped += all.length - want.length;
    }
  }
  assert.ok(kept > 0 && dropped > 0, `kept ${kept}, dropped ${dropped}`);
});

test('a lot with no road gives an empty band and no band edges', () => {
  const site = { roads: [] };
  const lot = { polygon: [[[0, 0], [10, 0], [10, 10], [0, 10]]], rules: { min_setback_road_m: 5 } };
  const frame = lotFrame(site, lot);
  assert.deepEqual(frame.roadSetbackSegments, []);
  assert.equal(frame.lotSegments.length, 4);
});
