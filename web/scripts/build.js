// Build the viewer into dist/: classic scripts (IIFEs: ES modules do not load
// from file://), its style sheet and the page. `npm run build`.
//
// Two scripts for the page: viewer.js, what the first frame needs (three.js,
// the scene, the panel), and editor.js, run after the first frame (the link's
// decoder, the editor, the rule engine with jsts). The modules both use are
// the page's instances: in editor.js, an import of one of CORE_MODULES reads
// window.ZACVIZ_CORE, which viewer.js sets (main.js).
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

const CORE_MODULES = ['i18n', 'dom', 'scene', 'linkcheck'];
const fromCore = {
  name: 'from-core',
  setup(b) {
    const filter = new RegExp(`^\\./(${CORE_MODULES.join('|')})\\.js$`);
    b.onResolve({ filter }, (args) => ({ path: filter.exec(args.path)[1], namespace: 'core' }));
    b.onLoad({ filter: /.*/, namespace: 'core' }, async (args) => {
      const source = await readFile(`${root}src/${args.path}.js`, 'utf8');
      const names = [...source.matchAll(/^export (?:async )?(?:function\*?|class|const|let|var) ([A-Za-z_$][\w$]*)/gm)]
        .map((m) => m[1]);
      if (!names.length || /^export \{|^export default/m.test(source)) {
        throw new Error(`src/${args.path}.js: list its exports as declarations for editor.js`);
      }
      const lines = names.map((n) => `export const ${n} = m.${n};`);
      return { contents: `const m = window.ZACVIZ_CORE.${args.path};\n${lines.join('\n')}\n`, loader: 'js' };
    });
  },
};
const editor = await build({
  ...common,
  entryPoints: [`${root}src/tools.js`],
  outfile: `${dist}/editor.js`,
  format: 'iife',
  target: 'es2020',
  plugins: [fromCore],
  metafile: true,
});
const copied = Object.keys(editor.metafile.inputs).filter((f) => /node_modules\/three\//.test(f));
if (copied.length) throw new Error(`editor.js would hold a second three.js (${copied[0]})`);
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
console.log('built dist/index.html, dist/viewer.js, dist/editor.js, dist/checker.js, dist/viewer.css');
