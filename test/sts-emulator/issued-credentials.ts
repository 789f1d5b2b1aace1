import type { FixtureRole, FixtureUser } from './fixture.js';
import { secretAccessKey, sessionToken, temporaryAccessKeyId } from './credential-material.js';

/** Who a set of temporary credentials stands for. */
export type IssuedPrincipal =
  | { kind: 'user-session'; user: FixtureUser }
  | { kind: 'role-session'; role: FixtureRole; roleSessionName: string };

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  issuedAt: Date;
  expiration: Date;
  principal: IssuedPrincipal;
  /** Whether an MFA code was presented when these were issued (or by the credentials they came from). */
  mfaPresent: boolean;
}

/** Every set of temporary credentials the emulator has handed out, by access key id. */
export class IssuedCredentialStore {
  private readonly byKeyId = new Map<string, IssuedCredentials>();

  issue(principal: IssuedPrincipal, issuedAt: Date, durationSeconds: number, mfaPresent: boolean): IssuedCredentials {
    const credentials: IssuedCredentials = {
      accessKeyId: temporaryAccessKeyId(),
      secretAccessKey: secretAccessKey(),
      sessionToken: sessionToken(),
      issuedAt,
      // AWS reports expiry to the second.
      expiration: new Date(Math.floor(issuedAt.getTime() / 1000) * 1000 + durationSeconds * 1000),
      principal,
      mfaPresent,
    };
    this.byKeyId.set(credentials.accessKeyId, credentials);
    return credentials;
  }

  find(accessKeyId: string): IssuedCredentials | undefined {
    return this.byKeyId.get(accessKeyId);
  }

  /** Everything issued so far (tests use it to prove no secret leaked anywhere). */
  all(): IssuedCredentials[] {
    return [...this.byKeyId.values()];
  }

  get size(): number {
    return this.byKeyId.size;
  }

  clear(): void {
    this.byKeyId.clear();
  }
}
