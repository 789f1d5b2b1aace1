import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * `npm run security-scan`: Doyensec's Electronegativity over the app's sources (main/, renderer/,
 * package.json), failing on every finding that is not justified.
 *
 * Electronegativity itself exits 0 whatever it finds, and with an output file it does not even
 * print the files it could not parse. So this script runs it through its programmatic API (which
 * returns the parse errors too), has it write SARIF, reads the SARIF, and fails (exit 1) on:
 *   - a finding without a justification;
 *   - a file Electronegativity could not parse (a silent false negative otherwise);
 *   - a justification without a reason, a malformed one, or one that no longer matches anything;
 *   - Electronegativity's own `eng-disable` comments, which hide findings without saying why.
 *
 * Justifying a finding, two ways:
 *   1. In the source, on the reported line or in the comment block right above it:
 *        // electronegativity-ignore: SANDBOX_JS_CHECK -- <why this is safe, precisely>
 *      (also inside /* *\/ or <!-- --> comments).
 *   2. Where the source cannot carry a comment (generated files, another team's file, findings
 *      with no line), in build/electronegativity-justifications.json: the rule, the file, text
 *      that the reported line contains, how many findings it covers, and the reason. The count is
 *      exact, so a new occurrence in the same file is reported, not silently covered.
 *
 * TypeScript: Electronegativity parses .ts/.tsx itself with @babel/parser's TypeScript plugin (a
 * current 7.x, which knows `satisfies` and the rest of our syntax), so the sources are scanned as
 * they are, findings point at real lines, and comments can justify them. Should a file ever fail
 * to parse, the scan fails and says which; scanning the esbuild output (out/) is the fallback.
 *
 * No network: Electronegativity fetches updated translations (S3) at every start, and its
 * AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list from GitHub. The
 * scan must give the same answer offline and not hang on a firewall, so `got` (its only HTTP
 * client) is replaced before Electronegativity loads: the translations request is answered
 * "not found" (the bundled en-US texts are used) and any other request fails at once and is
 * reported. The release-list check and ElectronVersionJSONCheck, which only feeds it, are turned
 * off: whether Electron 40.x has newer security releases is a dependency-update question, not a
 * property of our sources.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SOURCES = ['main', 'renderer', 'package.json'] as const;
export const DEFAULT_JUSTIFICATIONS = 'build/electronegativity-justifications.json';
export const DEFAULT_SARIF = 'test-results/electronegativity.sarif';

/** Checks turned off, and why (class names, as Electronegativity's `excludeFromScan` takes them). */
export const EXCLUDED_CHECKS: Readonly<Record<string, string>> = {
  AvailableSecurityFixesGlobalCheck: "downloads Electron's release list from GitHub at every run; Electron updates are tracked as a dependency",
  ElectronVersionJSONCheck: 'only reports the Electron version, as input to AvailableSecurityFixesGlobalCheck',
};

const DIRECTIVE = 'electronegativity-ignore';
const MIN_REASON = 20;
const SCANNED_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx', '.html', '.htm']);

// ---- Electronegativity, offline ----

interface EngIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
}
interface EngResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: EngIssue[];
}
interface EngOptions {
  input: string;
  output: string;
  isSarif: boolean;
  isRelative: boolean;
  isVerbose: boolean;
  customScan: string[];
  excludeFromScan: string[];
  parserPlugins: string[];
}
type EngRun = (options: EngOptions, forCli: boolean) => Promise<EngResult>;

export type ToolLookup = { run: EngRun; version: string } | { missing: string };

const blockedRequests: string[] = [];
let loaded: ToolLookup | undefined;

/** Loads Electronegativity with its HTTP client replaced (see above); once per process. */
export function loadElectronegativity(): ToolLookup {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@doyensec/electronegativity');
  } catch {
    return (loaded = { missing: '@doyensec/electronegativity is not installed (npm ci installs it as a devDependency)' });
  }
  const engRequire = createRequire(entry);
  if (engRequire.cache[entry]) return (loaded = { missing: 'Electronegativity was loaded before its network access could be cut off' });
  const gotPath = engRequire.resolve('got');
  const { i18nSource = '', version } = engRequire('../package.json') as { i18nSource?: string; version: string };
  const offlineGot = (url: unknown): Promise<{ statusCode: number; body: string; headers: Record<string, string> }> => {
    const href = String(url);
    if (i18nSource && href.startsWith(i18nSource)) return Promise.resolve({ statusCode: 404, body: '', headers: {} });
    blockedRequests.push(href);
    return Promise.reject(new Error(`network access is disabled in the security scan (${href})`));
  };
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = offlineGot;
  engRequire.cache[gotPath] = stub;
  return (loaded = { run: engRequire(entry) as EngRun, version });
}

