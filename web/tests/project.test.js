// Link validation names the field at fault, also now that sound documents are
// checked without writing field names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDepth, projectFromDict } from '../src/project.js';

const square = [[0, 0], [10, 0], [10, 10], [0, 10]];
const doc = (extra = {}) => ({
  format: 'zacviz-project', version: 1, site: 'belle-assise', lot: 'A1', title: 'Un projet',
  buildings: [{ id: 'b0', use: 'office', height_m: 8, storeys: 1, roof: 'flat', footprint: { polygon: square } }],
  surfaces: [],
  ...extra,
});
const refused = (d, message) => assert.throws(() => projectFromDict(d), (e) => e.message === message, message);

test('a lone surrogate anywhere is refused, naming its field', () => {
  refused(doc({ title: 'a\ud800b' }), 'title: text holds an invalid character');
  const b = doc();
  b.buildings[0].id = '\udc00';
  refused(b, 'buildings[0].id: text holds an invalid character');
  refused(doc({ extra: { deep: ['ok', ['\ud83d']] } }), 'extra.deep[1][0]: text holds an invalid character');
  refused(doc({ ['key\ud800']: 1 }), 'project: text holds an invalid character');
  // A pair is a character.
  assert.equal(projectFromDict(doc({ title: 'a\ud83d\ude00b' })).title, 'a\ud83d\ude00b');
});

test('a bad coordinate is refused, naming its point', () => {
  const at = (v) => {
    const d = doc();
    d.buildings[0].footprint.polygon = square.map((p, i) => (i === 2 ? [10, v] : p));
    return d;
  };
  refused(at('10'), 'buildings[0].footprint.polygon[2][1]: must be a number (got "10")');
  refused(at(Infinity), 'buildings[0].footprint.polygon[2][1]: must be a finite number');
  refused(at(NaN), 'buildings[0].footprint.polygon[2][1]: must be a finite number');
  refused(at(2e8), 'buildings[0].footprint.polygon[2][1]: 200000000 is out of range (at most 100000000)');
  assert.deepEqual(projectFromDict(at(10)).buildings[0].footprint.polygon, square);
});

test('nesting is counted to the last level, a list of plain values included (as Python counts it)', () => {
  // `levels` containers one in the other, the innermost a list of numbers or an object.
  const nested = (levels, inner) => {
    let value = inner;
    for (let k = 1; k < levels; k++) value = [value];
    return value;
  };
  const deep = 'project: nested too deeply (more than 64 levels)';
  for (const inner of [[1, 2], { a: 1 }, []]) {
    checkDepth(nested(64, inner));
    assert.throws(() => checkDepth(nested(65, inner)), (e) => e.message === deep);
    assert.throws(() => checkDepth({ a: 1, b: [[0, 0], nested(64, inner)] }), (e) => e.message === deep);
  }
  checkDepth({ a: [[0, 0], [1, 1]], b: null, c: 'x' }, 3);
  assert.throws(() => checkDepth({ a: [[0, 0], [1, [1]]] }, 3), (e) => e.message.includes('more than 3 levels'));
  // A big ring of points is read in one pass, not a stack entry per point.
  const ring = Array.from({ length: 60000 }, (_, i) => [i, i + 1]);
  checkDepth({ buildings: [{ footprint: { polygon: ring } }] });
});
