import type { AccountAliasLookup } from '../core/iam/account-alias-lookup.js';
import type { Requester } from '../core/sessions/mfa-prompter.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import type { StsGateway } from '../core/sts/sts-gateway.js';
import { UserFacingError } from '../core/user-facing-error.js';
import { verifyAccounts } from '../core/verification/verify-accounts.js';
import type { AccountRow } from '../ipc/ipc-contract.js';
import type { AppStateView } from './app-state-view.js';
import type { MfaPromptBroker } from './mfa-prompt-broker.js';
import type { NoticesStore } from './notices-store.js';
import type { SessionActivity } from './session-activity.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * Signing in (one MFA code per identity with keys, through the popup), signing out, and
 * verifying accounts (GetCallerIdentity in each); progress and results go to the session
 * activity, so every view shows them while they run.
 */

export interface SessionServiceDeps {
  vaultAccess: VaultAccess;
  sessions: SessionManager;
  /** The prompter the session manager asks; sign-out cancels what it is waiting for. */
  prompts: MfaPromptBroker;
  sts: StsGateway;
  /** Learns each account's alias while verifying (absent: none are learned). */
  aliases?: AccountAliasLookup | undefined;
  activity: SessionActivity;
  notices: NoticesStore;
  view: AppStateView;
  changes: ChangeSignal;
}

function requester(from: Requester['kind']): Requester {
  const description = from === 'tray' ? 'the tray menu' : from === 'notification' ? 'the reminder that your MFA session is ending' : 'the AWS Auth Tray window';
  return { kind: from, description };
}

export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  /** Sign in (one MFA code per identity with keys), then verify every account. */
  async signIn(from: Requester['kind'] = 'window'): Promise<void> {
    const { vaultAccess, sessions, activity, changes } = this.deps;
    vaultAccess.requireUnlocked();
    const identities = vaultAccess.vault.identities().filter((i) => i.hasSecret);
    if (identities.length === 0) {
      throw new UserFacingError('no-identity', 'Add your IAM user\'s access key first (Identity → Add), or import your ~/.aws/config.');
    }
    activity.signingIn = true;
    changes.changed();
    try {
      // Signing in on purpose always makes a new MFA session (a cached one AWS stopped honouring
      // would otherwise be reused).
      for (const identity of identities) await sessions.mfaSession(identity, requester(from), { renew: true });
    } finally {
      activity.signingIn = false;
      changes.changed();
    }
    await this.verify(undefined, from);
  }

  signOut(): void {
    this.deps.prompts.cancelAll();
    this.deps.sessions.signOut();
    this.deps.activity.forgetAll();
    this.deps.changes.changed();
  }

  /** GetCallerIdentity in every account (or the ones named); asks for a code only if needed. */
  async verify(profiles?: readonly string[], from: Requester['kind'] = 'window'): Promise<AccountRow[]> {
    const { vaultAccess, sessions, sts, aliases, activity, notices, view, changes } = this.deps;
    vaultAccess.requireUnlocked();
    const vault = vaultAccess.vault;
    const names = profiles ?? vault.profiles().map((p) => p.name);
    activity.startVerifying(names);
    changes.changed();
    try {
      const report = await verifyAccounts({ vault, sessions, sts, aliases }, { requester: requester(from), profiles: names });
      for (const result of report.results) activity.record(result);
      for (const warning of report.warnings) notices.add('warning', warning);
    } finally {
      activity.finishVerifying(names);
      changes.changed();
    }
    return view.state().accounts.filter((a) => names.includes(a.profile));
  }
}
