// Port of the essential validation of zacviz/io/project_file.py: a shared
// project is untrusted input. Every problem throws a ProjectError whose
// one-line message names the field, as the Python reader does.

import { pointInRing } from './geometry.js';
import { ringIsSimple } from './ring.js';
import { rectCorners } from './engine.js';

export const FORMAT = 'zacviz-project';
export const VERSION = 1;
export const USES = ['office', 'workshop', 'warehouse', 'retail'];
export const ROOFS = ['flat', 'shed', 'gable', 'sawtooth'];
export const SURFACE_KINDS = ['parking', 'yard', 'storage'];
const MAX_SIZE_M = 5000;
const MAX_HEIGHT_M = 1000;
const MAX_STOREYS = 200;
const MAX_STALLS = 100000;
const MAX_COORD = 1e8;
const MAX_VERTICES = 10000;
// SPEC §2 limits, as zacviz/io/project_file.py enforces them.
export const MAX_BUILDINGS = 1000;
export const MAX_SURFACES = 1000;
export const MAX_ID_CHARS = 64;
export const MAX_TITLE_CHARS = 200;
export const MAX_REACH_M = 10000;
export const MAX_DEPTH = 64;
const SITE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class ProjectError extends Error {}

function show(v) {
  if (Array.isArray(v) && v.length > 8) return '[...]';
  if (isObject(v) && Object.keys(v).length > 8) return '{...}';
  let text;
  try {
    text = JSON.stringify(v);
  } catch {
    text = String(v);
  }
  if (text === undefined) text = String(v);
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function number(v, where, { positive = false, limit = null } = {}) {
  if (typeof v !== 'number') throw new ProjectError(`${where}: must be a number (got ${show(v)})`);
  if (!Number.isFinite(v)) throw new ProjectError(`${where}: must be a finite number`);
  if (positive && v <= 0) throw new ProjectError(`${where}: must be greater than 0 (got ${show(v)})`);
  if (limit !== null && Math.abs(v) > limit) {
    throw new ProjectError(`${where}: ${show(v)} is out of range (at most ${limit})`);
  }
  return v;
}

function integer(v, where, min, max) {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ProjectError(`${where}: must be an integer (got ${show(v)})`);
  }
  if (v < min || v > max) throw new ProjectError(`${where}: must be between ${min} and ${max} (got ${v})`);
  return v;
}

function string(v, where, allowEmpty = false, limit = null) {
  if (typeof v !== 'string') throw new ProjectError(`${where}: must be a string (got ${show(v)})`);
  if (!allowEmpty && !v.trim()) throw new ProjectError(`${where}: must not be empty`);
  // Python counts code points, not UTF-16 units.
  if (limit !== null && v.length > limit) {
    const n = [...v].length;
    if (n > limit) throw new ProjectError(`${where}: too long (${n} characters, at most ${limit})`);
  }
  return v;
}

/** User text quoted in a message: one printable line of at most 80 characters. */
export function echo(text, limit = 80) {
  let one = String(text).split(/\s+/).filter(Boolean).join(' ');
  one = one.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const chars = [...one];
  return `'${chars.length <= limit ? one : `${chars.slice(0, limit - 1).join('')}…`}'`;
}

function siteId(v, where = 'site') {
  const text = string(v, where);
  if (!SITE_ID.test(text)) {
    throw new ProjectError(
      `${where}: ${echo(text)} is not a site id (lowercase letters, digits and hyphens, at most ${MAX_ID_CHARS} characters)`,
    );
  }
  return text;
}

function choice(v, where, choices) {
  if (!choices.includes(v)) {
    throw new ProjectError(`${where}: must be one of ${choices.join(', ')} (got ${show(v)})`);
  }
  return v;
}

function object(v, where) {
  if (!isObject(v)) throw new ProjectError(`${where}: must be an object (got ${show(v)})`);
  return v;
}

function require(obj, key, where) {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) {
    throw new ProjectError(where ? `${where}.${key}: missing` : `${key}: missing`);
  }
  return obj[key];
}

function polygonArea(pts) {
  // Relative to the first vertex: Lambert-93 coordinates are ~10⁶–10⁷ m and
  // their products would drown a small area in rounding noise.
  const [x0, y0] = pts[0];
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x1, y1] = pts[i];
    const [x2, y2] = pts[(i + 1) % pts.length];
    s += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  }
  return Math.abs(s) / 2;
}

