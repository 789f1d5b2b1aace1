import type { Clock } from '../core/clock.js';
import { parseArn } from '../core/profiles/arn.js';
import { expectedIdentity } from '../core/verification/verify-accounts.js';
import type { AccountRow, AppState } from '../ipc/ipc-contract.js';
import type { AppSettings } from './app-settings.js';
import type { KeyHygieneService } from './key-hygiene-service.js';
import type { LocalServers } from './local-servers.js';
import type { NoticesStore } from './notices-store.js';
import type { SessionActivity } from './session-activity.js';
import type { VaultAccess } from './vault-access.js';

/**
 * The AppState the windows and the tray show, built from what each concern holds now: metadata
 * only, never a secret or a token.
 */

export interface AppStateSources {
  vaultAccess: VaultAccess;
  activity: SessionActivity;
  settings: AppSettings;
  servers: LocalServers;
  notices: NoticesStore;
  clock: Clock;
  /** Demo mode: the popup shows the emulator's code. */
  demo: boolean;
  /** Each identity's access key age, last use and rotation. */
  keyHygiene?: KeyHygieneService | undefined;
}

export class AppStateView {
  constructor(private readonly sources: AppStateSources) {}

  state(): AppState {
    const { vaultAccess, activity, settings, servers, notices, clock, demo, keyHygiene } = this.sources;
    const vault = vaultAccess.vault;
    const now = clock.now().getTime();
    const identities = vault.identities();
    const profiles = vault.profiles();
    const sessions = vault.sessionMetadata();
    const aliases = vault.accountAliases();
    const live = (iso: string | undefined): string | null => (iso && new Date(iso).getTime() > now ? iso : null);

    const signedInIdentity = identities.find((i) => live(sessions.mfa[i.id]?.expiration));
    const ownProfile = signedInIdentity ? profiles.find((p) => p.identityId === signedInIdentity.id && !p.roleArn) : undefined;
    const verifiedArn = ownProfile ? activity.result(ownProfile.name)?.arn : undefined;
    const userName =
      (verifiedArn ? parseArn(verifiedArn)?.resource.split('/').at(-1) : undefined) ??
      (signedInIdentity?.mfaSerial ? parseArn(signedInIdentity.mfaSerial)?.resource.split('/').at(-1) : undefined) ??
      null;

    const accounts: AccountRow[] = profiles.map((profile) => {
      const identity = identities.find((i) => i.id === profile.identityId);
      const expected = identity ? expectedIdentity(profile, identity) : { account: undefined, kind: 'user' as const, arn: undefined };
      const result = activity.result(profile.name);
      const expiresAt = live(profile.roleArn ? sessions.roles[profile.name]?.expiration : sessions.mfa[profile.identityId]?.expiration);
      // The alias of the account AWS said the credentials are in, else of the one the profile expects.
      const accountId = result?.account ?? expected.account;
      const accountAlias = accountId !== undefined && Object.hasOwn(aliases, accountId) ? aliases[accountId] : undefined;
      return {
        profile: profile.name,
        identity: identity?.label ?? '',
        expectedAccount: expected.account ?? null,
        expectedArn: expected.arn ?? null,
        account: result?.account ?? null,
        ...(accountAlias !== undefined ? { accountAlias } : {}),
        arn: result?.arn ?? null,
        userId: result?.userId ?? null,
        verdict: activity.isVerifying(profile.name) ? 'verifying' : (result?.verdict ?? 'unverified'),
        reason: result?.reason ?? null,
        errorCode: result?.verdict === 'error' ? (result.errorCode ?? 'unexpected') : null,
        expiresAt,
      };
    });

    const storage = vaultAccess.storage;
    return {
      storage: {
        protection: storage.protection,
        locked: !vaultAccess.unlocked,
        exists: vault.hasCipher(),
        explanation: storage.protection === 'passphrase' ? storage.explanation : null,
      },
      session: {
        signedIn: signedInIdentity !== undefined,
        identityLabel: signedInIdentity?.label ?? null,
        userName: signedInIdentity ? userName : null,
        expiresAt: signedInIdentity ? (sessions.mfa[signedInIdentity.id]?.expiration ?? null) : null,
      },
      identities: identities.map((i) => ({
        id: i.id,
        label: i.label,
        accessKeyId: i.accessKeyId ?? null,
        hasSecret: i.hasSecret,
        mfaSerial: i.mfaSerial ?? null,
        region: i.region ?? null,
        mfaProcess: i.mfaProcess ?? null,
        oathAccount: i.oathAccount ?? null,
        ...(keyHygiene ? keyHygiene.view(i) : {}),
      })),
      profiles: profiles.map((p) => ({
        name: p.name,
        identityId: p.identityId,
        roleArn: p.roleArn ?? null,
        externalId: p.externalId ?? null,
        region: p.region ?? null,
        mfaMode: p.mfaMode,
        durationSeconds: p.durationSeconds ?? null,
        origin: p.origin,
        favourite: p.favourite === true,
        group: p.group ?? null,
      })),
      accounts,
      settings: { ...settings.current },
      busy: { signingIn: activity.signingIn, verifying: activity.anyVerifying },
      endpoint: servers.endpointView(),
      notices: notices.list(),
      demo,
      ...(keyHygiene ? { rotationRequest: keyHygiene.rotationRequest } : {}),
    };
  }
}