// ---- SARIF ----

const sarifSchema = z.object({
  version: z.string(),
  runs: z.array(
    z.object({
      tool: z.object({ driver: z.object({ name: z.string(), version: z.string().optional() }) }),
      results: z.array(
        z.object({
          ruleId: z.string(),
          level: z.string().optional(),
          message: z.object({ text: z.string() }),
          locations: z
            .array(
              z.object({
                physicalLocation: z.object({
                  artifactLocation: z.object({ uri: z.string() }),
                  region: z.object({ startLine: z.number().int(), startColumn: z.number().int().optional() }).optional(),
                }),
              }),
            )
            .min(1),
        }),
      ),
    }),
  ),
});

export interface Finding {
  rule: string;
  /** Relative to the project root, with forward slashes; undefined for findings about the whole app. */
  file: string | undefined;
  line: number;
  column: number;
  message: string;
  /** The reported line of source, trimmed. */
  source: string | undefined;
  justified?: { by: 'comment' | 'justifications file'; reason: string };
}

export function findingsFromSarif(text: string): Finding[] {
  const sarif = sarifSchema.parse(JSON.parse(text));
  return sarif.runs.flatMap((run) =>
    run.results.map((result): Finding => {
      const location = result.locations[0]?.physicalLocation;
      const uri = location?.artifactLocation.uri ?? 'file:///';
      return {
        rule: result.ruleId,
        file: uri === 'file:///' || uri === 'N/A' ? undefined : uri.split(sep).join('/'),
        line: location?.region?.startLine ?? 1,
        column: location?.region?.startColumn ?? 1,
        message: result.message.text,
        source: undefined,
      };
    }),
  );
}

/** Electronegativity writes its output file asynchronously after resolving; wait for it. */
async function readWhenWritten(path: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = readFileSync(path, 'utf8');
      JSON.parse(text);
      return text;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Electronegativity did not write ${path}: ${String(error)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

// ---- justifications ----

const justificationsSchema = z.object({
  $comment: z.string().optional(),
  justifications: z.array(
    z
      .object({
        rule: z.string().regex(/^[A-Z0-9_]+$/, 'a rule id such as SANDBOX_JS_CHECK'),
        /** Relative to the project root. */
        file: z.string().min(1),
        /** Text that the reported line contains (omit for findings without a source line). */
        line: z.string().min(1).optional(),
        /** Exactly how many findings this covers. */
        count: z.number().int().min(1),
        reason: z.string().trim().min(MIN_REASON, `give the reason, precisely (at least ${MIN_REASON} characters)`),
      })
      .strict(),
  ),
});
export type Justification = z.infer<typeof justificationsSchema>['justifications'][number];

interface Directive {
  file: string;
  /** 1-based. */
  line: number;
  rule: string | undefined;
  reason: string;
  used: boolean;
}

const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|<!--|\{\s*\/\*)|(\*\/|-->)\s*\}?\s*$/;

/** `electronegativity-ignore: RULE -- reason` in any comment style; undefined if the line has none. */
export function parseDirective(text: string): { rule: string | undefined; reason: string } | undefined {
  const at = text.indexOf(DIRECTIVE);
  if (at < 0) return undefined;
  const rest = text
    .slice(at + DIRECTIVE.length)
    .replace(/\s*(\*\/\s*\}?|-->)\s*$/, '')
    .trim();
  const match = /^:\s*([A-Z0-9_]+)\s*(?:--\s*(.*))?$/.exec(rest);
  if (!match) return { rule: undefined, reason: '' };
  return { rule: match[1], reason: (match[2] ?? '').trim() };
}

function walk(dir: string, visit: (path: string) => void): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path);
  }
}

// ---- the scan ----

export interface ScanOptions {
  /** The project root (default: this repository). */
  root?: string;
  /** Folders and files under root to scan. */
  sources?: readonly string[];
  /** Relative to root. */
  justificationsFile?: string;
  /** Where to keep the SARIF report (relative to root or absolute); none if undefined. */
  sarifOut?: string | undefined;
}

