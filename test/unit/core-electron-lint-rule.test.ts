import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that keeps `main/core` free of Electron at runtime, run on probe sources with the
 * project's real ESLint config (type-aware rules off: the probes are not files in the project).
 */
async function lint(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({
    overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { projectService: false, project: null } } }],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const RESTRICTED = /no-restricted-(imports|syntax)/;

describe('lint: main/core never imports electron at runtime', () => {
  it.each([
    ["import { safeStorage } from 'electron';\nexport const s = safeStorage;\n"],
    ["import * as electron from 'electron/main';\nexport const e = electron;\n"],
    ["export const load = () => import('electron');\n"],
    ["import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const e: unknown = require('electron');\n"],
  ])('refuses %j', async (code) => {
    const messages = await lint(code, 'main/core/probe.ts');
    expect(messages.some((m) => RESTRICTED.test(m)), messages.join('\n')).toBe(true);
  });

  it('allows a type-only import in main/core', async () => {
    const messages = await lint("import type { SafeStorage } from 'electron';\nexport type S = SafeStorage;\n", 'main/core/probe.ts');
    expect(messages.filter((m) => RESTRICTED.test(m))).toEqual([]);
  });

  it('allows electron outside main/core (the Electron shell)', async () => {
    const messages = await lint("import { app } from 'electron';\nexport const a = app;\n", 'main/app-lifecycle.ts');
    expect(messages.filter((m) => RESTRICTED.test(m))).toEqual([]);
  });
});
