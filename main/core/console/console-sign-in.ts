import { parseRoleArn } from '../profiles/arn.js';
import { ActionDeadline } from '../sts/action-deadline.js';
import { UserFacingError } from '../user-facing-error.js';
import { consoleDestination } from './console-destination.js';
import { checkConsoleUrl } from './console-url-allowlist.js';
import { CONSOLE_HOSTS, consolePartition, partitionOfRegion, type ConsolePartition } from './console-partitions.js';
import { FEDERATION_URL_VARIABLE, resolveFederationEndpoint, type FederationEndpoint } from './federation-endpoint.js';
import { loginUrl } from './login-url.js';
import { requestSigninToken, type FetchLike, type SigninCredentials } from './signin-token-client.js';

/**
 * A console sign-in link for a profile, as `aws-vault login` makes one: the role session's
 * credentials for a sign-in token at the partition's federation endpoint, then the `login` URL
 * with the destination. One user action: getting the credentials (GetSessionToken and AssumeRole
 * if needed) and the token share one deadline.
 *
 * Everything that can be refused without AWS is refused first (an IAM user's own profile, a
 * region or destination that does not fit the role's partition, a bad federation URL), so a
 * mistake costs no MFA prompt and no STS call.
 *
 * Only role sessions: for the IAM user's own profile aws-vault calls GetFederationToken with the
 * long-term key, which AWS allows only without MFA, so the console session it makes carries no MFA
 * (policies that require aws:MultiFactorAuthPresent deny it everything) and is minted from the one
 * secret this app keeps behind MFA. The sentence sends the person to their account's own sign-in
 * page (password and MFA) instead.
 */

export interface ConsoleProfile {
  name: string;
  /** The role the profile assumes; undefined for the IAM user's own profile. */
  roleArn: string | undefined;
  /** The region the profile uses (its own, its identity's, or the default). */
  region: string;
  /** The IAM user's account, for the sentence when the profile has no role. */
  userAccount?: string | undefined;
}

export interface ConsoleSignInRequest {
  profile: ConsoleProfile;
  /** Open the console in this region instead of the profile's. */
  region?: string | undefined;
  /** A path in the console or an https console URL of the same partition. */
  destination?: string | undefined;
  /** Where AWS_AUTH_TRAY_FEDERATION_URL and the STS endpoint overrides are read. */
  env: NodeJS.ProcessEnv;
  /** The explicit STS endpoint the gateway uses, if any (for the emulator's federation endpoint). */
  stsEndpoint?: string | undefined;
  /** The profile's role session, fetched only once everything else checked out. */
  credentials: () => Promise<SigninCredentials>;
  fetch?: FetchLike | undefined;
  deadlineMs?: number | undefined;
  /** Whether a federation endpoint on this machine (the emulator) may be used; the app allows it in demo mode only. */
  allowLoopback?: boolean | undefined;
}

export interface ConsoleSignIn {
  /** The sign-in link: a secret (it carries the sign-in token). */
  url: string;
  endpoint: FederationEndpoint;
  partition: ConsolePartition;
  destination: string;
}

function userProfileSentence(profile: ConsoleProfile): string {
  const partition = partitionOfRegion(profile.region) ?? 'aws';
  const signin = profile.userAccount ? `https://${profile.userAccount}.${CONSOLE_HOSTS[partition].signin}/console` : `your account's sign-in page (https://<account id>.${CONSOLE_HOSTS[partition].signin}/console)`;
  return `Profile ${profile.name} is your IAM user itself, not a role, and the AWS console takes sign-in links only for role sessions: AWS Auth Tray does not make a console session from your long-term access key, which AWS would allow only without MFA. Sign in with your password and MFA at ${signin}, or open the console of one of your role profiles.`;
}

export function consoleSignIn(request: ConsoleSignInRequest): Promise<ConsoleSignIn> {
  return ActionDeadline.join(async () => {
    const { profile } = request;
    if (!profile.roleArn) throw new UserFacingError('console-needs-role', userProfileSentence(profile));
    const role = parseRoleArn(profile.roleArn);
    if (!role) throw new UserFacingError('console-role-invalid', `Profile ${profile.name}'s role ARN is not a role ARN; edit the profile.`);
    const region = request.region ?? profile.region;
    const partition = consolePartition(role.partition, region, profile.name);
    const destination = consoleDestination(partition, region, request.destination);
    const endpoint = resolveFederationEndpoint(partition, region, request.env, request.stsEndpoint);
    if (endpoint.loopback && request.allowLoopback === false) {
      throw new UserFacingError(
        'console-loopback-refused',
        `The AWS console sign-in endpoint ${endpoint.url} is on this machine (the local STS emulator, from ${endpoint.source ?? 'the settings'}); the app opens a console there only in demo mode. Unset AWS_ENDPOINT_URL_STS and ${FEDERATION_URL_VARIABLE} to use AWS.`,
      );
    }
    const credentials = await request.credentials();
    const token = await requestSigninToken(endpoint, credentials, { profile: profile.name, fetch: request.fetch, deadlineMs: request.deadlineMs });
    return { url: loginUrl(endpoint, token, destination), endpoint, partition, destination };
  });
}

/**
 * The link of a sign-in just made, checked against the console allowlist: an AWS sign-in host,
 * or the federation endpoint on this machine that this very sign-in used (the emulator).
 */
export function checkedSignInUrl(signIn: ConsoleSignIn): string {
  return checkConsoleUrl(signIn.url, { extraOrigins: signIn.endpoint.loopback ? [new URL(signIn.endpoint.url).origin] : [] });
}
