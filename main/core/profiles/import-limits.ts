/**
 * How much of a config file the import takes on. Real `~/.aws/config` files, even generated
 * ones for large organisations, stay far below these; a file beyond them is damaged or hostile,
 * and the import answers with a sentence (a UserFacingError) instead of working for minutes.
 * The reader and the resolution are linear, so the caps bound time and memory directly.
 */
export const IMPORT_LIMITS = {
  /** Bytes per file (config or credentials). A 2,000-account generated config is about 1 MiB. */
  fileBytes: 8 * 1024 * 1024,
  /** [sections] per file. */
  sections: 10_000,
  /** Profiles one import may add or update: each is one write of the vault (fsync'd) today. */
  profiles: 2_000,
  /** Profiles in one include_profile chain, and in one source_profile chain. */
  chainDepth: 32,
} as const;

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
