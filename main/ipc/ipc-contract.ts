import { z } from 'zod';
import { acceleratorProblem, DEFAULT_SWITCHER_SHORTCUT } from '../app-services/shortcut-accelerator.js';
import { AUTO_REFRESH_FORMATS } from '../core/exports/auto-refresh-formats.js';
import { EXPORT_FORMATS } from '../core/exports/credential-exports.js';
import { MFA_PROCESS_MAX_LENGTH, mfaProcessProblem } from '../core/mfa-codes/mfa-process-command.js';
import { oathAccountProblem } from '../core/mfa-codes/oath-accounts.js';
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
  /** aws-vault's mfa_process: a command that prints the MFA code, run instead of asking (never through a shell). */
  mfaProcess?: string | null;
  /** The YubiKey OATH account to read codes from, when several on the key match the MFA device. */
  oathAccount?: string | null;
  /** What is known of its access key: age, last use, the user's other keys (key-hygiene-service.ts). */
  key?: AccessKeyView | null;
  /** An access key rotation running now, or how the last one ended. */
  rotation?: RotationView | null;
}

/** An identity's access key as the window shows it: metadata only, never the secret. */
export interface AccessKeyView {
  accessKeyId: string;
  /** When IAM says it was created (ISO 8601), when known. */
  createdAt: string | null;
  /** Whole days since then, on main's clock. */
  ageDays: number | null;
  /** At least `warnDays` old: rotate it. */
  old: boolean;
  /** The warning threshold (the setting keyAgeWarningDays). */
  warnDays: number;
  /** IAM's GetAccessKeyLastUsed (`at` null: never used; `agoMinutes` on main's clock); null when IAM was not asked. */
  lastUsed: { at: string | null; agoMinutes: number | null; service: string | null; region: string | null } | null;
  /** The user's other keys (IAM allows two); null when IAM was not asked. */
  otherKeys: { accessKeyId: string; status: 'Active' | 'Inactive'; createdAt: string | null; ageDays: number | null }[] | null;
  /** Why something is unknown, as a sentence ("Sign in to see when it was last used."). */
  note: string | null;
  /** IAM is being asked now. */
  checking: boolean;
}

export type RotationStepView = 'signing-in' | 'creating' | 'storing' | 'proving' | 'retiring-old' | 'done';

export interface RotationView {
  status: 'running' | 'rotated' | 'failed';
  /** The step running (or reached), null when it failed before starting. */
  step: RotationStepView | null;
  /** What is happening, or how it ended, as a sentence. */
  sentence: string;
  /** While proving the new key: the attempt. */
  attempt: number | null;
}

export interface RotationResultView {
  oldAccessKeyId: string;
  newAccessKeyId: string;
  oldKey: 'deleted' | 'deactivated';
  sentence: string;
}

export interface MfaDeviceView {
  serialNumber: string;
  /** When it was enabled (ISO 8601), when IAM says. */
  enabledAt: string | null;
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
  /** Warn when the access key is this many days old (CIS AWS Foundations: 90); mirrored into the vault. */
  keyAgeWarningDays: z.number().int().min(1).max(3_650),
  /** Rotation deactivates the old key and keeps it, instead of deleting it; mirrored into the vault. */
  deactivateOldKey: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = { defaultShell: 'bash', mfaSessionMinutes: 12 * 60, clipboardClearSeconds: 45, launchAtLogin: false, endpointPort: null, renewReminderMinutes: 10, quickSwitcherShortcut: DEFAULT_SWITCHER_SHORTCUT, keyAgeWarningDays: 90, deactivateOldKey: false };

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
  /** The tray's "Rotate access key for …": the window opens that identity's rotation confirm (once per request). */
  rotationRequest?: { identityId: string; requestId: number } | null;
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
  /**
   * A YubiKey OATH account (through ykman) that holds this device's codes: the popup offers "Use
   * YubiKey". `reading`: ykman is reading it; `touch`: the key waits to be touched.
   */
  yubikey: { account: string; status: 'ready' | 'reading' | 'touch' } | null;
  /** Why the YubiKey is not offered although ykman is there (several accounts match, the chosen one is gone). */
  yubikeyNote: string | null;
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
  /** '' removes it; absent keeps what is stored. */
  mfaProcess: z
    .string()
    .trim()
    .max(MFA_PROCESS_MAX_LENGTH)
    .refine((command) => command === '' || mfaProcessProblem(command) === undefined, { message: 'mfa_process must be one line that names a program (quotes closed), without control characters.' })
    .optional(),
  /** '' removes it; absent keeps what is stored. */
  oathAccount: z
    .string()
    .trim()
    .refine((name) => name === '' || oathAccountProblem(name) === undefined, { message: 'An OATH account name is at most 64 bytes, without control characters.' })
    .optional(),
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
  /** Read the code from the YubiKey the prompt offers (ykman) and submit it; fails with a sentence (no key, no touch). */
  'mfa:use-yubikey': channel<null>()(z.object({ requestId: z.string().min(1).max(64) })),
  /** Bring the MFA popup to the front (it may be hidden behind other windows) while a prompt waits. */
  'mfa:show': channel<null>()(noInput),
  'window:open-main': channel<null>()(noInput),
  'switcher:close': channel<null>()(noInput),
  'profile:set-preferences': channel<null>()(profilePreferencesInputSchema),
  /** Open the profile's AWS console in the default browser; the sign-in link never comes back here. */
  'console:open': channel<null>()(z.object({ profile: z.string().regex(PROFILE_NAME) })),
  /** Ask IAM now (with the MFA session, never prompting) for the identity's key age, last use and other keys. */
  'identity:key-status': channel<AccessKeyView | null>()(z.object({ id: z.string().min(1).max(64) })),
  /**
   * Rotate the identity's access key (MFA session, CreateAccessKey, store, prove, retire the old
   * one); progress in the state. `deleteInactiveKey`: delete the user's other key first when it is
   * inactive (IAM allows two keys).
   */
  'identity:rotate': channel<RotationResultView>()(z.object({ id: z.string().min(1).max(64), deleteInactiveKey: z.boolean().optional() })),
  /** The user's MFA devices (IAM ListMFADevices), with the keys typed in the form or, without a secret, the stored identity's. */
  'identity:mfa-devices': channel<{ devices: MfaDeviceView[] }>()(
    z.object({ id: z.string().min(1).max(64).optional(), accessKeyId, secretAccessKey: z.string().trim().min(16).max(128).optional(), region }),
  ),
  /** The window has opened the rotation the tray asked for. */
  'identity:rotation-request-seen': channel<null>()(z.object({ requestId: z.number().int().min(0).max(1_000_000_000) })),
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
