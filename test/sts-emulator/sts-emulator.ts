import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControlRequest, CONTROL_PATH_PREFIX } from './control-api.js';
import { EmulatorClock } from './emulator-clock.js';
import { FaultInjector, type FaultRequest, type PendingFault } from './fault-injector.js';
import { FederationEndpoint, isFederationPath } from './federation-endpoint.js';
import type { Fixture, FixtureAccessKey } from './fixture.js';
import { IamDirectory } from './iam-directory.js';
import { IssuedCredentialStore } from './issued-credentials.js';
import { MfaVerifier, totpCode, totpRemainingMs } from './mfa-verifier.js';
import { RequestLog, type RequestLogEntry, type RequestLogFilter } from './request-log.js';
import { handleStsRequest } from './sts-protocol.js';
import { loadStsModel, type StsModel } from './sts-model.js';

export interface StsEmulatorOptions {
  fixture: Fixture;
  /** Defaults to 127.0.0.1; the emulator is meant for this machine only. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  latencyMs?: number;
  /** The wall clock the emulator's clock is built on (tests may pin it). */
  wallClock?: () => number;
}

export interface MfaCodeReading {
  serialNumber: string;
  code: string;
  /** Milliseconds until the device shows its next code. */
  validForMs: number;
}

/**
 * A local AWS STS: GetCallerIdentity, GetSessionToken and AssumeRole over the Query protocol,
 * with SigV4 authentication, TOTP MFA, trust policies and AWS's errors, plus a control surface
 * for tests (clock, latency, faults, request log) both as methods here and over HTTP under
 * `/__emulator/`.
 */
export class StsEmulator {
  readonly model: StsModel = loadStsModel();
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

  constructor(readonly fixture: Fixture, options: Pick<StsEmulatorOptions, 'latencyMs' | 'wallClock'> = {}) {
    this.clock = new EmulatorClock(options.wallClock);
    this.directory = new IamDirectory(fixture);
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
      else await handleStsRequest(this, req, res);
    } catch (error) {
      // Both handlers answer their own errors; this is the last line against a crash.
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

  /** Returns false when the fixture has no such key. */
  setAccessKeyStatus(accessKeyId: string, status: FixtureAccessKey['status']): boolean {
    return this.directory.setAccessKeyStatus(accessKeyId, status);
  }

  /** The code the device shows now on the emulator's clock, as a phone would display it. */
  mfaCode(serialNumber: string, at: Date = this.clock.now()): MfaCodeReading | undefined {
    const found = this.directory.findMfaDevice(serialNumber);
    if (!found) return undefined;
    return { serialNumber, code: totpCode(found.device, at), validForMs: totpRemainingMs(at) };
  }

  /** Forget every issued session, used MFA code, fault, log entry, clock change and key status change. */
  reset(): void {
    this.issued.clear();
    this.federation.reset();
    this.mfa.reset();
    this.faults.reset();
    this.faults.setLatency(this.initialLatencyMs);
    this.log.clear();
    this.clock.reset();
    this.directory.resetAccessKeyStatuses();
  }
}

/** Start an emulator on 127.0.0.1 (a free port unless one is given). */
export async function startStsEmulator(options: StsEmulatorOptions): Promise<StsEmulator> {
  const emulator = new StsEmulator(options.fixture, options);
  await emulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return emulator;
}