function parsePolygon(v, where) {
  if (!Array.isArray(v)) throw new ProjectError(`${where}: must be a list of [x, y] points`);
  if (v.length > MAX_VERTICES) throw new ProjectError(`${where}: too many vertices (${v.length} > ${MAX_VERTICES})`);
  // A sound coordinate passes at once; the field's name is written only for an error.
  const coord = (x, i, k) => (typeof x === 'number' && Math.abs(x) <= MAX_COORD ? x
    : number(x, `${where}[${i}][${k}]`, { limit: MAX_COORD }));
  let pts = v.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) throw new ProjectError(`${where}[${i}]: must be a point [x, y] (got ${show(p)})`);
    return [coord(p[0], i, 0), coord(p[1], i, 1)];
  });
  if (pts.length > 1 && pts[0][0] === pts.at(-1)[0] && pts[0][1] === pts.at(-1)[1]) pts = pts.slice(0, -1);
  if (pts.length < 3) throw new ProjectError(`${where}: a polygon needs at least 3 distinct points`);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  if (Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) > MAX_SIZE_M) {
    throw new ProjectError(`${where}: polygon is larger than ${MAX_SIZE_M} m`);
  }
  let simple;
  try {
    simple = ringIsSimple(pts);
  } catch {
    simple = false;
  }
  if (!simple) throw new ProjectError(`${where}: self-intersecting polygon`);
  if (polygonArea(pts) <= 1e-6) throw new ProjectError(`${where}: polygon has no area`);
  return v;
}

function parseFootprint(v, where) {
  const obj = object(v, where);
  const kinds = ['rect', 'polygon'].filter((k) => k in obj);
  if (kinds.length !== 1) throw new ProjectError(`${where}: must have exactly one of rect, polygon`);
  if (kinds[0] === 'rect') {
    const w = `${where}.rect`;
    const r = object(obj.rect, w);
    number(require(r, 'cx', w), `${w}.cx`, { limit: MAX_COORD });
    number(require(r, 'cy', w), `${w}.cy`, { limit: MAX_COORD });
    number(require(r, 'width', w), `${w}.width`, { positive: true, limit: MAX_SIZE_M });
    number(require(r, 'depth', w), `${w}.depth`, { positive: true, limit: MAX_SIZE_M });
    if ('angle_deg' in r) number(r.angle_deg, `${w}.angle_deg`, { limit: 1e6 });
    return { rect: { cx: r.cx, cy: r.cy, width: r.width, depth: r.depth, angle_deg: r.angle_deg ?? 0 } };
  }
  return { polygon: parsePolygon(obj.polygon, `${where}.polygon`).map((p) => [p[0], p[1]]) };
}

function parseBuilding(v, where) {
  const obj = object(v, where);
  return {
    id: string(require(obj, 'id', where), `${where}.id`, false, MAX_ID_CHARS),
    use: choice(require(obj, 'use', where), `${where}.use`, USES),
    height_m: number(require(obj, 'height_m', where), `${where}.height_m`, { positive: true, limit: MAX_HEIGHT_M }),
    storeys: integer(obj.storeys ?? 1, `${where}.storeys`, 1, MAX_STOREYS),
    roof: choice(obj.roof ?? 'flat', `${where}.roof`, ROOFS),
    footprint: parseFootprint(require(obj, 'footprint', where), `${where}.footprint`),
  };
}

function parseSurface(v, where) {
  const obj = object(v, where);
  const kind = choice(require(obj, 'kind', where), `${where}.kind`, SURFACE_KINDS);
  let stalls = null;
  if (obj.stalls != null) {
    if (kind !== 'parking') throw new ProjectError(`${where}.stalls: only a parking surface has stalls (kind is ${kind})`);
    stalls = integer(obj.stalls, `${where}.stalls`, 0, MAX_STALLS);
  }
  return {
    id: string(require(obj, 'id', where), `${where}.id`, false, MAX_ID_CHARS),
    kind,
    stalls,
    footprint: parseFootprint(require(obj, 'footprint', where), `${where}.footprint`),
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;

/** Whether any text of the document (keys included) holds a lone surrogate; no field names written. */
function hasInvalidText(value) {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const v of value) if ((typeof v === 'string' || (v !== null && typeof v === 'object')) && hasInvalidText(v)) return true;
    return false;
  }
  for (const [k, v] of Object.entries(value)) if (LONE_SURROGATE.test(k) || hasInvalidText(v)) return true;
  return false;
}

function checkText(value, where) {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) {
      throw new ProjectError(`${where || 'project'}: text holds an invalid character`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkText(v, `${where}[${i}]`));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      checkText(k, where);
      checkText(v, where ? `${where}.${k}` : k);
    }
  }
}

/**
 * Refuse a document nested deeper than `limit` (without recursing). An array
 * of plain values (a point) is looked at where it stands instead of being
 * stacked: a link of 60,000 vertices took a quarter of a second otherwise.
 */
