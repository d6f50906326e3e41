// Build the viewer into dist/: one classic script (an IIFE: ES modules do not
// load from file://), its style sheet and the page. `npm run build`.
import { build } from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
// ZACVIZ_NO_MINIFY=1 keeps names readable for a profile.
const common = { bundle: true, minify: !process.env.ZACVIZ_NO_MINIFY, logLevel: 'warning', legalComments: 'eof' };
await build({
  ...common,
  entryPoints: [`${root}src/main.js`],
  outfile: `${dist}/viewer.js`,
  format: 'iife',
  target: 'es2020', // every phone browser of the last four years
  // three.js, jsts and fflate licences stay at the end of the bundle.
});
// The rule engine for the Web Worker: a classic script that holds the
// worker's bundle as a string (window.ZACVIZ_CHECKER); the page loads it from
// its own folder when a check is big and starts the worker from a Blob URL of
// it (file:// refuses `new Worker('file:…')`).
const worker = await build({
  ...common,
  entryPoints: [`${root}src/worker.js`],
  format: 'iife',
  target: 'es2020',
  write: false,
});
const source = worker.outputFiles[0].text;
await writeFile(`${dist}/checker.js`, `window.ZACVIZ_CHECKER=${JSON.stringify(source).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')};\n`);
await build({ ...common, entryPoints: [`${root}src/viewer.css`], outfile: `${dist}/viewer.css` });
await copyFile(`${root}src/index.html`, `${dist}/index.html`);
console.log('built dist/index.html, dist/viewer.js, dist/checker.js, dist/viewer.css');
