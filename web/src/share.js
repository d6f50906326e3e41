// Sharing links (SPEC §5): `#p=` + base64url (no padding) of raw DEFLATE of
// the UTF-8 project JSON. Mirrors zacviz/export/share.py.
import { Inflate, deflateSync } from 'fflate';
import { loads, ProjectError } from './project.js';
import { fragmentPayload } from './fragment.js';

const MAX_PROJECT_BYTES = 2000000;
const MAX_FRAGMENT_CHARS = 2000000;

export { fragmentPayload };

// Compressed bytes handed to the inflater at a time: DEFLATE expands at most
// about 1,032 times, so one step never holds more than ~1 MB before the size
// check below can stop a decompression bomb.
const INFLATE_STEP = 1024;

function base64urlToBytes(text) {
  // Padding is not written (SPEC §5) but tolerated, as zacviz.export.share does.
  const match = /^([A-Za-z0-9_-]*)={0,2}$/.exec(text);
  if (!match || match[1].length % 4 === 1) throw new ProjectError('link: damaged (not base64url text)');
  const payload = match[1];
  const b64 = payload.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (payload.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The project JSON text of a payload; ProjectError when it is damaged. */
export function decodePayload(payload) {
  if (!payload) throw new ProjectError('link: the project part is empty');
  if (payload.length > MAX_FRAGMENT_CHARS) throw new ProjectError('link: too long to be a project');
  const raw = base64urlToBytes(payload);
  const chunks = [];
  let size = 0;
  let ended = false;
  const inflate = new Inflate((chunk, final) => {
    size += chunk.length;
    if (size > MAX_PROJECT_BYTES) throw new ProjectError('link: the project is too large');
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    if (!raw.length) inflate.push(raw, true);
    for (let at = 0; at < raw.length && !ended; at += INFLATE_STEP) {
      inflate.push(raw.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= raw.length);
    }
  } catch (e) {
    if (e instanceof ProjectError) throw e;
    // fflate's error code 0 is "unexpected EOF": the link was cut short.
    if (e && e.code === 0) throw new ProjectError('link: damaged (truncated)');
    throw new ProjectError('link: damaged (cannot be decompressed)');
  }
  if (!ended) throw new ProjectError('link: damaged (truncated)');
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw new ProjectError('link: damaged (not UTF-8 text)');
  }
}

/** The validated project a fragment carries. */
export function decodeFragment(hash) {
  const payload = fragmentPayload(hash);
  if (payload === null) throw new ProjectError('link: no project in it (expected #p=...)');
  return decodeLink(payload);
}

/** The validated project of a fragment's `p` value. */
export function decodeLink(payload) {
  try {
    return loads(decodePayload(payload));
  } catch (e) {
    if (e instanceof ProjectError && !e.message.startsWith('link:')) throw new ProjectError(`link: ${e.message}`);
    throw e;
  }
}

/** The fragment (without '#') for a project document (used by the tests). */
export function encodeFragment(doc) {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  return `p=${bytesToBase64url(deflateSync(bytes, { level: 9 }))}`;
}
