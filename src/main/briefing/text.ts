/**
 * Making untrusted text safe to print. Names come from files an analyst imports and from the command
 * line, so they may hold markup, control characters, bidi overrides that would reverse the rest of a
 * line, or 500 characters where a table column has room for 30.
 */

// C0/C1 controls, bidi embeddings/overrides/isolates, marks and zero-width joiners used for spoofing.
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** Removes control and bidi-override characters, folds whitespace, and caps the length (in code points). */
export function cleanText(value: unknown, maxChars = 200): string {
  const s = (value === undefined || value === null ? '' : String(value))
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(UNSAFE, '')
    .trim();
  const chars = Array.from(s);
  return chars.length > maxChars ? chars.slice(0, maxChars - 1).join('') + '…' : s;
}

/** True when the text has a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, NKo, presentation forms). */
export function hasRtl(s: string): boolean {
  return /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/.test(s);
}

/**
 * Cuts text to fit a width, with an ellipsis; `measure` gives the printed width of a string. Binary search
 * on code points keeps it O(log n) measurements even for very long names.
 */
export function fitText(text: string, width: number, measure: (s: string) => number): string {
  if (measure(text) <= width) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('') + '…') <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : chars.slice(0, lo).join('').trimEnd() + '…';
}

/** A CSV field: quoted when needed, and defused against spreadsheet formula injection (=, +, -, @). */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
