import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type * as StsSdk from '@aws-sdk/client-sts';
import type { StsCredentials } from './sts-gateway.js';

/**
 * The gateway's STS clients (`@aws-sdk/client-sts`). Each set of credentials needs a client of
 * its own; making one (its settings, its middleware stack) and its first request cost more CPU
 * than a request on a kept one, and signing in to many accounts makes one per account.
 *
 * - Clients of recent credentials are kept, by region and access key id, for exactly those
 *   credentials: signing in assumes every role with the same MFA session, with one client.
 * - Settings the SDK would otherwise look up again for every client (environment variables and
 *   ~/.aws/config) are looked up once; every client shares one HTTP handler and user agent.
 * - Spare clients: when a request that brings new credentials (AssumeRole, GetSessionToken) is
 *   on its way, a client for them is made while the answer is awaited, with a credential
 *   provider that the answer's credentials complete. A client is only ever given one set of
 *   credentials, so the SDK's caching of what its provider returned is right.
 *
 * The SDK is loaded on first use, so commands that only read the cache start fast.
 */

type StsModule = typeof StsSdk;
type StsIdentity = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** Clients kept for reuse: the MFA session's and a few recent others. */
export const MAX_KEPT_CLIENTS = 8;
/** Spare clients at most (one per request under way that brings credentials). */
export const MAX_SPARE_CLIENTS = 64;

export interface StsAgents {
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
}

export interface StsClientSettings {
  /** An explicit endpoint; without it the SDK resolves one (AWS_ENDPOINT_URL_STS and friends). */
  endpoint?: string | undefined;
  maxAttempts: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** The connection pools, made on the first call (the first client). */
  agents: () => StsAgents;
  /** How far AWS's clock is ahead of this machine's, as last learnt (clients start from it). */
  clockOffsetMs: () => number;
}

interface Spare {
  client: StsSdk.STSClient;
  give(credentials: StsIdentity): void;
}

function identityOf(credentials: StsCredentials): StsIdentity {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
  };
}

export class StsClients {
  private sdk: Promise<StsModule> | undefined;
  private settled: Promise<Partial<StsSdk.STSClientConfig>> | undefined;
  /** Both, once loaded: spares are made synchronously, in one turn of the event loop each. */
  private loaded: { sdk: StsModule; settled: Partial<StsSdk.STSClientConfig> } | undefined;
  private readonly kept = new Map<string, { credentials: StsCredentials; client: Promise<StsSdk.STSClient> }>();
  /** Spare clients by region, ready to be given credentials. */
  private readonly spares = new Map<string, Spare[]>();
  private spareCount = 0;
  private sparesPlanned = 0;

  constructor(private readonly settings: StsClientSettings) {}

  /** The SDK module (loaded on first use). */
  module(): Promise<StsModule> {
    this.sdk ??= import('@aws-sdk/client-sts');
    return this.sdk;
  }

  /** A client signing with exactly these credentials, in this region. */
  client(credentials: StsCredentials, region: string): Promise<StsSdk.STSClient> {
    const key = `${region}\n${credentials.accessKeyId}`;
    const known = this.kept.get(key);
    if (known && known.credentials.secretAccessKey === credentials.secretAccessKey && known.credentials.sessionToken === credentials.sessionToken) {
      // Most recently used last, so the oldest goes first when the map is full.
      this.kept.delete(key);
      this.kept.set(key, known);
      return known.client.then((client) => {
        // Start from the offset learnt since (by any client): a skewed clock costs one retry, not one per client.
        client.config.systemClockOffset = this.settings.clockOffsetMs();
        return client;
      });
    }
    const spare = this.takeSpare(region);
    let client: Promise<StsSdk.STSClient>;
    if (spare) {
      spare.give(identityOf(credentials));
      spare.client.config.systemClockOffset = this.settings.clockOffsetMs();
      client = Promise.resolve(spare.client);
    } else {
      client = this.newClient(region, identityOf(credentials));
    }
    this.kept.set(key, { credentials: { ...credentials }, client });
    // A failed construction is not kept.
    client.catch(() => this.kept.delete(key));
    while (this.kept.size > MAX_KEPT_CLIENTS) this.kept.delete(this.kept.keys().next().value ?? '');
    return client;
  }

