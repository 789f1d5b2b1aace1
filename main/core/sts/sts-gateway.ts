import type * as StsSdk from '@aws-sdk/client-sts';
import type { MiddlewareStack } from '@smithy/types';
import { UserFacingError } from '../user-facing-error.js';
import type { SessionCredentials } from '../vault/vault.js';
import { ActionDeadline } from './action-deadline.js';
import { DepartureQueue, leaveAfterWrite } from './departure-queue.js';
import { StsClients, type StsAgents } from './sts-clients.js';
import { DEFAULT_STS_DEADLINE_MS } from './sts-deadline.js';
import { DEADLINE_ERROR_NAME, INCOMPLETE_ANSWER_ERROR_NAME, stsUserFacingError, type StsCallContext } from './sts-error-sentence.js';
import { checkStsEndpoint, resolveStsEndpoint, type StsEndpoint } from './sts-endpoint.js';

/**
 * The three STS calls the product makes, through the AWS SDK v3 (`@aws-sdk/client-sts`): its
 * SigV4 signing, retries with backoff (throttling, 5xx, dropped connections) and endpoint
 * resolution, including the standard override `AWS_ENDPOINT_URL_STS`. Failures come back as
 * `UserFacingError`s with a sentence (see sts-error-sentence.ts).
 *
 * Every call honours one overall deadline, its retries included: an AbortSignal given to the SDK's
 * `send`, which it honours during an attempt and between attempts. Without it a frozen STS costs
 * every attempt's full timeout (3 x 15 s, and the backoff) before the person hears anything.
 * Inside a user action (action-deadline.ts) the deadline is the action's, shared by all its
 * requests; a call outside any action gets the whole deadline to itself.
 *
 * Calls started together (signing in to every account at once) send their requests one after
 * another, each as soon as it is signed (departure-queue.ts), on clients kept per credentials or
 * made while the answer that brings the credentials is awaited (sts-clients.ts). The SDK is
 * loaded on first use, so commands that only read the cache start fast.
 */

export { DEFAULT_STS_DEADLINE_MS };
/** One attempt's share: long enough for a slow network, short enough to leave a second attempt in the deadline. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** AWS's words for "these session credentials are no more" (expired early, or unknown to it). */
const SESSION_REFUSALS = new Set(['ExpiredToken', 'InvalidClientTokenId']);

/** Whether AWS refused the credentials themselves as no longer valid (not a code, a policy or the network). */
export function isSessionRefusal(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError && SESSION_REFUSALS.has(error.code);
}

/** Told the access key id of session credentials AWS refused; the refused call fails once it has settled. */
export type SessionRejectedListener = (accessKeyId: string) => void | Promise<void>;

export interface StsCallOptions {
  /** Stop waiting (sign-out): the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface GetSessionTokenInput {
  region: string;
  durationSeconds: number;
  serialNumber?: string | undefined;
  tokenCode?: string | undefined;
}

export interface AssumeRoleInput {
  region: string;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number | undefined;
  externalId?: string | undefined;
  serialNumber?: string | undefined;
  tokenCode?: string | undefined;
}

export interface StsGateway {
  getSessionToken(credentials: StsCredentials, input: GetSessionTokenInput, options?: StsCallOptions): Promise<SessionCredentials>;
  assumeRole(credentials: StsCredentials, input: AssumeRoleInput, options?: StsCallOptions): Promise<SessionCredentials>;
  getCallerIdentity(credentials: StsCredentials, region: string, options?: StsCallOptions): Promise<CallerIdentity>;
  /** How far AWS's clock is ahead of this machine's, as last measured (0 until known). */
  readonly clockOffsetMs: number;
  /**
   * Hear of session credentials AWS refused (ExpiredToken, InvalidClientTokenId), whoever made
   * the call, so the cache that handed them out can drop them. Returns the unsubscribe.
   */
  onSessionRejected?(listener: SessionRejectedListener): () => void;
}

