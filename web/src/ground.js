// The aerial image of the ground, decoded as early as the page can and off the
// main thread: the first frame waits for it, so its decoding runs while the
// rest of the page starts (the 3D scene is built, the panel drawn).
//
// imagery-first.js holds the JPEG of the first frame as a data: URL
// (window.ZACVIZ_IMAGERY_FIRST: the image, no longer than 1024 px), and
// imagery.js the full image (window.ZACVIZ_IMAGERY), which the page loads
// after its first frame and lays over the small one. The CSP
// lets no fetch read it, so its base64 text is turned into a Blob here and
// handed to createImageBitmap, which decodes in a worker thread. Browsers
// without createImageBitmap decode it with an <img> and `decode()`.
import { runScriptOnce } from './dom.js';

function blobOf(dataUrl) {
  const comma = dataUrl.indexOf(',');
  const head = dataUrl.slice(5, comma); // "image/jpeg;base64"
  if (comma < 0 || !/;base64$/.test(head)) return null;
  const bin = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: head.slice(0, -7) });
}

function viaElement(src) {
  const image = new Image();
  image.decoding = 'async';
  image.src = src;
  const decoded = typeof image.decode === 'function'
    ? image.decode()
    : new Promise((resolve, reject) => { image.onload = resolve; image.onerror = reject; });
  // An <img> is uploaded the right way up when the texture flips it (three.js' default).
  return decoded.then(() => ({ image, flipY: true }));
}

async function decode(src) {
  if (typeof createImageBitmap === 'function' && typeof Blob === 'function') {
    try {
      const blob = blobOf(src);
      if (blob) {
        // WebGL does not flip an ImageBitmap on upload: it is decoded upside down instead.
        const image = await createImageBitmap(blob, { imageOrientation: 'flipY' });
        return { image, flipY: false };
      }
    } catch {
      // Fall through to the <img> path (an old engine refusing the options).
    }
  }
  return viaElement(src);
}

const decoding = new Map();

function decodeGlobal(name) {
  if (!decoding.has(name)) {
    const src = window[name];
    decoding.set(name, typeof src === 'string' && src.startsWith('data:image/')
      ? decode(src).catch(() => null)
      : Promise.resolve(null));
  }
  return decoding.get(name);
}

/** Whether the page has a ground image to wait for. */
export function hasGroundImage() {
  return typeof window.ZACVIZ_IMAGERY_FIRST === 'string' || typeof window.ZACVIZ_IMAGERY === 'string';
}

/**
 * The first frame's ground image, decoding from the first call on: the copy
 * of imagery-first.js (small), else the image of imagery.js when the page has
 * it. Resolves to {image: ImageBitmap | HTMLImageElement, flipY}, or to null
 * when there is no image or it cannot be decoded.
 */
export function groundImage() {
  return decodeGlobal(typeof window.ZACVIZ_IMAGERY_FIRST === 'string' ? 'ZACVIZ_IMAGERY_FIRST' : 'ZACVIZ_IMAGERY');
}

/**
 * The full image, when the first frame had a smaller copy of it (imagery.js
 * is loaded for it): same form as groundImage(), or null.
 * @param {object|null} placement the export's `imagery` ({width, height, first})
 */
export function fullGroundImage(placement) {
  const first = placement && placement.first;
  if (!first || (first.width === placement.width && first.height === placement.height)) return Promise.resolve(null);
  // imagery.js is not loaded before the first frame; if it fails, the small image stays.
  return runScriptOnce('imagery.js', 'ZACVIZ_IMAGERY').then(() => decodeGlobal('ZACVIZ_IMAGERY'), () => null);
}
