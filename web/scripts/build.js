// Build the viewer into dist/: one classic script (an IIFE: ES modules do not
// load from file://), its style sheet and the page. `npm run build`.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
const common = { bundle: true, minify: true, logLevel: 'warning', legalComments: 'eof' };
await build({
  ...common,
  entryPoints: [`${root}src/main.js`],
  outfile: `${dist}/viewer.js`,
  format: 'iife',
  target: 'es2020', // every phone browser of the last four years
  // three.js, jsts and fflate licences stay at the end of the bundle.
});
await build({ ...common, entryPoints: [`${root}src/viewer.css`], outfile: `${dist}/viewer.css` });
await copyFile(`${root}src/index.html`, `${dist}/index.html`);
console.log('built dist/index.html, dist/viewer.js, dist/viewer.css');
