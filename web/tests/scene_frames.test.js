// The frames the 3D view draws (ParkScene.requestRender, holdFrames), counted
// without a GL context: a big project shown and the full ground image laid
// are one frame when the view is held for the image, not one frame each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerspectiveCamera, Vector3 } from 'three';
import { ParkScene } from '../src/scene.js';

/** Animation frames run by hand: `flush()` runs the callbacks due. */
const frames = [];
globalThis.requestAnimationFrame = (callback) => frames.push(callback);
function flush() {
  for (const callback of frames.splice(0)) callback(0);
}

function view() {
  const scene = Object.create(ParkScene.prototype);
  Object.assign(scene, {
    groundReady: true,
    camera: new PerspectiveCamera(),
    controls: { target: new Vector3(0, 0, -100) },
    scene: { fog: {} },
    drawn: 0,
    frames: 0,
    onFrame: null,
  });
  scene.renderer = { render: () => { scene.drawn += 1; } };
  return scene;
}

const tick = (ms = 0) => new Promise((resolve) => { setTimeout(resolve, ms); });

test('without a hold, a change after a frame is drawn is a frame of its own', () => {
  const scene = view();
  scene.requestRender(); // the project shown
  flush();
  scene.requestRender(); // the full image laid
  flush();
  assert.equal(scene.drawn, 2);
});

test('held for the full image: the project shown and the image laid are one frame', async () => {
  const scene = view();
  scene.requestRender(); // the project shown: its frame asked for
  let lay;
  const image = new Promise((resolve) => { lay = resolve; }).then(() => scene.requestRender());
  scene.holdFrames(image, 10000);
  flush(); // the frame asked for before the hold is not drawn
  assert.equal(scene.drawn, 0);
  scene.requestRender(); // a view change meanwhile
  flush();
  assert.equal(scene.drawn, 0);
  lay(); // decoded and laid
  await image;
  await tick();
  flush();
  assert.equal(scene.drawn, 1);
  assert.equal(frames.length, 0, 'nothing more to draw');
  scene.requestRender(); // the hold is over: a change is drawn again
  flush();
  assert.equal(scene.drawn, 2);
});

test('a hold ends after its longest wait, an image that never comes included', async () => {
  const scene = view();
  scene.requestRender();
  scene.holdFrames(new Promise(() => {}), 20);
  flush();
  assert.equal(scene.drawn, 0);
  await tick(40);
  flush();
  assert.equal(scene.drawn, 1);
});

test('a hold with nothing asked meanwhile draws nothing when it ends', async () => {
  const scene = view();
  scene.holdFrames(Promise.resolve(), 1000);
  await tick();
  flush();
  assert.equal(scene.drawn, 0);
});
