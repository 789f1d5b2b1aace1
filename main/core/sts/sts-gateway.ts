import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type * as StsSdk from '@aws-sdk/client-sts';
import type { SessionCredentials } from '../vault/vault.js';
import { stsUserFacingError, type StsCallContext } from './sts-error-sentence.js';

/**
 * The three STS calls the product makes, through the AWS SDK v3 (`@aws-sdk/client-sts`): its
 * SigV4 signing, retries with backoff (throttling, 5xx, dropped connections) and endpoint
 * resolution, including the standard override `AWS_ENDPOINT_URL_STS`. Failures come back as
 * `UserFacingError`s with a sentence (see sts-error-sentence.ts).
 *
 * The SDK is loaded on first use, so commands that only read the cache start fast.
 */

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
  getSessionToken(credentials: StsCredentials, input: GetSessionTokenInput): Promise<SessionCredentials>;
  assumeRole(credentials: StsCredentials, input: AssumeRoleInput): Promise<SessionCredentials>;
  getCallerIdentity(credentials: StsCredentials, region: string): Promise<CallerIdentity>;
  /** How far AWS's clock is ahead of this machine's, as last measured (0 until known). */
  readonly clockOffsetMs: number;
}

export interface SdkStsGatewayOptions {
  /** An explicit endpoint (e.g. a profile's endpoint_url). Without it the SDK resolves one,
   *  honouring AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL. */
  endpoint?: string | undefined;
  /** Attempts per call, retries included (default 3, the SDK's standard). */
  maxAttempts?: number | undefined;
  connectionTimeoutMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  /** Where the endpoint override variables are read from (default process.env). */
  env?: NodeJS.ProcessEnv | undefined;
}

type StsModule = typeof StsSdk;

function partitionSuffix(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  return 'amazonaws.com';
}

export class SdkStsGateway implements StsGateway {
  private sdk: Promise<StsModule> | undefined;
  private offset = 0;
  /**
   * One connection pool for every client: each call needs its own client (its own
   * credentials), but not its own TCP and TLS handshake.
   */
  private readonly agents = {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(private readonly options: SdkStsGatewayOptions = {}) {}

  get clockOffsetMs(): number {
    return this.offset;
  }

  /** Close pooled connections (the process can then exit without waiting for idle sockets). */
  close(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  /** The endpoint a call in this region goes to, for messages. */
  endpointFor(region: string): string {
    const env = this.options.env ?? process.env;
    return this.options.endpoint ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL ?? `https://sts.${region}.${partitionSuffix(region)}`;
  }

  private settled: Promise<Partial<StsSdk.STSClientConfig>> | undefined;

  /**
   * Settings the SDK would look up for every client (FIPS and dual-stack endpoints, retry mode,
   * app id: from the environment and ~/.aws/config), looked up once, as the user set them.
   */
  private settledConfig(sdk: StsModule): Promise<Partial<StsSdk.STSClientConfig>> {
    this.settled ??= (async () => {
      const probe = new sdk.STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }, requestHandler: { ...this.agents } });
      const c = probe.config;
      return {
        useFipsEndpoint: await c.useFipsEndpoint(),
        useDualstackEndpoint: await c.useDualstackEndpoint(),
        retryMode: typeof c.retryMode === 'string' ? c.retryMode : await c.retryMode(),
        userAgentAppId: await c.userAgentAppId(),
      };
    })();
    return this.settled;
  }

  private async client(credentials: StsCredentials, region: string) {
    this.sdk ??= import('@aws-sdk/client-sts');
    const sdk = await this.sdk;
    return new sdk.STSClient({
      ...(await this.settledConfig(sdk)),
      region,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      },
      maxAttempts: this.options.maxAttempts ?? 3,
      // Start from the offset learnt on earlier calls, so a skewed clock costs one retry, not one per call.
      systemClockOffset: this.offset,
      requestHandler: {
        ...this.agents,
        connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? 15_000,
        // Without this the SDK only logs a warning and keeps waiting.
        throwOnRequestTimeout: true,
      },
    });
  }

  private async call<T>(credentials: StsCredentials, region: string, ctx: Omit<StsCallContext, 'endpoint' | 'accessKeyId' | 'temporaryCredentials'>, run: (sdk: StsModule, client: Awaited<ReturnType<SdkStsGateway['client']>>) => Promise<T>): Promise<T> {
    const client = await this.client(credentials, region);
    try {
      return await run(await (this.sdk as Promise<StsModule>), client);
    } catch (error) {
      throw stsUserFacingError(error, {
        ...ctx,
        endpoint: this.endpointFor(region),
        accessKeyId: credentials.accessKeyId,
        temporaryCredentials: credentials.sessionToken !== undefined,
      });
    } finally {
      // Not client.destroy(): that would close the shared connection pool.
      this.offset = client.config.systemClockOffset ?? this.offset;
    }
  }

  getSessionToken(credentials: StsCredentials, input: GetSessionTokenInput): Promise<SessionCredentials> {
    return this.call(credentials, input.region, { operation: 'GetSessionToken', mfaSerial: input.serialNumber, durationSeconds: input.durationSeconds }, async (sdk, client) => {
      const out = await client.send(
        new sdk.GetSessionTokenCommand({
          DurationSeconds: input.durationSeconds,
          ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
        }),
      );
      return sessionCredentials(out.Credentials);
    });
  }

  assumeRole(credentials: StsCredentials, input: AssumeRoleInput): Promise<SessionCredentials> {
    return this.call(
      credentials,
      input.region,
      { operation: 'AssumeRole', roleArn: input.roleArn, mfaSerial: input.serialNumber, durationSeconds: input.durationSeconds },
      async (sdk, client) => {
        const out = await client.send(
          new sdk.AssumeRoleCommand({
            RoleArn: input.roleArn,
            RoleSessionName: input.roleSessionName,
            ...(input.durationSeconds !== undefined ? { DurationSeconds: input.durationSeconds } : {}),
            ...(input.externalId ? { ExternalId: input.externalId } : {}),
            ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
          }),
        );
        return sessionCredentials(out.Credentials);
      },
    );
  }

  getCallerIdentity(credentials: StsCredentials, region: string): Promise<CallerIdentity> {
    return this.call(credentials, region, { operation: 'GetCallerIdentity' }, async (sdk, client) => {
      const out = await client.send(new sdk.GetCallerIdentityCommand({}));
      if (!out.Account || !out.Arn || !out.UserId) throw new Error('GetCallerIdentity answered without Account, Arn or UserId');
      return { account: out.Account, arn: out.Arn, userId: out.UserId };
    });
  }
}

function sessionCredentials(c: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined; Expiration?: Date | undefined } | undefined): SessionCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error('STS answered without complete credentials');
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}
