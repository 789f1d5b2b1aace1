import { z } from 'zod';
import { acceleratorProblem, DEFAULT_SWITCHER_SHORTCUT } from '../app-services/shortcut-accelerator.js';
import { AUTO_REFRESH_FORMATS } from '../core/exports/auto-refresh-formats.js';
import { EXPORT_FORMATS } from '../core/exports/credential-exports.js';
import { groupProblem } from '../core/profiles/profile-values.js';
import { PROFILE_NAME } from '../core/vault/vault-schema.js';

/**
 * The one contract between the main process and the renderer: every channel's input schema
 * (main validates each call with it), its output type, and the events main sends. Main, the
 * preload, the renderer and the browser test harness are all typed from this file.
 *
 * Nothing here carries a secret out of main: outputs are metadata (accounts, ARNs, expiry,
 * verdicts). The only secrets that cross are typed *into* main by the user: a new secret
 * access key, an MFA code, a vault passphrase.
 */

// ---- what the renderer may see ----

export const SHELL_CHOICES = ['bash', 'zsh', 'fish', 'powershell', 'cmd'] as const;
export type ShellChoice = (typeof SHELL_CHOICES)[number];

export interface IdentityView {
  id: string;
  label: string;
  accessKeyId: string | null;
  hasSecret: boolean;
  mfaSerial: string | null;
  region: string | null;
}

export interface ProfileView {
  name: string;
  identityId: string;
  roleArn: string | null;
  externalId: string | null;
  region: string | null;
  mfaMode: 'mfa-session' | 'direct';
  durationSeconds: number | null;
  origin: 'manual' | 'aws-config';
  /** Pinned on top of the accounts table and the tray menu. */
  favourite: boolean;
  /** The group the table shows it in (set in the window, or aws_auth_tray_group in ~/.aws/config). */
  group: string | null;
}

export type AccountVerdict = 'unverified' | 'verifying' | 'ok' | 'mismatch' | 'error';

/** One row of the accounts table. */
export interface AccountRow {
  profile: string;
  identity: string;
  /** What the profile promises: from the role ARN (or the MFA device for the IAM user). */
  expectedAccount: string | null;
  expectedArn: string | null;
  account: string | null;
  /**
   * The account's alias (IAM ListAccountAliases, asked with the account's own credentials when
   * it is verified, remembered a day); absent when none is known. Always IAM's shape: 3 to 63
   * lowercase letters, digits and single hyphens.
   */
  accountAlias?: string;
  arn: string | null;
  userId: string | null;
  verdict: AccountVerdict;
  /** Why it is a mismatch or an error, as a sentence. */
  reason: string | null;
  /** The error's code when the verdict is `error` (e.g. InvalidClientTokenId, ExpiredToken, ClockSkew, network): rows failing for one cause are told apart by it. */
  errorCode: string | null;
  /** When its credentials expire (ISO 8601), when known. */
  expiresAt: string | null;
}

export interface SessionView {
  signedIn: boolean;
  /** The identity signed in (its label) and the IAM user's name when known ("alice"). */
  identityLabel: string | null;
  userName: string | null;
  /** When the MFA session expires (ISO 8601). */
  expiresAt: string | null;
}

