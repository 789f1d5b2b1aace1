import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControlRequest, CONTROL_PATH_PREFIX } from './control-api.js';
import { EmulatorClock } from './emulator-clock.js';
import { FaultInjector, type FaultRequest, type PendingFault } from './fault-injector.js';
import { FederationEndpoint, isFederationPath } from './federation-endpoint.js';
import type { Fixture } from './fixture.js';
import { FIXTURE_EPOCH_BEFORE_START_MS, IamDirectory, type AccessKeyStatus } from './iam-directory.js';
import { loadIamModel } from './iam-model.js';
import { iamOperations, type IamOperationContext } from './iam-operations.js';
import { IssuedCredentialStore } from './issued-credentials.js';
import { MfaVerifier, totpCode, totpRemainingMs } from './mfa-verifier.js';
import { handleQueryRequest } from './query-protocol.js';
import { iamSigningRegion, type QueryService } from './query-services.js';
import { RequestLog, type RequestLogEntry, type RequestLogFilter } from './request-log.js';
import type { ServiceModel } from './service-model.js';
import { loadStsModel } from './sts-model.js';
import { stsOperations, type OperationContext } from './sts-operations.js';

export interface StsEmulatorOptions {
  fixture: Fixture;
  /** Defaults to 127.0.0.1; the emulator is meant for this machine only. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  latencyMs?: number;
  /**
   * How long a key made by IAM CreateAccessKey is refused (InvalidClientTokenId) by STS and IAM,
   * in milliseconds of the emulator's clock, as AWS refuses a new key for a few seconds. Default 0.
   */
  keyPropagationDelayMs?: number;
  /** The wall clock the emulator's clock is built on (tests may pin it). */
  wallClock?: () => number;
}

/** What the STS and IAM operations are given: the emulator itself. */
export type EmulatorContext = OperationContext & IamOperationContext;

export interface MfaCodeReading {
  serialNumber: string;
  code: string;
  /** Milliseconds until the device shows its next code. */
  validForMs: number;
}

/**
 * A local AWS STS (GetCallerIdentity, GetSessionToken, AssumeRole) and IAM (the user's own access
 * keys, MFA devices and account alias) over the Query protocol on one port, told apart by the
 * service their SigV4 signature is scoped to, with TOTP MFA, trust policies and AWS's errors,
 * plus a control surface for tests (clock, latency, faults, key propagation, request log) both
 * as methods here and over HTTP under `/__emulator/`.
 */
export class StsEmulator {
  /** The STS model. */
  readonly model: ServiceModel = loadStsModel();
  readonly iamModel: ServiceModel = loadIamModel();
  /** The Query protocol services on this port: STS first (the answer to requests that name neither). */
  readonly services: readonly [QueryService<EmulatorContext>, ...QueryService<EmulatorContext>[]];
  readonly clock: EmulatorClock;
  readonly directory: IamDirectory;
  readonly issued = new IssuedCredentialStore();
  readonly mfa = new MfaVerifier();
  readonly faults = new FaultInjector();
  readonly log = new RequestLog();
  /** The console federation endpoint (/federation, /console/), see federation-endpoint.ts. */
  readonly federation: FederationEndpoint;
  private server: Server | undefined;
  private listeningUrl: string | undefined;
  private readonly initialLatencyMs: number;

  constructor(readonly fixture: Fixture, options: Pick<StsEmulatorOptions, 'latencyMs' | 'keyPropagationDelayMs' | 'wallClock'> = {}) {
    this.clock = new EmulatorClock(options.wallClock);
    // Fixture users, keys and MFA devices without a date of their own date from 30 days before
    // the emulator started (to the second), so their age is the same on every run.
    const defaultDate = new Date(Math.floor((this.clock.now().getTime() - FIXTURE_EPOCH_BEFORE_START_MS) / 1000) * 1000);
    this.directory = new IamDirectory(fixture, defaultDate, options.keyPropagationDelayMs ?? 0);
    this.services = [
      { name: 'sts', model: this.model, operations: stsOperations, scope: { service: 'sts' } },
      { name: 'iam', model: this.iamModel, operations: iamOperations, scope: { service: 'iam', regions: [iamSigningRegion(fixture.partition)] } },
    ];
    this.federation = new FederationEndpoint(this);
    this.initialLatencyMs = options.latencyMs ?? 0;
    this.faults.setLatency(this.initialLatencyMs);
  }

  /** Base URL, e.g. `http://127.0.0.1:4599`; use it as the SDK's or CLI's endpoint. */
  get url(): string {
    if (!this.listeningUrl) throw new Error('The STS emulator is not listening; call listen() first.');
    return this.listeningUrl;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => {
      void this.dispatch(req, res);
    });
    // AWS SDKs keep connections alive; so does the emulator, within reason.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.listeningUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.listeningUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if ((req.url ?? '/').startsWith(CONTROL_PATH_PREFIX)) await handleControlRequest(this, req, res);
      else if (isFederationPath(new URL(req.url ?? '/', 'http://sts.emulator').pathname)) await this.federation.handle(req, res);
      else await handleQueryRequest(this, req, res);
    } catch (error) {
      // Every handler answers its own errors; this is the last line against a crash.
      console.error('STS emulator: unexpected failure while answering a request:', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  }

  // ---- control surface (also served over HTTP by control-api.ts) ----

  get latencyMs(): number {
    return this.faults.latencyMs;
  }

  setLatency(ms: number): void {
    this.faults.setLatency(ms);
  }

  injectFault(fault: FaultRequest): void {
    this.faults.inject(fault);
  }

  pendingFaults(): PendingFault[] {
    return this.faults.pending();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  requests(filter?: RequestLogFilter): RequestLogEntry[] {
    return this.log.entries(filter);
  }

  clearRequests(): void {
    this.log.clear();
  }

  /** Returns false when no such key exists (never did, or was deleted). */
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): boolean {
    return this.directory.setAccessKeyStatus(accessKeyId, status);
  }

  get keyPropagationDelayMs(): number {
    return this.directory.keyPropagationDelayMs;
  }

  /**
   * Keys made by CreateAccessKey are refused (InvalidClientTokenId) until `ms` of the emulator's
   * clock have passed since they were made; applies at once, to keys already made too.
   */
  setKeyPropagationDelay(ms: number): void {
    this.directory.setKeyPropagationDelay(ms);
  }

  /** The code the device shows now on the emulator's clock, as a phone would display it. */
  mfaCode(serialNumber: string, at: Date = this.clock.now()): MfaCodeReading | undefined {
    const found = this.directory.findMfaDevice(serialNumber);
    if (!found) return undefined;
    return { serialNumber, code: totpCode(found.device, at), validForMs: totpRemainingMs(at) };
  }

  /**
   * Forget every issued session, used MFA code, fault, log entry and clock change, and put the
   * access keys back as the fixture has them (created keys gone, deleted ones back, statuses,
   * last use), with the propagation delay and latency the emulator started with.
   */
  reset(): void {
    this.issued.clear();
    this.federation.reset();
    this.mfa.reset();
    this.faults.reset();
    this.faults.setLatency(this.initialLatencyMs);
    this.log.clear();
    this.clock.reset();
    this.directory.reset();
  }
}

/** Start an emulator on 127.0.0.1 (a free port unless one is given). */
export async function startStsEmulator(options: StsEmulatorOptions): Promise<StsEmulator> {
  const emulator = new StsEmulator(options.fixture, options);
  await emulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return emulator;
}