  /**
   * A request that brings new credentials for this region is on its way: make a client for them
   * once the requests being prepared now have left (setImmediate), while the answer is awaited.
   */
  expectNewCredentials(region: string): void {
    if (!this.loaded || this.spareCount + this.sparesPlanned >= MAX_SPARE_CLIENTS) return;
    this.sparesPlanned += 1;
    setImmediate(() => {
      this.sparesPlanned -= 1;
      if (!this.loaded || this.spareCount >= MAX_SPARE_CLIENTS) return;
      const spare = this.newSpare(region, this.loaded);
      const list = this.spares.get(region) ?? [];
      list.push(spare);
      this.spares.set(region, list);
      this.spareCount += 1;
    }).unref();
  }

  /** Forget every client (the connection pool is the gateway's to close). */
  clear(): void {
    this.kept.clear();
    this.spares.clear();
    this.spareCount = 0;
  }

  private takeSpare(region: string): Spare | undefined {
    const spare = this.spares.get(region)?.pop();
    if (spare) this.spareCount -= 1;
    return spare;
  }

  private newSpare(region: string, loaded: { sdk: StsModule; settled: Partial<StsSdk.STSClientConfig> }): Spare {
    let give: (credentials: StsIdentity) => void = () => undefined;
    const credentials = new Promise<StsIdentity>((resolve) => {
      give = resolve;
    });
    return { client: this.construct(loaded.sdk, loaded.settled, region, () => credentials), give };
  }

  private async newClient(region: string, credentials: StsIdentity): Promise<StsSdk.STSClient> {
    const sdk = await this.module();
    const settled = await this.settledConfig(sdk);
    this.loaded ??= { sdk, settled };
    return this.construct(sdk, settled, region, credentials);
  }

  private construct(sdk: StsModule, settled: Partial<StsSdk.STSClientConfig>, region: string, credentials: StsSdk.STSClientConfig['credentials']): StsSdk.STSClient {
    return new sdk.STSClient({
      ...settled,
      region,
      ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      credentials,
      maxAttempts: this.settings.maxAttempts,
      // Start from the offset learnt on earlier calls, so a skewed clock costs one retry, not one per call.
      systemClockOffset: this.settings.clockOffsetMs(),
    });
  }

  /**
   * Settings the SDK would look up for every client (FIPS and dual-stack endpoints, retry mode,
   * app id: from the environment and ~/.aws/config), looked up once, as the user set them; and
   * what every client can share: one HTTP handler (its pool and timeouts) and the user agent.
   */
  private settledConfig(sdk: StsModule): Promise<Partial<StsSdk.STSClientConfig>> {
    this.settled ??= (async () => {
      const probe = new sdk.STSClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
        requestHandler: {
          ...this.settings.agents(),
          connectionTimeout: this.settings.connectionTimeoutMs,
          requestTimeout: this.settings.requestTimeoutMs,
          // Without this the SDK only logs a warning and keeps waiting.
          throwOnRequestTimeout: true,
        },
      });
      const c = probe.config;
      // A provider, not the value: an absent app id (undefined) would make every new client
      // look it up again (AWS_SDK_UA_APP_ID, then ~/.aws/config): 4 ms of a sign-in to 20 accounts.
      const appId = await c.userAgentAppId();
      // The SDK's user agent, the same for every client (without the app id, which the SDK adds).
      const userAgent = await c.defaultUserAgentProvider();
      return {
        useFipsEndpoint: await c.useFipsEndpoint(),
        useDualstackEndpoint: await c.useDualstackEndpoint(),
        retryMode: typeof c.retryMode === 'string' ? c.retryMode : await c.retryMode(),
        userAgentAppId: () => Promise.resolve(appId),
        defaultUserAgentProvider: () => Promise.resolve(userAgent.map((pair) => [...pair] as typeof pair)),
        // Read again by every client otherwise (AWS_DEFAULTS_MODE, AWS_AUTH_SCHEME_PREFERENCE and
        // their config-file keys): 3 ms of each account's client in a sign-in to 20 accounts.
        defaultsMode: typeof c.defaultsMode === 'function' ? await c.defaultsMode() : c.defaultsMode,
        authSchemePreference: await c.authSchemePreference(),
        // One handler for every client (a handler per client set itself up on its first request).
        // Never destroyed with a client: the gateway's close() closes the pool.
        requestHandler: c.requestHandler,
      };
    })();
    return this.settled;
  }
}
