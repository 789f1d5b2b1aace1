import type { FixtureRole, FixtureUser } from './fixture.js';
import type { IssuedCredentials } from './issued-credentials.js';

/** The authenticated identity behind a request. */
export type Caller =
  | { kind: 'user'; user: FixtureUser; arn: string; account: string; accessKeyId: string; mfaPresent: false }
  | {
      kind: 'user-session';
      user: FixtureUser;
      arn: string;
      account: string;
      accessKeyId: string;
      mfaPresent: boolean;
      credentials: IssuedCredentials;
    }
  | {
      kind: 'role-session';
      role: FixtureRole;
      roleSessionName: string;
      arn: string;
      account: string;
      accessKeyId: string;
      mfaPresent: boolean;
      credentials: IssuedCredentials;
    };

