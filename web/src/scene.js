// The 3D scene: the aerial image as the ground, the lots coloured by status,
// the existing buildings and the project buildings extruded. Site coordinates
// are metres east (x) and north (y) of the site origin; everything hangs under
// one group turned so that its z axis points up, and nothing is drawn unless
// the view changed (phones keep their battery, software GL keeps up).
import {
  AmbientLight, BufferGeometry, Fog, Color, DirectionalLight, DoubleSide, ExtrudeGeometry, Group,
  HemisphereLight, LineBasicMaterial, LineLoop, LineSegments, Mesh, MeshBasicMaterial, MeshLambertMaterial,
  PerspectiveCamera, PlaneGeometry, Raycaster, SRGBColorSpace, Scene, Shape, ShapeGeometry, Texture, TOUCH,
  Vector2, Vector3, WebGLRenderer, BufferAttribute, Float32BufferAttribute, MathUtils,
} from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { prismOutline } from './outline.js';
import { flatArrays, prismArrays } from './prism.js';
import { ShapeCache, concatFloats, mergeTriangles, partOfFace } from './batch.js';
import { groundImage, hasGroundImage } from './ground.js';

export const STATUS_COLOURS = { available: '#25a05a', reserved: '#e3a21a', sold: '#9aa3ad', not_for_sale: '#9aa3ad' };
const PROJECT_COLOUR = '#f4f1ea';
const FAULT_COLOUR = '#e0463c';
const CONTEXT_COLOUR = '#b9b2a6';
export const SURFACE_COLOURS = { parking: '#5d646c', yard: '#8d8578', storage: '#7a6f62' };

/** True when this browser can give the page a WebGL context. */
export function webglAvailable() {
  try {
    const canvas = document.createElement('canvas');
    return Boolean(window.WebGLRenderingContext && (canvas.getContext('webgl2') || canvas.getContext('webgl')));
  } catch {
    return false;
  }
}

function shapeOf(rings) {
  const [outer, ...holes] = rings;
  const shape = new Shape(outer.map(([x, y]) => new Vector2(x, y)));
  for (const hole of holes) shape.holes.push(new Shape(hole.map(([x, y]) => new Vector2(x, y))));
  return shape;
}

/** A geometry of merged triangle arrays (see batch.js). */
function batchGeometry({ position, normal }) {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new BufferAttribute(position, 3));
  if (normal) geometry.setAttribute('normal', new BufferAttribute(normal, 3));
  return geometry;
}

// A project's shapes, kept while their footprint and height stay (a recolour
// after a check, or an edit of one item, rebuilds only what changed). No
// floors: the camera stays above the ground (controls below), so a floor
// only ever faces away from it.
const prisms = new ShapeCache((rings, height) => ({
  ...prismArrays(rings, height, { floor: false }),
  outline: prismOutline(rings, height),
}));
const flats = new ShapeCache((rings) => flatArrays(rings));

function outline(ring, z, material) {
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(ring.flatMap(([x, y]) => [x, y, z]), 3));
  return new LineLoop(geometry, material);
}

