// The `p` parameter of a page address' fragment (SPEC §5), apart from the
// link's decoding (share.js) so that the page's first script can tell whether
// it opens a shared project without loading the decoder.

/** The `p` value of a fragment such as `#p=...&x=1`, or null when there is none. */
export function fragmentPayload(hash) {
  const text = (hash || '').replace(/^#/, '');
  for (const part of text.split('&')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i) === 'p') return part.slice(i + 1);
  }
  return null;
}
