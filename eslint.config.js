import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The core runs under plain Node (CLI, tests, web host): only the Electron shell may import electron.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/index.ts', 'src/main/shell/**', 'src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only the Electron shell (src/main/index.ts, src/main/shell/) may import electron.',
            },
          ],
        },
      ],
    },
  },
  // The doors are thin: CLI commands and IPC handlers reach the core only through the use-case layer
  // (src/main/app/) and src/shared. The door-level exceptions are util/errors.ts (the errors a door
  // maps to an exit code or a one-line reply) and, for the IPC dispatcher, util/failure.ts (which logs a
  // real bug's stack). IPC files may import their siblings. Tests, and the helpers only tests import
  // (`testing.ts`), are not doors.
  thinDoor(
    'src/cli/commands/**/*.ts',
    // ../../main/<anything but app/ or util/errors.ts>
    '^\\.\\./\\.\\./main/(?!app/|util/errors\\.ts$)',
    'A CLI command calls the core only through the use-case layer (src/main/app/).',
  ),
  thinDoor(
    'src/main/ipc/**/*.ts',
    // ../<anything but app/, util/errors.ts or util/failure.ts>; ../../shared/ is outside src/main
    '^\\.\\./(?!app/|util/(errors|failure)\\.ts$|\\.\\./shared/)',
    'An IPC handler calls the core only through the use-case layer (src/main/app/).',
  ),
);

/** The electron rule above, plus one import pattern a door may not use. */
function thinDoor(files, regex, message) {
  return {
    files: [files],
    ignores: ['**/*.test.ts', '**/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only the Electron shell (src/main/index.ts, src/main/shell/) may import electron.',
            },
          ],
          patterns: [{ regex, message }],
        },
      ],
    },
  };
}
