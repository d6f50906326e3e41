// Plain coordinate rings <-> JSTS geometries, and the few operations the rule
// engine needs. Coordinates are metres relative to the site origin.
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import Coordinate from 'jsts/org/locationtech/jts/geom/Coordinate.js';
import RelateOp from 'jsts/org/locationtech/jts/operation/relate/RelateOp.js';
import DistanceOp from 'jsts/org/locationtech/jts/operation/distance/DistanceOp.js';
import BufferOp from 'jsts/org/locationtech/jts/operation/buffer/BufferOp.js';
import UnaryUnionOp from 'jsts/org/locationtech/jts/operation/union/UnaryUnionOp.js';
import SnapIfNeededOverlayOp from 'jsts/org/locationtech/jts/operation/overlay/snap/SnapIfNeededOverlayOp.js';
import Orientation from 'jsts/org/locationtech/jts/algorithm/Orientation.js';
import Centroid from 'jsts/org/locationtech/jts/algorithm/Centroid.js';

export const factory = new GeometryFactory();

function closedCoords(points) {
  const coords = points.map(([x, y]) => new Coordinate(x, y));
  const a = points[0];
  const b = points[points.length - 1];
  if (a[0] !== b[0] || a[1] !== b[1]) coords.push(new Coordinate(a[0], a[1]));
  return coords;
}

export function linearRing(points) {
  return factory.createLinearRing(closedCoords(points));
}

/** A polygon from `[exterior, ...holes]` rings (closing vertex optional). */
export function polygon(rings) {
  const [shell, ...holes] = rings;
  return factory.createPolygon(linearRing(shell), holes.map(linearRing));
}

/** A (multi)polygon from a list of polygons given as rings. */
export function multiPolygon(polys) {
  if (polys.length === 1) return polygon(polys[0]);
  return factory.createMultiPolygon(polys.map(polygon));
}

export function isCCW(points) {
  return Orientation.isCCW(closedCoords(points));
}

export const empty = () => factory.createGeometryCollection([]);
export const area = (g) => g.getArea();
export const distance = (a, b) => DistanceOp.distance(a, b);
export const covers = (a, b) => RelateOp.covers(a, b);
export const intersects = (a, b) => RelateOp.intersects(a, b);
export const containsProperly = (a, b) => RelateOp.relate(a, b).matches('T**FF*FF*');
export const intersection = (a, b) => SnapIfNeededOverlayOp.intersection(a, b);
export const difference = (a, b) => SnapIfNeededOverlayOp.difference(a, b);
// 16 segments per quadrant, as shapely's buffer draws its round corners.
export const buffer = (g, d) => BufferOp.bufferOp(g, d, 16);
export const boundary = (g) => g.getBoundary();
/** The centroid of a geometry as `[x, y]`. */
export function centroid(g) {
  const c = Centroid.getCentroid(g);
  return [c.x, c.y];
}

/** The union of a list of geometries (an empty collection for none). */
export function unionAll(geoms) {
  if (!geoms.length) return empty();
  if (geoms.length === 1) return geoms[0];
  return UnaryUnionOp.union(factory.createGeometryCollection(geoms));
}

/** Whether (x, y) lies inside the ring [[x, y], ...] (even-odd rule). */
export function pointInRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