export class ParkScene {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} data the site data (window.ZACVIZ_DATA)
   */
  constructor(canvas, data) {
    this.canvas = canvas;
    this.data = data;
    this.renderer = new WebGLRenderer({ canvas, antialias: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    const sky = new Color('#dde6ea');
    this.renderer.setClearColor(sky);
    this.scene = new Scene();
    // The fields around the image fade into the sky instead of ending in a hard edge.
    this.scene.fog = new Fog(sky, 2000, 8000);
    this.camera = new PerspectiveCamera(40, 1, 1, 20000);
    this.site = new Group();
    this.site.rotation.x = -Math.PI / 2; // site z up = three.js y up
    this.scene.add(this.site);
    this.scene.add(new HemisphereLight('#ffffff', '#8c8a78', 1.6));
    this.scene.add(new AmbientLight('#ffffff', 0.35));
    const sun = new DirectionalLight('#fffaf0', 1.9);
    sun.position.set(-300, 600, 400); // from the south-west, high
    this.scene.add(sun);

    this.lotMeshes = new Map();
    this.projectGroup = new Group();
    this.site.add(this.projectGroup);
    this.pickables = [];
    this.selected = null;
    this.listeners = new Set();
    this.frames = 0;
    this.onFrame = null;

    this._buildGround();
    this._buildLots();
    this._buildContext();
    this._buildControls();
    this._pending = false;
    this.resize();
    new ResizeObserver(() => this.resize()).observe(canvas);
  }

  // ------------------------------------------------------------ building

  _buildGround() {
    const { imagery, site } = this.data;
    const [x0, y0, x1, y1] = imagery ? imagery.bounds : site.bounds.map((v, i) => v + (i < 2 ? -80 : 80));
    // The ground layers write no depth and are drawn first, in order: what lies
    // on them never fights them for depth, however far the camera is.
    const fields = new Mesh(
      new PlaneGeometry(40000, 40000), new MeshBasicMaterial({ color: '#b9c19c', depthWrite: false }),
    );
    fields.position.set((x0 + x1) / 2, (y0 + y1) / 2, 0);
    fields.renderOrder = -2;
    this.site.add(fields);
    const geometry = new PlaneGeometry(x1 - x0, y1 - y0);
    const material = new MeshBasicMaterial({ color: '#cfd8c6', depthWrite: false });
    const ground = new Mesh(geometry, material);
    ground.position.set((x0 + x1) / 2, (y0 + y1) / 2, 0);
    ground.renderOrder = -1;
    this.site.add(ground);
    this.ground = ground;
    // Nothing is drawn before the ground has its image (see requestRender):
    // one frame, the first, is the park over its aerial image.
    this.groundReady = !(imagery && hasGroundImage());
    if (!this.groundReady) {
      groundImage().then((decoded) => {
        if (decoded) {
          performance.mark('zacviz-imagery'); // decoded (bench_web.py reads it)
          this.setGroundImage(decoded);
        }
        this.groundReady = true;
        this.requestRender();
      });
    }
  }

  /** Lay a decoded image ({image, flipY}, ground.js) on the ground, in place of the last one. */
  setGroundImage({ image, flipY }) {
    const material = this.ground.material;
    const texture = new Texture(image);
    texture.flipY = flipY;
    texture.colorSpace = SRGBColorSpace;
    texture.anisotropy = Math.min(4, this.renderer.capabilities.getMaxAnisotropy());
    texture.needsUpdate = true;
    const old = material.map;
    old?.dispose();
    old?.image?.close?.(); // an ImageBitmap's pixels
    material.map = texture;
    material.color.set('#ffffff');
    material.needsUpdate = true;
    this.requestRender();
  }

  _buildLots() {
    const lineMaterials = {};
    for (const lot of this.data.lots) {
      const colour = STATUS_COLOURS[lot.status] || STATUS_COLOURS.sold;
      const fill = new MeshBasicMaterial({
        color: colour, transparent: true, opacity: lot.status === 'available' ? 0.34 : 0.22,
        depthWrite: false, side: DoubleSide,
      });
      const mesh = new Mesh(new ShapeGeometry(shapeOf(lot.polygon)), fill);
      mesh.position.z = 0.2;
      mesh.renderOrder = 1;
      mesh.userData = { kind: 'lot', id: lot.id, baseOpacity: fill.opacity };
      this.site.add(mesh);
      lineMaterials[colour] ||= new LineBasicMaterial({ color: colour });
      const line = outline(lot.polygon[0], 0.35, lineMaterials[colour]);
      this.site.add(line);
      this.lotMeshes.set(lot.id, { mesh, line, lot });
      this.pickables.push(mesh);
    }
    this.selectionLine = null;
  }

  _buildContext() {
    const material = new MeshLambertMaterial({ color: CONTEXT_COLOUR });
    for (const c of this.data.context || []) {
      const height = c.height_m || 8;
      const mesh = new Mesh(new ExtrudeGeometry(shapeOf(c.polygon), { depth: height, bevelEnabled: false }), material);
      mesh.userData = { kind: 'context', id: c.id, name: c.name, height_m: height };
      this.site.add(mesh);
      this.pickables.push(mesh);
    }
  }

  _buildControls() {
    const controls = new OrbitControls(this.camera, this.canvas);
    controls.enableDamping = false;
    controls.screenSpacePanning = false;
    // Never below the ground: the buildings are drawn without floors (see `prisms`).
    controls.maxPolarAngle = MathUtils.degToRad(84);
    controls.minDistance = 25;
    controls.maxDistance = 4000;
    controls.touches = { ONE: TOUCH.ROTATE, TWO: TOUCH.DOLLY_PAN };
    controls.keyPanSpeed = 25;
    controls.listenToKeyEvents(this.canvas);
    controls.addEventListener('change', () => this.requestRender());
    controls.addEventListener('start', () => { this.framed = null; });
    this.controls = controls;

    // A tap (or click) that barely moved picks what is under it.
    let down = null;
    this.canvas.addEventListener('pointerdown', (e) => {
      down = e.isPrimary ? { x: e.clientX, y: e.clientY, t: performance.now() } : null;
    });
    this.canvas.addEventListener('pointerup', (e) => {
      if (!down || !e.isPrimary) return;
      const moved = Math.hypot(e.clientX - down.x, e.clientY - down.y);
      if (moved < 8 && performance.now() - down.t < 600) this._pick(e.clientX, e.clientY);
      down = null;
    });
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key === '+' || e.key === '=') this.zoom(1.25);
      else if (e.key === '-' || e.key === '_') this.zoom(0.8);
    });
  }

  // ------------------------------------------------------------- project

  /**
   * Show one project: `view` has `buildings` and `surfaces` with rings relative
   * to the site origin, and the ids at fault.
   */
  showProject(view) {
    for (const child of [...this.projectGroup.children]) {
      this.projectGroup.remove(child);
      child.geometry?.dispose();
    }
    this.pickables = this.pickables.filter((p) => p.parent !== null && p.parent !== undefined);
    if (!view) {
      this.requestRender();
      return;
    }
    const faults = new Set(view.faults || []);
    this.materials ||= {
      walls: [new MeshLambertMaterial({ color: PROJECT_COLOUR }), new MeshLambertMaterial({ color: FAULT_COLOUR })],
      edges: new LineBasicMaterial({ color: '#4a4f55' }),
      surfaces: new Map(),
    };
    const { materials } = this;
    // The surfaces: one mesh per colour, whatever their number.
    const byColour = new Map();
    for (const s of view.surfaces) {
      const colour = faults.has(s.id) ? FAULT_COLOUR : SURFACE_COLOURS[s.kind] || '#777';
      if (!byColour.has(colour)) byColour.set(colour, []);
      byColour.get(colour).push(flats.get(s.footprint || s.polygon, 0, s.polygon));
    }
    for (const [colour, parts] of byColour) {
      if (!materials.surfaces.has(colour)) {
        materials.surfaces.set(colour, new MeshBasicMaterial({ color: colour, side: DoubleSide }));
      }
      const mesh = new Mesh(batchGeometry(mergeTriangles(parts)), materials.surfaces.get(colour));
      mesh.position.z = 0.5;
      mesh.renderOrder = 2;
      this.projectGroup.add(mesh);
    }
    // The buildings: one mesh in two groups (sound, at fault), one line set
    // for every outline; a face hit by a tap names its building (partOfFace).
    const sound = view.buildings.filter((b) => !faults.has(b.id));
    const faulty = view.buildings.filter((b) => faults.has(b.id));
    const ordered = [...sound, ...faulty];
    if (ordered.length) {
      const parts = ordered.map((b) => prisms.get(b.footprint || b.polygon, b.height_m, b.polygon, b.height_m));
      const merged = mergeTriangles(parts);
      const geometry = batchGeometry(merged);
      const split = merged.starts[sound.length] * 3;
      geometry.addGroup(0, split, 0);
      geometry.addGroup(split, merged.starts[ordered.length] * 3 - split, 1);
      const mesh = new Mesh(geometry, materials.walls);
      mesh.position.z = 0.5;
      mesh.userData = {
        kind: 'buildings',
        count: ordered.length,
        pick: (face) => {
          const k = partOfFace(merged.starts, face);
          return k < 0 ? null : { kind: 'building', id: ordered[k].id, building: ordered[k] };
        },
      };
      this.projectGroup.add(mesh);
      this.pickables.push(mesh);
      const lines = new LineSegments(batchGeometry({ position: concatFloats(parts.map((p) => p.outline)) }), materials.edges);
      lines.position.z = 0.5;
      this.projectGroup.add(lines);
    }
    // What a tapped rule has at fault: drawn over everything, seen through the
    // buildings; one mesh however many zones (same colour and opacity, so
    // where zones overlap the picture is the same as one mesh each).
    const highlights = (view.highlights || []).filter((ring) => ring.length >= 3);
    if (highlights.length) {
      materials.highlight ||= new MeshBasicMaterial({
        color: FAULT_COLOUR, transparent: true, opacity: 0.7, depthTest: false, side: DoubleSide,
      });
      const mesh = new Mesh(
        batchGeometry(mergeTriangles(highlights.map((ring) => flatArrays([ring])))), materials.highlight,
      );
      mesh.position.z = 1;
      mesh.renderOrder = 10;
      this.projectGroup.add(mesh);
    }
    this.requestRender();
  }

  // ------------------------------------------------------------ selection

  onPick(listener) {
    this.listeners.add(listener);
  }

  _pick(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const ray = new Raycaster();
    ray.setFromCamera(ndc, this.camera);
    const hit = ray.intersectObjects(this.pickables, false)[0];
    const batch = hit && hit.object.userData.pick;
    const picked = hit ? (batch ? batch(hit.faceIndex) : hit.object.userData) : null;
    for (const l of this.listeners) l(picked);
  }

  /** Outline a lot (or nothing) and fade the others a little. */
  selectLot(id) {
    this.selected = id;
    if (this.selectionLine) {
      this.site.remove(this.selectionLine);
      this.selectionLine.geometry.dispose();
      this.selectionLine = null;
    }
    for (const [lotId, { mesh }] of this.lotMeshes) {
      mesh.material.opacity = lotId === id ? 0.55 : mesh.userData.baseOpacity;
    }
    const entry = id && this.lotMeshes.get(id);
    if (entry) {
      this.selectionLine = outline(entry.lot.polygon[0], 0.6, new LineBasicMaterial({ color: '#ffffff' }));
      this.site.add(this.selectionLine);
    }
    this.requestRender();
  }

  // --------------------------------------------------------------- camera

  /** Aim at a box of the site (x0, y0, x1, y1), seen from the south, all of it in view. */
  frame([x0, y0, x1, y1], { top = false } = {}) {
    // Until the visitor moves the view, a new size of the view re-frames the same box.
    this.framed = { box: [x0, y0, x1, y1], top };
    const aspect = this.camera.aspect || 1;
    const vfov = MathUtils.degToRad(this.camera.fov);
    const hfov = 2 * Math.atan(Math.tan(vfov / 2) * aspect);
    // A first guess: the box's circle fits the narrower field of view...
    let dist = Math.max(60, Math.hypot(x1 - x0, y1 - y0) / 2 / Math.sin(Math.min(vfov, hfov) / 2));
    const tilt = MathUtils.degToRad(top ? 0.5 : 38); // from the vertical
    const target = new Vector3((x0 + x1) / 2, 0, -(y0 + y1) / 2);
    const corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]].map(([x, y]) => new Vector3(x, 0, -y));
    const place = () => {
      this.camera.position.set(target.x, Math.cos(tilt) * dist, target.z + Math.sin(tilt) * dist);
      this.camera.lookAt(target);
      this.camera.updateMatrixWorld();
    };
    // ...then a few steps that centre the box's picture and make it fill 90 % of the view.
    for (let i = 0; i < 4; i++) {
      place();
      const ndc = corners.map((c) => c.clone().project(this.camera));
      const xs = ndc.map((v) => v.x);
      const ys = ndc.map((v) => v.y);
      const [minx, maxx, miny, maxy] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const ground = this._groundAt((minx + maxx) / 2, (miny + maxy) / 2);
      if (ground) target.add(new Vector3().subVectors(ground, target).multiplyScalar(1));
      dist *= Math.max(maxx - minx, maxy - miny) / 2 / 0.9;
    }
    place();
    this.controls.target.copy(target);
    this.controls.update();
    this.requestRender();
  }

  /** The ground point (y = 0) seen at a point of the view (normalised device coordinates). */
  _groundAt(nx, ny) {
    const ray = new Raycaster();
    ray.setFromCamera(new Vector2(nx, ny), this.camera);
    const { origin, direction } = ray.ray;
    if (Math.abs(direction.y) < 1e-6) return null;
    const t = -origin.y / direction.y;
    return t > 0 ? origin.clone().addScaledVector(direction, t) : null;
  }

  frameSite(options) {
    this.frame(this.data.site.bounds, options);
  }

  frameLot(id) {
    const entry = this.lotMeshes.get(id);
    if (!entry) return;
    const pts = entry.lot.polygon[0];
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const pad = 25;
    this.frame([Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad]);
  }

  zoom(factor) {
    this.framed = null;
    // OrbitControls multiplies the distance by the scale dollyIn is given.
    this.controls.dollyIn(1 / factor);
  }

  rotate(degrees) {
    this.framed = null;
    this.controls.rotateLeft(MathUtils.degToRad(degrees));
  }

  /** How many pixels `metres` spans at a site point, seen from the camera. */
  pixelsPer(x, y, metres) {
    const a = this.toScreen(x, y);
    const b = this.toScreen(x + metres, y);
    return a && b ? Math.hypot(b.x - a.x, b.y - a.y) : 0;
  }

  /** Where a site point (x, y, z up) is on the page, or null when behind the camera. */
  toScreen(x, y, z = 0) {
    const v = new Vector3(x, z, -y).project(this.camera);
    if (v.z > 1) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + ((v.x + 1) / 2) * rect.width, y: rect.top + ((1 - v.y) / 2) * rect.height };
  }

  // -------------------------------------------------------------- drawing

  resize() {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (!width || !height) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    if (this.framed) this.frame(this.framed.box, { top: this.framed.top });
    this.requestRender();
  }

  /**
   * Draw no frame until `promise` settles, nor longer than `maxMs`: what
   * changes meanwhile (a big project shown, the full ground image laid) is
   * drawn in one frame then, not in one frame each (each is a long frame in
   * software GL: the upload and the drawing of every wall again). A later
   * hold replaces an earlier one.
   */
  holdFrames(promise, maxMs) {
    const hold = {};
    this._hold = hold;
    const release = () => {
      clearTimeout(timer);
      if (this._hold !== hold) return;
      this._hold = null;
      if (this._held) {
        this._held = false;
        this.requestRender();
      }
    };
    const timer = setTimeout(release, maxMs);
    Promise.resolve(promise).then(release, release);
  }

  requestRender() {
    if (this._hold) {
      this._held = true; // drawn once the hold ends
      return;
    }
    // Until the ground has its image, a frame would be drawn twice (software GL: twice the cost).
    if (this._pending || !this.groundReady) return;
    this._pending = true;
    requestAnimationFrame(() => {
      this._pending = false;
      if (this._hold) {
        this._held = true; // asked for before the hold began
        return;
      }
      // Clip planes and fog follow the distance to the target (zoom changes it).
      const d = this.camera.position.distanceTo(this.controls.target);
      this.camera.near = Math.max(0.5, d / 400);
      this.camera.far = Math.max(5000, d * 40);
      this.camera.updateProjectionMatrix();
      this.scene.fog.near = d * 1.6;
      this.scene.fog.far = d * 6;
      this.renderer.render(this.scene, this.camera);
      this.frames += 1;
      if (this.onFrame) this.onFrame(this);
    });
  }
}