export interface SdkStsGatewayOptions {
  /** An explicit endpoint (e.g. a profile's endpoint_url). Without it the SDK resolves one,
   *  honouring AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL. */
  endpoint?: string | undefined;
  /** Attempts per call, retries included (default 3, the SDK's standard). */
  maxAttempts?: number | undefined;
  connectionTimeoutMs?: number | undefined;
  /** One attempt's limit (default 10 s). */
  requestTimeoutMs?: number | undefined;
  /** One user action's limit on STS, every request, attempt and backoff included (default 20 s). */
  deadlineMs?: number | undefined;
  /** Where the endpoint override variables are read from (default process.env). */
  env?: NodeJS.ProcessEnv | undefined;
}

type StsModule = typeof StsSdk;
/** Marks a command so that the next request may be prepared once this one is on its way (departure-queue.ts). */
type Departing = <I extends object, O extends object>(commandStack: MiddlewareStack<I, O>) => void;

export class SdkStsGateway implements StsGateway {
  private offset = 0;
  private readonly rejectionListeners = new Set<SessionRejectedListener>();
  /** Requests are prepared one after another, each leaving as soon as it is ready. */
  private readonly departures = new DepartureQueue();
  /**
   * One connection pool for every client: each call needs its own client (its own
   * credentials), but not its own TCP and TLS handshake. Made with the first client: a command
   * answered from the cache loads no HTTP module (process.getBuiltinModule, not an import).
   */
  private pool: StsAgents | undefined;
  private readonly agents = (): StsAgents =>
    (this.pool ??= {
      httpAgent: new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new (process.getBuiltinModule('node:https').Agent)({ keepAlive: true, maxSockets: 64 }),
    });

  /** Clients by credentials, kept and made ahead (sts-clients.ts). */
  private readonly clients: StsClients;

  constructor(private readonly options: SdkStsGatewayOptions = {}) {
    this.clients = new StsClients({
      endpoint: options.endpoint,
      maxAttempts: options.maxAttempts ?? 3,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 5_000,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      agents: this.agents,
      clockOffsetMs: () => this.offset,
    });
  }

  get clockOffsetMs(): number {
    return this.offset;
  }

  /** Close pooled connections (the process can then exit without waiting for idle sockets). */
  close(): void {
    this.clients.clear();
    this.pool?.httpAgent.destroy();
    this.pool?.httpsAgent.destroy();
    this.pool = undefined;
  }

  onSessionRejected(listener: SessionRejectedListener): () => void {
    this.rejectionListeners.add(listener);
    return () => this.rejectionListeners.delete(listener);
  }

  /** The endpoint a call in this region goes to, and which setting chose it, for messages. */
  private endpoint(region: string): StsEndpoint {
    return resolveStsEndpoint(this.options.endpoint, this.options.env ?? process.env, region);
  }

  /** The endpoint a call in this region goes to, for messages. */
  endpointFor(region: string): string {
    return this.endpoint(region).url;
  }

  private async call<T>(
    credentials: StsCredentials,
    region: string,
    ctx: Omit<StsCallContext, 'endpoint' | 'endpointSource' | 'accessKeyId' | 'temporaryCredentials' | 'deadlineMs'>,
    options: StsCallOptions | undefined,
    run: (sdk: StsModule, client: StsSdk.STSClient, abortSignal: AbortSignal, departing: Departing) => Promise<T>,
  ): Promise<T> {
    const endpoint = this.endpoint(region);
    checkStsEndpoint(endpoint);
    const { deadlineMs, signal: deadline } = ActionDeadline.forCall(this.options.deadlineMs ?? DEFAULT_STS_DEADLINE_MS);
    const caller = options?.signal;
    const client = await this.clients.client(credentials, region);
    const turn = this.departures.take();
    try {
      await turn.ready;
      const departing: Departing = (commandStack) => {
        commandStack.add(
          (next) => (args) => {
            // The handler has the request now (every attempt passes here; only the first counts).
            const sent = next(args);
            leaveAfterWrite(turn.leave);
            return sent;
          },
          { step: 'deserialize', priority: 'low', name: 'awsAuthTrayDeparture' },
        );
      };
      return await run(await this.clients.module(), client, caller ? AbortSignal.any([deadline, caller]) : deadline, departing);
    } catch (error) {
      if (caller?.aborted) throw caller.reason;
      const cause = deadline.aborted ? Object.assign(new Error(`no answer within ${deadlineMs} ms`, { cause: error }), { name: DEADLINE_ERROR_NAME }) : error;
      const refused = stsUserFacingError(cause, {
        ...ctx,
        endpoint: endpoint.url,
        endpointSource: endpoint.source,
        deadlineMs,
        accessKeyId: credentials.accessKeyId,
        temporaryCredentials: credentials.sessionToken !== undefined,
      });
      if (credentials.sessionToken !== undefined && SESSION_REFUSALS.has(refused.code)) await this.sessionRejected(credentials.accessKeyId);
      throw refused;
    } finally {
      turn.leave();
      // Not client.destroy(): that would close the shared connection pool.
      this.offset = client.config.systemClockOffset ?? this.offset;
    }
  }

