// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * `main/core` is the plain-Node engine shared by the app, the command line and the tests.
 * It must never load Electron at runtime; type-only imports are fine (they vanish on build).
 */
export const coreMustNotImportElectron = {
  files: [
    'main/core/**/*.ts',
    // The app services and the contract are plain Node too: the browser test harness runs them.
    'main/app-services/**/*.ts',
    'main/ipc/ipc-contract.ts',
    'main/ipc/ipc-handlers.ts',
    'main/ipc/api-names.ts',
    'main/ipc/renderer-api.ts',
    'main/tray/tray-menu-model.ts',
    'main/tray/tray-actions.ts',
    'renderer/**/*.{ts,tsx}',
  ],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: 'electron',
            message: 'main/core runs without Electron (tests, CLI): take what you need as a parameter instead.',
            allowTypeImports: true,
          },
        ],
        patterns: [
          {
            group: ['electron/*'],
            message: 'main/core runs without Electron (tests, CLI): take what you need as a parameter instead.',
            allowTypeImports: true,
          },
        ],
      },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\u002F|$)/]",
        message: 'main/core must not require Electron at runtime.',
      },
      {
        selector: 'ImportExpression[source.value=/^electron(\\u002F|$)/]',
        message: 'main/core must not import Electron at runtime.',
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'dist-test/', 'out/', 'release/', 'coverage/', 'test-results/', 'docs/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
  },
  coreMustNotImportElectron,
);
