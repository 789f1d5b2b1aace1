import { DEFAULT_SETTINGS, type AccountRow, type AppState } from '../../../main/ipc/ipc-contract.js';

/** App states for the pure view models (tray menu), built the way AppStateView builds them. */
export function account(profile: string, overrides: Partial<AccountRow> = {}): AccountRow {
  return {
    profile,
    identity: 'security',
    expectedAccount: '222222222222',
    expectedArn: `arn:aws:sts::222222222222:assumed-role/engineer/alice`,
    account: null,
    arn: null,
    userId: null,
    verdict: 'unverified',
    reason: null,
    errorCode: null,
    expiresAt: null,
    ...overrides,
  };
}

export function appState(overrides: Partial<AppState> = {}): AppState {
  return {
    storage: { protection: 'keychain', locked: false, exists: true, explanation: null },
    session: { signedIn: false, identityLabel: null, userName: null, expiresAt: null },
    identities: [{ id: 'id-1', label: 'security', accessKeyId: 'AKIAEXAMPLEEXAMPLE00', hasSecret: true, mfaSerial: 'arn:aws:iam::111111111111:mfa/alice', region: 'us-east-1' }],
    profiles: [],
    accounts: [account('security', { expectedAccount: '111111111111', expectedArn: null }), account('dev')],
    settings: { ...DEFAULT_SETTINGS },
    busy: { signingIn: false, verifying: false },
    endpoint: { url: null, error: null },
    notices: [],
    demo: false,
    ...overrides,
  };
}