  /** Every listener drops the refused session before the caller hears of the failure (and acts on it). */
  private async sessionRejected(accessKeyId: string): Promise<void> {
    await Promise.allSettled([...this.rejectionListeners].map(async (listener) => listener(accessKeyId)));
  }

  getSessionToken(credentials: StsCredentials, input: GetSessionTokenInput, options?: StsCallOptions): Promise<SessionCredentials> {
    const ctx = { operation: 'GetSessionToken', mfaSerial: input.serialNumber, durationSeconds: input.durationSeconds } as const;
    return this.call(credentials, input.region, ctx, options, async (sdk, client, abortSignal, departing) => {
      const command = new sdk.GetSessionTokenCommand({
        DurationSeconds: input.durationSeconds,
        ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
      });
      departing(command.middlewareStack);
      const sent = client.send(command, { abortSignal });
      // Its answer brings credentials that will want a client: made while the answer is awaited.
      this.clients.expectNewCredentials(input.region);
      return sessionCredentials(await sent);
    });
  }

  assumeRole(credentials: StsCredentials, input: AssumeRoleInput, options?: StsCallOptions): Promise<SessionCredentials> {
    const ctx = { operation: 'AssumeRole', roleArn: input.roleArn, mfaSerial: input.serialNumber, durationSeconds: input.durationSeconds } as const;
    return this.call(credentials, input.region, ctx, options, async (sdk, client, abortSignal, departing) => {
      const command = new sdk.AssumeRoleCommand({
        RoleArn: input.roleArn,
        RoleSessionName: input.roleSessionName,
        ...(input.durationSeconds !== undefined ? { DurationSeconds: input.durationSeconds } : {}),
        ...(input.externalId ? { ExternalId: input.externalId } : {}),
        ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
      });
      departing(command.middlewareStack);
      const sent = client.send(command, { abortSignal });
      // Its answer brings credentials that will want a client: made while the answer is awaited.
      this.clients.expectNewCredentials(input.region);
      return sessionCredentials(await sent);
    });
  }

  getCallerIdentity(credentials: StsCredentials, region: string, options?: StsCallOptions): Promise<CallerIdentity> {
    return this.call(credentials, region, { operation: 'GetCallerIdentity' }, options, async (sdk, client, abortSignal, departing) => {
      const command = new sdk.GetCallerIdentityCommand({});
      departing(command.middlewareStack);
      const out = await client.send(command, { abortSignal });
      if (!out.Account || !out.Arn || !out.UserId) throw incompleteAnswer('GetCallerIdentity answered without Account, Arn or UserId', out.$metadata.httpStatusCode);
      return { account: out.Account, arn: out.Arn, userId: out.UserId };
    });
  }
}

/** An answer that parsed but lacks what STS always sends: something else answered (see sts-error-sentence.ts). */
function incompleteAnswer(message: string, httpStatusCode: number | undefined): Error {
  return Object.assign(new Error(message), { name: INCOMPLETE_ANSWER_ERROR_NAME, $metadata: { httpStatusCode } });
}

interface CredentialsAnswer {
  Credentials?: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined; Expiration?: Date | undefined } | undefined;
  $metadata: { httpStatusCode?: number | undefined };
}

function sessionCredentials(out: CredentialsAnswer): SessionCredentials {
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw incompleteAnswer('STS answered without complete credentials', out.$metadata.httpStatusCode);
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