export interface ScanReport {
  tool: string;
  sources: readonly string[];
  checks: { atomic: number; global: number };
  scannedFiles: number;
  findings: Finding[];
  /** Everything that fails the scan, one sentence each. */
  problems: string[];
  /** Parse warnings Electronegativity tolerated. */
  warnings: string[];
  /** Network requests that were refused (there should be none). */
  blockedRequests: string[];
  sarifPath: string | undefined;
}

export async function securityScan(options: ScanOptions = {}): Promise<ScanReport> {
  const root = options.root ?? ROOT;
  const sources = options.sources ?? DEFAULT_SOURCES;
  const tool = loadElectronegativity();
  if ('missing' in tool) throw new Error(tool.missing);

  // A staging copy holding only what is scanned, so reported paths are relative to the root.
  const work = mkdtempSync(join(tmpdir(), 'aat-electronegativity-'));
  const stage = join(work, 'app');
  const sarifTemp = join(work, 'electronegativity.sarif');
  const problems: string[] = [];
  const directives: Directive[] = [];
  let scannedFiles = 0;
  try {
    for (const source of sources) {
      if (!existsSync(join(root, source))) {
        problems.push(`${source} does not exist; nothing there was scanned.`);
        continue;
      }
      cpSync(join(root, source), join(stage, source), { recursive: true, filter: (path) => !path.split(sep).includes('node_modules') });
    }
    mkdirSync(stage, { recursive: true });

    // Comments: our justifications, and Electronegativity's own reason-less switch.
    walk(stage, (path) => {
      if (!SCANNED_EXTENSIONS.has(extname(path))) return;
      scannedFiles++;
      const file = relative(stage, path).split(sep).join('/');
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((text, index) => {
          const directive = parseDirective(text);
          if (directive) directives.push({ file, line: index + 1, ...directive, used: false });
          if (/\beng-disable\b/.test(text)) {
            problems.push(`${file}:${index + 1}: Electronegativity's eng-disable comment hides findings without a reason; use "${DIRECTIVE}: <CHECK_ID> -- <reason>" instead.`);
          }
        });
    });
    for (const d of directives) {
      if (!d.rule) problems.push(`${d.file}:${d.line}: malformed justification; write "${DIRECTIVE}: <CHECK_ID> -- <reason>".`);
      else if (d.reason.length < MIN_REASON) problems.push(`${d.file}:${d.line}: the justification for ${d.rule} has no reason (say why, in at least ${MIN_REASON} characters).`);
    }

    const blockedBefore = blockedRequests.length;
    const result = await tool.run(
      {
        input: stage,
        output: sarifTemp,
        isSarif: true,
        isRelative: true,
        isVerbose: false,
        customScan: [],
        excludeFromScan: Object.keys(EXCLUDED_CHECKS).map((name) => name.toLowerCase()),
        parserPlugins: [],
      },
      false,
    );
    const sarifText = await readWhenWritten(sarifTemp);
    const findings = findingsFromSarif(sarifText);
    if (findings.length !== result.issues.length) {
      problems.push(`The SARIF report holds ${findings.length} findings but Electronegativity returned ${result.issues.length}.`);
    }
    const warnings: string[] = [];
    for (const error of result.errors) {
      const file = relative(stage, error.file).split(sep).join('/');
      if (error.tolerable) warnings.push(`${file}: ${error.message}`);
      else problems.push(`${file}: Electronegativity could not parse it, so it was not checked (${error.message}).`);
    }

    // Justify the findings.
    const justificationsFile = options.justificationsFile ?? DEFAULT_JUSTIFICATIONS;
    const justifications = readJustifications(root, justificationsFile, problems);
    const covered = new Map<Justification, Finding[]>(justifications.map((j) => [j, []]));
    const lines = new Map<string, string[]>();
    const linesOf = (file: string): string[] => {
      let cached = lines.get(file);
      if (!cached) {
        cached = existsSync(join(stage, file)) ? readFileSync(join(stage, file), 'utf8').split('\n') : [];
        lines.set(file, cached);
      }
      return cached;
    };
    for (const finding of findings) {
      if (!finding.file) continue;
      const text = linesOf(finding.file);
      finding.source = text[finding.line - 1]?.trim();
      // The reported line, then the comment block right above it.
      const candidates = [finding.line];
      for (let n = finding.line - 1; n >= 1 && COMMENT_LINE.test(text[n - 1] ?? ''); n--) candidates.push(n);
      const directive = directives.find((d) => d.file === finding.file && d.rule === finding.rule && candidates.includes(d.line));
      if (directive) {
        directive.used = true;
        if (directive.reason.length >= MIN_REASON) finding.justified = { by: 'comment', reason: directive.reason };
        continue;
      }
      const entry = justifications.find((j) => j.rule === finding.rule && j.file === finding.file && (j.line === undefined || (finding.source ?? '').includes(j.line)));
      if (entry) covered.get(entry)?.push(finding);
    }
    for (const [entry, matched] of covered) {
      const where = `${justificationsFile}: ${entry.rule} in ${entry.file}`;
      if (matched.length === 0) problems.push(`${where} matches no finding any more; remove it.`);
      else if (matched.length !== entry.count) {
        problems.push(`${where} is for ${entry.count} finding(s) but ${matched.length} match: review the change, then update the count.`);
      } else for (const finding of matched) finding.justified = { by: 'justifications file', reason: entry.reason };
    }
    for (const d of directives) {
      if (d.rule && !d.used) problems.push(`${d.file}:${d.line}: the justification for ${d.rule} matches no finding; remove it.`);
    }
    for (const finding of findings) {
      if (!finding.justified) problems.push(`${describe(finding)}: not justified.`);
    }

    const blocked = blockedRequests.slice(blockedBefore);
    let sarifPath: string | undefined;
    if (options.sarifOut) {
      sarifPath = resolve(root, options.sarifOut);
      mkdirSync(dirname(sarifPath), { recursive: true });
      copyFileSync(sarifTemp, sarifPath);
    }
    return {
      tool: `Electronegativity ${tool.version}`,
      sources,
      checks: { atomic: result.atomicChecks, global: result.globalChecks },
      scannedFiles,
      findings,
      problems: [...problems, ...blocked.map((url) => `Electronegativity tried to reach ${url}; the scan must run offline.`)],
      warnings,
      blockedRequests: blocked,
      sarifPath,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function readJustifications(root: string, file: string, problems: string[]): Justification[] {
  const path = join(root, file);
  if (!existsSync(path)) return [];
  const parsed = justificationsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (parsed.success) return parsed.data.justifications;
  for (const issue of parsed.error.issues) problems.push(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  return [];
}

export function describe(finding: Finding): string {
  const where = finding.file ? `${finding.file}:${finding.line}:${finding.column}` : '(whole app)';
  return `${finding.rule} at ${where}: ${finding.message}${finding.source ? ` [${finding.source.length > 100 ? `${finding.source.slice(0, 97)}...` : finding.source}]` : ''}`;
}

export function formatReport(report: ScanReport): string {
  const out = [
    `${report.tool}: ${report.checks.atomic} atomic and ${report.checks.global} global checks over ${report.scannedFiles} files (${report.sources.join(', ')}), offline.`,
    `Checks turned off: ${Object.entries(EXCLUDED_CHECKS)
      .map(([name, why]) => `${name} (${why})`)
      .join('; ')}.`,
    `${report.findings.length} finding(s), ${report.findings.filter((f) => f.justified).length} justified:`,
  ];
  const reasons = new Set<string>();
  for (const finding of report.findings) {
    out.push(`  ${finding.justified ? 'justified' : 'NOT JUSTIFIED'}  ${describe(finding)}`);
    if (finding.justified) {
      const { by, reason } = finding.justified;
      out.push(`      ${by}: ${reasons.has(reason) ? '(the same reason as above)' : reason}`);
      reasons.add(reason);
    }
  }
  for (const warning of report.warnings) out.push(`  parse warning: ${warning}`);
  if (report.sarifPath) out.push(`SARIF: ${relative(ROOT, report.sarifPath)}`);
  if (report.problems.length > 0) out.push(`FAILED, ${report.problems.length} problem(s):`, ...report.problems.map((p) => `  - ${p}`));
  else out.push('OK: no unjustified findings.');
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--sarif');
  const report = await securityScan({ sarifOut: at > 0 ? process.argv[at + 1] : DEFAULT_SARIF });
  console.log(formatReport(report));
  process.exitCode = report.problems.length > 0 ? 1 : 0;
}
