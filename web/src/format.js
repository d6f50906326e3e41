// Number formatting identical to zacviz/i18n.py (Python's format(), which
// rounds the exact binary value half-to-even, and French separators).

const NNBSP = '\u202f'; // narrow no-break space: French thousands separator
const NBSP = '\u00a0';

/** Python's `f"{x:.{d}f}"` (no grouping). */
export function toFixedPy(x, d) {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  let text = ax.toFixed(d);
  // An exact tie (x * 10^d ends in .5 exactly) rounds half-to-even in Python,
  // half-up in JavaScript. x * 2^(d+1) odd is exactly that case.
  const t = ax * 2 ** (d + 1);
  if (Number.isSafeInteger(t) && t % 2 === 1) {
    const lower = Math.floor(ax * 10 ** d);
    const n = lower % 2 === 0 ? lower : lower + 1;
    const digits = String(n).padStart(d + 1, '0');
    text = d ? `${digits.slice(0, -d)}.${digits.slice(-d)}` : digits;
  }
  return neg ? `-${text}` : text;
}

/** Python's `round(x, d)` for d >= 0. */
export function roundPy(x, d) {
  return Number.parseFloat(toFixedPy(x, d));
}

/** `1234.5` → `1 234,5` (fr) or `1,234.5` (en), as i18n.fmt_number. */
export function fmtNumber(x, decimals = 1, lang = 'fr') {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  let text = toFixedPy(x, decimals);
  if (text.startsWith('-') && Number.parseFloat(text) === 0) text = text.slice(1);
  const neg = text.startsWith('-');
  if (neg) text = text.slice(1);
  let [int, frac] = text.split('.');
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  text = (neg ? '-' : '') + int + (frac !== undefined ? `.${frac}` : '');
  if (lang === 'fr') text = text.replace(/,/g, '\0').replace(/\./g, ',').replace(/\0/g, NNBSP);
  return text;
}

export function fmtPercent(ratio, decimals = 1, lang = 'fr') {
  return `${fmtNumber(ratio * 100, decimals, lang)}${lang === 'fr' ? NBSP : ''}%`;
}

/** Python str.format for the `{name}` fields the catalogue uses. */
export function fillTemplate(template, fields) {
  return template.replace(/\{(\w+)\}/g, (m, key) => (key in fields ? String(fields[key]) : m));
}
