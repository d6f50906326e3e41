// Sharing links (SPEC §5): the viewer reads the links the Python side makes,
// and refuses the broken ones naming the same problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeFragment, encodeFragment, fragmentPayload } from '../src/share.js';
import { ProjectError } from '../src/project.js';

const { links } = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

test('reads every link the Python side made', () => {
  assert.ok(links.good.length >= 4);
  for (const link of links.good) {
    const doc = decodeFragment(`#${link.fragment}`);
    assert.equal(doc.title, link.title);
    assert.equal(doc.lot, link.lot);
  }
});

test('a hostile title comes back as the same text', () => {
  const link = links.good.find((l) => l.title.includes('<img'));
  assert.equal(decodeFragment(link.fragment).title, '<img src=x onerror=alert(1)> «é» 🏭');
});

test('refuses broken links with the message Python gives', () => {
  assert.ok(links.broken.length >= 6);
  for (const link of links.broken) {
    assert.throws(() => decodeFragment(`#${link.fragment}`), (e) => {
      assert.ok(e instanceof ProjectError, `${link.fragment}: ${e}`);
      // "link: <problem>" or "link: <field>: <problem>": the same problem, or the same field.
      const head = (m) => m.split(': ').slice(0, 2).join(': ');
      assert.equal(head(e.message), head(link.message), `${link.fragment}: ${e.message}`);
      return true;
    });
  }
});

test('the fragment key is found among other parameters', () => {
  assert.equal(fragmentPayload('#lang=en&p=abc'), 'abc');
  assert.equal(fragmentPayload('#x=1'), null);
  assert.equal(fragmentPayload(''), null);
});

test('round trip through the JavaScript encoder', () => {
  const doc = decodeFragment(links.good[0].fragment);
  assert.deepEqual(decodeFragment(encodeFragment(doc)), doc);
});

test('a zip bomb is refused, not inflated', async () => {
  const { deflateSync } = await import('fflate');
  const { bytesToBase64url } = await import('../src/share.js');
  const huge = new Uint8Array(3_000_000).fill(32);
  const fragment = `p=${bytesToBase64url(deflateSync(huge, { level: 9 }))}`;
  assert.throws(() => decodeFragment(fragment), /too large/);
});

test('a decompression bomb stops at 2 MB: quickly, without inflating it all', async () => {
  const { deflateSync } = await import('fflate');
  const { bytesToBase64url } = await import('../src/share.js');
  // 64 MB of spaces deflate to about 64 kB: a link that small must not cost 64 MB.
  const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024).fill(32), { level: 9 });
  const fragment = `p=${bytesToBase64url(bomb)}`;
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  assert.throws(() => decodeFragment(fragment), /link: the project is too large/);
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `took ${ms} ms`);
  assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024);
});

test('padding after the payload and a byte order mark are read as Python reads them', () => {
  const good = links.good.filter((l) => l.fragment.endsWith('='));
  assert.ok(good.length >= 1);
  for (const l of good) assert.equal(decodeFragment(l.fragment).lot, l.lot);
});
