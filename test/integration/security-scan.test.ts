import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findingsFromSarif, formatReport, loadElectronegativity, securityScan, type ScanReport } from '../../scripts/security-scan.js';

/**
 * `npm run security-scan` (Electronegativity, offline) as part of `npm test`: the app's sources
 * must have no unjustified finding; and the gate itself must catch what it is there to catch.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const tool = loadElectronegativity();
const skipReason = 'missing' in tool ? tool.missing : undefined;
if (skipReason) console.warn(`SKIP security scan: ${skipReason}`);

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A tiny app to scan: files relative to its root. */
function fixtureApp(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aat-scan-fixture-'));
  temps.push(root);
  for (const [path, text] of Object.entries({ 'package.json': '{"name":"fixture","devDependencies":{"electron":"40.8.5"}}', ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const INSECURE_WINDOW = `import { BrowserWindow } from 'electron';
export function open(): BrowserWindow {
  return new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });
}
`;

function unjustified(report: ScanReport): string[] {
  return report.findings.filter((f) => !f.justified).map((f) => `${f.rule} ${f.file ?? '-'}:${f.line}`);
}

describe.skipIf(skipReason !== undefined)(`security scan (Electronegativity)${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('finds nothing unjustified in the app (main/, renderer/, package.json), offline', async () => {
    const report = await securityScan();
    console.log(formatReport(report));
    expect(report.checks.atomic).toBeGreaterThanOrEqual(30);
    expect(report.scannedFiles).toBeGreaterThan(20);
    expect(report.blockedRequests).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it('reports an insecure window with file and line, and fails', async () => {
    const root = fixtureApp({ 'main/main.ts': INSECURE_WINDOW });
    const report = await securityScan({ root, sources: ['main', 'package.json'] });
    expect(unjustified(report)).toEqual(
      expect.arrayContaining(['NODE_INTEGRATION_JS_CHECK main/main.ts:3', 'CONTEXT_ISOLATION_JS_CHECK main/main.ts:3', 'SANDBOX_JS_CHECK main/main.ts:3']),
    );
    expect(report.problems.some((p) => p.startsWith('NODE_INTEGRATION_JS_CHECK at main/main.ts:3:') && p.endsWith('not justified.'))).toBe(true);
    expect(report.blockedRequests).toEqual([]);
  });

  it('takes a justification in a comment only with a reason, and flags stale ones and eng-disable', async () => {
    const root = fixtureApp({
      'main/main.ts': `import { BrowserWindow } from 'electron';
export function open(): BrowserWindow[] {
  // electronegativity-ignore: SANDBOX_JS_CHECK -- this fixture window loads nothing but a test page
  const a = new BrowserWindow({ webPreferences: { sandbox: false, nodeIntegration: false, contextIsolation: true } });
  // electronegativity-ignore: SANDBOX_JS_CHECK
  const b = new BrowserWindow({ webPreferences: { sandbox: false, nodeIntegration: false, contextIsolation: true } });
  // electronegativity-ignore: NODE_INTEGRATION_JS_CHECK -- nothing here enables Node, so this matches nothing
  const c = new BrowserWindow({ webPreferences: { nodeIntegration: true } }); /* eng-disable NODE_INTEGRATION_JS_CHECK */
  return [a, b, c];
}
`,
    });
    const report = await securityScan({ root, sources: ['main', 'package.json'] });
    const sandbox = report.findings.filter((f) => f.rule === 'SANDBOX_JS_CHECK' && f.file === 'main/main.ts');
    expect(sandbox.find((f) => f.line === 4)?.justified).toEqual({ by: 'comment', reason: 'this fixture window loads nothing but a test page' });
    expect(sandbox.find((f) => f.line === 6)?.justified).toBeUndefined();
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^main\/main\.ts:5: the justification for SANDBOX_JS_CHECK has no reason/),
        expect.stringMatching(/^main\/main\.ts:7: the justification for NODE_INTEGRATION_JS_CHECK matches no finding/),
        expect.stringMatching(/^main\/main\.ts:8: Electronegativity's eng-disable comment hides findings without a reason/),
      ]),
    );
  });

  it('takes justifications from the file by rule, file, line text and exact count', async () => {
    const justifications = (entries: object[]): string => JSON.stringify({ justifications: entries });
    const root = fixtureApp({
      'main/main.ts': INSECURE_WINDOW,
      'build/electronegativity-justifications.json': justifications([
        { rule: 'SANDBOX_JS_CHECK', file: 'main/main.ts', line: 'new BrowserWindow(', count: 1, reason: 'a fixture: the window only ever shows a test page' },
        { rule: 'NODE_INTEGRATION_JS_CHECK', file: 'main/main.ts', count: 1, reason: 'too short' },
      ]),
    });
    // A justification without a reason is an error, and the file counts for nothing until fixed.
    const report = await securityScan({ root, sources: ['main', 'package.json'] });
    expect(report.problems).toEqual(expect.arrayContaining([expect.stringMatching(/justifications\.json: justifications\.1\.reason: give the reason/)]));
    expect(report.findings.filter((f) => f.justified)).toEqual([]);

    // Fixed: it justifies by rule, file and line text; a miscount and a stale entry are caught.
    writeFileSync(
      join(root, 'build/electronegativity-justifications.json'),
      justifications([
        { rule: 'SANDBOX_JS_CHECK', file: 'main/main.ts', line: 'new BrowserWindow(', count: 1, reason: 'a fixture: the window only ever shows a test page' },
        { rule: 'CONTEXT_ISOLATION_JS_CHECK', file: 'main/main.ts', count: 2, reason: 'a fixture: miscounted on purpose, there is one' },
        { rule: 'AUXCLICK_JS_CHECK', file: 'main/gone.ts', count: 1, reason: 'a fixture: this file does not exist any more' },
      ]),
    );
    const again = await securityScan({ root, sources: ['main', 'package.json'] });
    expect(again.findings.find((f) => f.rule === 'SANDBOX_JS_CHECK')?.justified).toEqual({ by: 'justifications file', reason: 'a fixture: the window only ever shows a test page' });
    expect(again.findings.find((f) => f.rule === 'CONTEXT_ISOLATION_JS_CHECK')?.justified).toBeUndefined();
    expect(again.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/CONTEXT_ISOLATION_JS_CHECK in main\/main\.ts is for 2 finding\(s\) but 1 match/),
        expect.stringMatching(/AUXCLICK_JS_CHECK in main\/gone\.ts matches no finding any more/),
      ]),
    );
  });

  it('`npm run security-scan` exits 0 and writes SARIF with every finding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aat-scan-sarif-'));
    temps.push(dir);
    const sarif = join(dir, 'scan.sarif');
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const run = spawnSync(process.execPath, [tsx, 'scripts/security-scan.ts', '--sarif', sarif], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout).toContain('OK: no unjustified findings.');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const findings = findingsFromSarif(readFileSync(sarif, 'utf8'));
    expect(run.stdout).toContain(`${findings.length} finding(s), ${findings.length} justified`);
  });
});
