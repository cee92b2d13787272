/**
 * Errors a user can meet. Each carries a one-line message that says what is wrong and where; the CLI
 * prints it without a stack trace and exits with the error's code.
 */
export class ShotcastError extends Error {
  override name = 'ShotcastError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** Bad data: a file that cannot be read, a row that breaks a fatal rule, an empty result. Exit code 1. */
export class DataError extends ShotcastError {
  override name = 'DataError';
  constructor(
    message: string,
    readonly where?: { file?: string; line?: number; column?: string | number },
  ) {
    super(where ? `${formatWhere(where)}: ${message}` : message, 1);
  }
}

/** A command line or argument that does not make sense. Exit code 2. */
export class UsageError extends ShotcastError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}

export function formatWhere(w: { file?: string; line?: number; column?: string | number }): string {
  const parts: string[] = [];
  if (w.file) parts.push(w.file);
  if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.column !== undefined)
    parts.push(`column ${typeof w.column === 'number' ? w.column : `'${w.column}'`}`);
  return parts.join(', ');
}

/** The user cancelled a long job; the doors say "cancelled", not an error. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}