export function checkDepth(doc, limit = MAX_DEPTH) {
  const stack = [doc];
  const depths = [1];
  while (stack.length) {
    const value = stack.pop();
    const depth = depths.pop();
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) throw new ProjectError(`project: nested too deeply (more than ${limit} levels)`);
    const values = Array.isArray(value) ? value : Object.values(value);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || typeof v !== 'object') continue;
      if (depth < limit && Array.isArray(v) && isFlat(v)) continue;
      stack.push(v);
      depths.push(depth + 1);
    }
  }
}

function isFlat(array) {
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    if (v !== null && typeof v === 'object') return false;
  }
  return true;
}

/** Validate a decoded project document; returns a clean copy (known keys only). */
export function projectFromDict(doc) {
  checkDepth(doc);
  const obj = object(doc, 'project');
  // Field names are written only for a document that has invalid text (10,000-vertex rings are long to name).
  if (hasInvalidText(obj)) checkText(obj, '');
  if (obj.format !== FORMAT) throw new ProjectError(`format: must be '${FORMAT}' (got ${show(obj.format)})`);
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ProjectError(`version: must be an integer (got ${show(version)})`);
  }
  if (version > VERSION) {
    throw new ProjectError(`version: ${version} is newer than this viewer understands (${VERSION})`);
  }
  if (version < VERSION) throw new ProjectError(`version: ${version} is not supported (expected ${VERSION})`);
  const site = siteId(require(obj, 'site', ''));
  const lot = string(require(obj, 'lot', ''), 'lot', false, MAX_ID_CHARS);
  const title = string(obj.title ?? '', 'title', true, MAX_TITLE_CHARS);
  const b = obj.buildings ?? [];
  const s = obj.surfaces ?? [];
  if (!Array.isArray(b)) throw new ProjectError('buildings: must be a list');
  if (!Array.isArray(s)) throw new ProjectError('surfaces: must be a list');
  if (b.length > MAX_BUILDINGS) throw new ProjectError(`buildings: too many (${b.length}, at most ${MAX_BUILDINGS})`);
  if (s.length > MAX_SURFACES) throw new ProjectError(`surfaces: too many (${s.length}, at most ${MAX_SURFACES})`);
  const buildings = b.map((x, i) => parseBuilding(x, `buildings[${i}]`));
  const surfaces = s.map((x, i) => parseSurface(x, `surfaces[${i}]`));
  const seen = new Map();
  [...buildings.map((x, i) => [`buildings[${i}]`, x]), ...surfaces.map((x, i) => [`surfaces[${i}]`, x])].forEach(
    ([where, item]) => {
      if (seen.has(item.id)) throw new ProjectError(`${where}.id: duplicate id ${echo(item.id)} (also ${seen.get(item.id)})`);
      seen.set(item.id, where);
    },
  );
  return { format: FORMAT, version, site, lot, title, buildings, surfaces };
}

/** Parse JSON text then validate (a leading byte order mark is allowed). */
export function loads(text) {
  let doc;
  try {
    doc = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text);
  } catch (e) {
    throw new ProjectError(`not valid JSON: ${e.message}`);
  }
  return projectFromDict(doc);
}

function footprintVertices(fp) {
  return fp.polygon ? fp.polygon : rectCorners(fp.rect);
}

function pointRingDistance(p, ring) {
  let best = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[(i + 1) % ring.length];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len2)) : 0;
    best = Math.min(best, Math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy)));
  }
  return best;
}

/**
 * Refuse a validated project with a vertex farther than 10 km from its lot
 * (SPEC §2), as zacviz.io.project_file.check_reach does. `lotRing` is the lot's
 * outer ring, [[x, y], ...].
 */
export function checkReach(project, lotRing, limit = MAX_REACH_M) {
  const items = [
    ...project.buildings.map((b, i) => [`buildings[${i}]`, b.footprint]),
    ...project.surfaces.map((s, i) => [`surfaces[${i}]`, s.footprint]),
  ];
  for (const [where, fp] of items) {
    for (const p of footprintVertices(fp)) {
      if (!pointInRing(p[0], p[1], lotRing) && pointRingDistance(p, lotRing) > limit) {
        throw new ProjectError(`${where}.footprint: more than ${limit / 1000} km from lot ${echo(project.lot)}`);
      }
    }
  }
}

/** A project document as SPEC §2 writes it (stalls only when typed). */
export function projectToDict(doc) {
  return {
    format: FORMAT,
    version: VERSION,
    site: doc.site,
    lot: doc.lot,
    title: doc.title || '',
    buildings: doc.buildings.map((b) => ({
      id: b.id, use: b.use, height_m: b.height_m, storeys: b.storeys ?? 1, roof: b.roof ?? 'flat', footprint: b.footprint,
    })),
    surfaces: doc.surfaces.map((s) => {
      const out = { id: s.id, kind: s.kind };
      if (s.stalls != null) out.stalls = s.stalls;
      out.footprint = s.footprint;
      return out;
    }),
  };
}
