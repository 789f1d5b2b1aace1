import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type * as IamSdk from '@aws-sdk/client-iam';
import type { StsCredentials } from '../sts/sts-gateway.js';
import { iamSigningRegion, type IamPartition } from './iam-endpoint.js';

/**
 * IAM clients through the AWS SDK v3 (`@aws-sdk/client-iam`, loaded on first use): one place for
 * what every IAM caller needs, so the alias reader and the key gateway build them alike. Each call
 * has its own credentials, so its own client, but one connection pool serves them all; the SDK
 * settings the user set (FIPS, dual-stack, app id: environment and ~/.aws/config) are looked up
 * once; requests are signed for the partition's IAM region (iam-endpoint.ts).
 */

export type IamModule = typeof IamSdk;

export interface IamClientOptions {
  connectionTimeoutMs?: number | undefined;
  /** One attempt's limit (default 10 s). */
  requestTimeoutMs?: number | undefined;
  /** How far AWS's clock is ahead of this machine's, as the STS gateway last measured it. */
  clockOffsetMs?: (() => number) | undefined;
}

export interface IamClientRequest {
  credentials: StsCredentials;
  partition: IamPartition;
  /** The endpoint override, undefined for AWS's own (iam-endpoint.ts). */
  endpoint: string | undefined;
  /** Attempts, retries included: 1 where a retry would be wrong or useless. */
  maxAttempts: number;
}

export class IamClients {
  private sdkModule: Promise<IamModule> | undefined;
  private settled: Promise<Partial<IamSdk.IAMClientConfig>> | undefined;
  private readonly agents = {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(private readonly options: IamClientOptions = {}) {}

  /** Close pooled connections. */
  close(): void {
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }

  sdk(): Promise<IamModule> {
    this.sdkModule ??= import('@aws-sdk/client-iam');
    return this.sdkModule;
  }

  private settledConfig(sdk: IamModule): Promise<Partial<IamSdk.IAMClientConfig>> {
    this.settled ??= (async () => {
      const probe = new sdk.IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }, requestHandler: { ...this.agents } });
      const c = probe.config;
      return {
        useFipsEndpoint: await c.useFipsEndpoint(),
        useDualstackEndpoint: await c.useDualstackEndpoint(),
        userAgentAppId: await c.userAgentAppId(),
        defaultsMode: typeof c.defaultsMode === 'function' ? await c.defaultsMode() : c.defaultsMode,
        authSchemePreference: await c.authSchemePreference(),
      };
    })();
    return this.settled;
  }

  async client(request: IamClientRequest): Promise<IamSdk.IAMClient> {
    const sdk = await this.sdk();
    const { credentials } = request;
    return new sdk.IAMClient({
      ...(await this.settledConfig(sdk)),
      region: iamSigningRegion(request.partition),
      ...(request.endpoint !== undefined ? { endpoint: request.endpoint } : {}),
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      },
      maxAttempts: request.maxAttempts,
      systemClockOffset: this.options.clockOffsetMs?.() ?? 0,
      requestHandler: {
        ...this.agents,
        connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
        requestTimeout: this.options.requestTimeoutMs ?? 10_000,
        throwOnRequestTimeout: true,
      },
    });
  }
}
