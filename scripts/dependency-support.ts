/**
 * The logic of `npm run deps:check`, apart from the registry: which Electron major lines are
 * still supported (Electron supports its three newest stable major lines), and how each pinned
 * dependency compares with the newest release.
 */
const STABLE = /^(\d+)\.(\d+)\.(\d+)$/;

function parts(version: string): [number, number, number] | undefined {
  const match = STABLE.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const [x = [0, 0, 0], y = [0, 0, 0]] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The newest `count` major lines that have a stable release, newest first. */
export function supportedElectronMajors(versions: readonly string[], count = 3): number[] {
  const majors = new Set<number>();
  for (const version of versions) {
    const p = parts(version);
    if (p) majors.add(p[0]);
  }
  return [...majors].sort((a, b) => b - a).slice(0, count);
}

export interface DependencyReport {
  name: string;
  pinned: string;
  newest: string;
  /** `current`, `behind` (same major), `major behind`, or `not pinned` (a range, not a version). */
  status: 'current' | 'behind' | 'major behind' | 'not pinned';
}

export function dependencyReport(name: string, pinned: string, newest: string): DependencyReport {
  const p = parts(pinned);
  const n = parts(newest);
  if (!p) return { name, pinned, newest, status: 'not pinned' };
  if (!n || compareVersions(pinned, newest) >= 0) return { name, pinned, newest, status: 'current' };
  return { name, pinned, newest, status: p[0] < n[0] ? 'major behind' : 'behind' };
}

export interface ElectronSupport {
  pinned: string;
  newest: string;
  supportedMajors: number[];
  supported: boolean;
}

export function electronSupport(pinned: string, versions: readonly string[]): ElectronSupport {
  const supportedMajors = supportedElectronMajors(versions);
  const stable = versions.filter((v) => parts(v)).sort(compareVersions);
  const major = parts(pinned)?.[0];
  return { pinned, newest: stable.at(-1) ?? pinned, supportedMajors, supported: major !== undefined && supportedMajors.includes(major) };
}

/** The report as a table and a verdict; `ok` is false when Electron is out of support or a pin is a range. */
export function formatDependencyCheck(electron: ElectronSupport, dependencies: readonly DependencyReport[]): { text: string; ok: boolean } {
  const rows = [
    { name: 'electron', pinned: electron.pinned, newest: electron.newest, status: electron.supported ? `supported (lines ${electron.supportedMajors.join(', ')})` : `OUT OF SUPPORT (supported: ${electron.supportedMajors.join(', ')})` },
    ...dependencies.map((d) => ({ ...d, status: d.status })),
  ];
  const widths = [Math.max(10, ...rows.map((r) => r.name.length)), Math.max(6, ...rows.map((r) => r.pinned.length)), Math.max(6, ...rows.map((r) => r.newest.length))] as const;
  const line = (a: string, b: string, c: string, d: string): string => `${a.padEnd(widths[0])}  ${b.padEnd(widths[1])}  ${c.padEnd(widths[2])}  ${d}`.trimEnd();
  const unpinned = dependencies.filter((d) => d.status === 'not pinned');
  const ok = electron.supported && unpinned.length === 0;
  const verdict = [
    electron.supported
      ? `Electron ${electron.pinned} is on a supported line (${electron.supportedMajors.join(', ')}).`
      : `Electron ${electron.pinned} is out of support: Electron supports only its three newest major lines (${electron.supportedMajors.join(', ')}). Move to Electron ${electron.newest}.`,
    ...unpinned.map((d) => `${d.name} is pinned to the range "${d.pinned}": pin an exact version.`),
  ];
  return { text: [line('package', 'pinned', 'newest', 'status'), ...rows.map((r) => line(r.name, r.pinned, r.newest, r.status)), '', ...verdict].join('\n'), ok };
}
