/**
 * The one rule for names an analyst gives things (datasets, tuning studies): 1 to 100 letters, digits,
 * dots, dashes or underscores. The CLI, the IPC contract and the app's forms all use it, so a name
 * made at one door can be shown and selected at every other. Pure: no Node, no DOM.
 */

export const NAME_MAX = 100;
export const NAME_PATTERN = /^[\w.-]{1,100}$/;
export const NAME_RULE = `1 to ${NAME_MAX} letters, digits, dots, dashes or underscores`;

/** Why a name breaks the rule (one short phrase), or null when it is fine. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > NAME_MAX) return `is ${name.length} characters long (at most ${NAME_MAX})`;
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find((c) => !/[\w.-]/.test(c)) ?? '';
    return `contains ${describe(bad)}; use ${NAME_RULE}`;
  }
  return null;
}

function describe(c: string): string {
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === '\t') return 'a tab';
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).padStart(4, '0')})`;
  return `'${c}'`;
}

/** Turns any text (a file name, say) into a name that follows the rule. */
export function toName(text: string, fallback = 'dataset'): string {
  return (
    text
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback
  );
}