export const settingsSchema = z.object({
  defaultShell: z.enum(SHELL_CHOICES),
  /** MFA session length: 15 minutes to 36 hours, as AWS allows. */
  mfaSessionMinutes: z.number().int().min(15).max(36 * 60),
  /** Clear copied credentials after this many seconds if still on the clipboard. */
  clipboardClearSeconds: z.number().int().min(10).max(600),
  launchAtLogin: z.boolean(),
  /** The local credential endpoint's port; null picks a free one (then remembered). */
  endpointPort: z.number().int().min(1024).max(65_535).nullable(),
  /** A notification this many minutes before the MFA session ends, offering to renew it; 0: none. */
  renewReminderMinutes: z.number().int().min(0).max(120),
  /** The global shortcut that opens the quick switcher (an Electron accelerator); '' for none. */
  quickSwitcherShortcut: z
    .string()
    .trim()
    .max(64)
    .superRefine((text, ctx) => {
      const problem = text === '' ? undefined : acceleratorProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = { defaultShell: 'bash', mfaSessionMinutes: 12 * 60, clipboardClearSeconds: 45, launchAtLogin: false, endpointPort: null, renewReminderMinutes: 10, quickSwitcherShortcut: DEFAULT_SWITCHER_SHORTCUT };

/** The local credential endpoint, as the window shows it (the token never leaves main). */
export interface EndpointView {
  /** e.g. http://127.0.0.1:47821 while it runs. */
  url: string | null;
  /** Why it is not running, as a sentence. */
  error: string | null;
}

export interface StorageView {
  /** `keychain`: secrets sealed by the OS (safeStorage); `passphrase`: no keyring, the user's passphrase seals them. */
  protection: 'keychain' | 'passphrase';
  /** True until the passphrase vault is unlocked for this run. */
  locked: boolean;
  /** Whether the vault already exists (unlock) or is new (choose a passphrase). */
  exists: boolean;
  /** Shown once when protection is `passphrase`: why. */
  explanation: string | null;
}

export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}

export interface AppState {
  storage: StorageView;
  session: SessionView;
  identities: IdentityView[];
  profiles: ProfileView[];
  accounts: AccountRow[];
  settings: Settings;
  busy: { signingIn: boolean; verifying: boolean };
  endpoint: EndpointView;
  notices: Notice[];
  /** Demo mode (npm run demo): the app talks to the local STS emulator. */
  demo: boolean;
}

/** What the MFA popup shows. */
export interface MfaPromptView {
  requestId: string;
  identityLabel: string;
  accessKeyId: string;
  mfaSerial: string;
  requester: { kind: string; description: string };
  purpose: { kind: 'mfa-session' } | { kind: 'assume-role'; profile: string; roleArn: string };
  attempt: number;
  previousError: string | null;
  /** `checking`: a code was submitted and AWS has not answered yet; the popup stays open. */
  status: 'waiting' | 'checking';
  /** Demo mode only: the code the emulator's virtual device shows now. */
  demoCode: string | null;
}

export interface ImportResultView {
  path: string;
  profilesAdded: string[];
  profilesUpdated: string[];
  identitiesCreated: string[];
  identitiesWithoutKeys: string[];
  problems: string[];
}

export interface CopyResultView {
  profile: string;
  format: string;
  /** Seconds until the clipboard is cleared (if still holding the credentials). */
  clearsInSeconds: number;
}

export interface IdentitySavedView {
  identity: IdentityView;
  /** The ARN AWS confirmed for the keys (null when saved without checking). */
  verifiedArn: string | null;
}

// ---- inputs, validated in main ----

const accessKeyId = z.string().trim().regex(/^AKIA[A-Z0-9]{12,124}$/, 'An access key id starts with AKIA (temporary ASIA keys cannot sign in).');
const mfaSerial = z.string().trim().min(9).max(256).regex(/^[\w+=/:,.@-]+$/, 'An MFA device is an ARN like arn:aws:iam::123456789012:mfa/name.');
const region = z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'A region looks like us-east-1.');

export const identityInputSchema = z.object({
  /** Absent to add a new identity. */
  id: z.string().min(1).max(64).optional(),
  label: z.string().trim().min(1).max(64),
  accessKeyId,
  /** Required for a new identity; omit when editing to keep the stored one. */
  secretAccessKey: z.string().trim().min(16).max(128).optional(),
  mfaSerial: mfaSerial.optional(),
  region,
});
export type IdentityInput = z.infer<typeof identityInputSchema>;

const noInput = z.undefined();

/** A profile's favourite flag and group (null: out of its group); what is left out stays as it is. */
export const profilePreferencesInputSchema = z.object({
  profile: z.string().regex(PROFILE_NAME),
  favourite: z.boolean().optional(),
  group: z
    .string()
    .trim()
    .refine((group) => groupProblem(group) === undefined, { message: 'A group is 1 to 64 printable characters without control characters.' })
    .nullable()
    .optional(),
});
export type ProfilePreferencesInput = z.infer<typeof profilePreferencesInputSchema>;

/** The channels: input schema, and the output type (a phantom, for typing only). */
function channel<O>() {
  return <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });
}

export const ipcContract = {
  'state:get': channel<AppState>()(noInput),
  'identity:save': channel<IdentitySavedView>()(identityInputSchema),
  'identity:remove': channel<null>()(z.object({ id: z.string().min(1).max(64) })),
  'config:choose-file': channel<{ path: string | null }>()(noInput),
  'config:import': channel<ImportResultView>()(z.object({ path: z.string().min(1).max(4096).optional(), importKeys: z.boolean().optional() })),
  'session:sign-in': channel<null>()(noInput),
  'session:sign-out': channel<null>()(noInput),
  'accounts:verify': channel<AccountRow[]>()(z.object({ profiles: z.array(z.string().regex(PROFILE_NAME)).max(500).optional() })),
  'export:copy': channel<CopyResultView>()(z.object({ profile: z.string().regex(PROFILE_NAME), format: z.enum(EXPORT_FORMATS) })),
  'export:copy-auto-refresh': channel<CopyResultView>()(z.object({ profile: z.string().regex(PROFILE_NAME), format: z.enum(AUTO_REFRESH_FORMATS) })),
  'endpoint:rotate-token': channel<EndpointView>()(noInput),
  'settings:update': channel<Settings>()(settingsSchema.partial()),
  'notice:dismiss': channel<null>()(z.object({ id: z.string().min(1).max(64) })),
  'vault:unlock': channel<null>()(z.object({ passphrase: z.string().min(8, 'Use at least 8 characters.').max(1024) })),
  'mfa:current': channel<MfaPromptView | null>()(noInput),
  'mfa:submit': channel<null>()(z.object({ requestId: z.string().min(1).max(64), code: z.string().trim().max(32) })),
  'mfa:cancel': channel<null>()(z.object({ requestId: z.string().min(1).max(64) })),
  /** Bring the MFA popup to the front (it may be hidden behind other windows) while a prompt waits. */
  'mfa:show': channel<null>()(noInput),
  'window:open-main': channel<null>()(noInput),
  'switcher:close': channel<null>()(noInput),
  'profile:set-preferences': channel<null>()(profilePreferencesInputSchema),
  /** Open the profile's AWS console in the default browser; the sign-in link never comes back here. */
  'console:open': channel<null>()(z.object({ profile: z.string().regex(PROFILE_NAME) })),
} as const;

export type Channel = keyof typeof ipcContract;
export type InputOf<C extends Channel> = z.input<(typeof ipcContract)[C]['input']>;
export type ParsedInputOf<C extends Channel> = z.output<(typeof ipcContract)[C]['input']>;
export type OutputOf<C extends Channel> = (typeof ipcContract)[C]['output'];

/** Events from main to the renderer. */
export interface EventPayloads {
  'state:changed': AppState;
  /** The prompt to show, or null: close the popup. */
  'mfa:prompt': MfaPromptView | null;
  /** "All accounts…" in the tray: show the accounts and put the focus in their search box. */
  'window:focus-search': null;
}
export type EventName = keyof EventPayloads;

/** Every call answers with this envelope; errors are sentences, never stack traces. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
