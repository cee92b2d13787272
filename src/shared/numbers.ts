/**
 * A number for a map legend's ends: two significant digits, plain decimals (no exponent an analyst
 * has to decode), `0` for zero and `< 0.001` for anything positive below it.
 */
export function legendNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  if (Math.abs(v) < 0.001) return v > 0 ? '< 0.001' : '> −0.001';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return String(+v.toPrecision(2));
}

/** A share as a percentage with one decimal: 0.142 → "14.2 %". */
export function percent(share: number): string {
  return `${(100 * share).toFixed(1)} %`;
}
