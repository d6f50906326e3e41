// The page's DOM helpers. Every text from a site or a project goes in
// through `el` as a text node (never as HTML).

export const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

const scripts = new Map();

/**
 * Run the classic script `src` from the page's folder once (CSP script-src
 * 'self'): resolves to what it hands over in `window[global]`; rejects when
 * it does not load or hands nothing over, and a later call tries again.
 */
export function runScriptOnce(src, global) {
  if (window[global]) return Promise.resolve(window[global]);
  if (!scripts.has(src)) {
    const loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => (window[global] ? resolve(window[global]) : reject(new Error(`${src}: nothing handed over`)));
      script.onerror = () => reject(new Error(`${src} did not load`));
      document.head.append(script);
    });
    loading.catch(() => scripts.delete(src));
    scripts.set(src, loading);
  }
  return scripts.get(src);
}
