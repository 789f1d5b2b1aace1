import type * as IamSdk from '@aws-sdk/client-iam';
import { mfaSerialProblem } from '../profiles/profile-values.js';
import { accessKeyIdProblem } from '../vault/access-key-id.js';
import { ActionDeadline } from '../sts/action-deadline.js';
import { DEFAULT_STS_DEADLINE_MS } from '../sts/sts-deadline.js';
import type { IamOperation } from '../sts/sts-error-sentence.js';
import type { StsCredentials } from '../sts/sts-gateway.js';
import { UserFacingError } from '../user-facing-error.js';
import { IamClients, type IamClientOptions } from './iam-clients.js';
import { isCallableEndpoint, resolveIamEndpoint, type IamPartition } from './iam-endpoint.js';
import { iamUserFacingError } from './iam-error-sentence.js';

/**
 * The IAM calls an IAM user makes about itself: its access keys (list, create, activate or
 * deactivate, delete, last used) and its MFA devices, through the AWS SDK v3. Every call is made
 * with the credentials given (the user's MFA session, as IAM self-management policies require)
 * and names no user: IAM then acts on the caller's own user.
 *
 * Failures come back as UserFacingErrors with a sentence (iam-error-sentence.ts). Reads retry
 * as the SDK does (throttling, 5xx); CreateAccessKey makes one attempt, because the SDK takes
 * IAM's LimitExceeded (two keys already) for throttling and would retry a refusal that is final,
 * and a retried create could leave a key the caller never saw. Every call honours the user
 * action's deadline (action-deadline.ts), like STS's.
 */

export interface IamTarget {
  credentials: StsCredentials;
  partition: IamPartition;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  /** IAM's CreateDate; undefined if IAM did not say. */
  createdAt: Date | undefined;
}

export interface AccessKeyLastUsed {
  /** Undefined: never used (IAM answers N/A). */
  lastUsedAt: Date | undefined;
  serviceName: string | undefined;
  region: string | undefined;
}

export interface NewAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  createdAt: Date | undefined;
}

export interface MfaDeviceInfo {
  serialNumber: string;
  enabledAt: Date | undefined;
}

export interface IamCallOptions {
  signal?: AbortSignal | undefined;
}

export interface IamGateway {
  /** The caller's user name (GetUser). */
  userName(target: IamTarget, options?: IamCallOptions): Promise<string>;
  listAccessKeys(target: IamTarget, options?: IamCallOptions): Promise<AccessKeyInfo[]>;
  accessKeyLastUsed(target: IamTarget, accessKeyId: string, options?: IamCallOptions): Promise<AccessKeyLastUsed>;
  createAccessKey(target: IamTarget, options?: IamCallOptions): Promise<NewAccessKey>;
  setAccessKeyStatus(target: IamTarget, accessKeyId: string, status: 'Active' | 'Inactive', options?: IamCallOptions): Promise<void>;
  deleteAccessKey(target: IamTarget, accessKeyId: string, options?: IamCallOptions): Promise<void>;
  listMfaDevices(target: IamTarget, options?: IamCallOptions): Promise<MfaDeviceInfo[]>;
}

export interface SdkIamGatewayOptions extends IamClientOptions {
  /** An explicit IAM endpoint. Without it: AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, else AWS's (iam-endpoint.ts). */
  endpoint?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Attempts for reads and the other writes (default 3, the SDK's standard). */
  maxAttempts?: number | undefined;
  /** The deadline outside a user action (inside one, the action's). */
  deadlineMs?: number | undefined;
}


function date(value: Date | undefined): Date | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;
}

export class SdkIamGateway implements IamGateway {
  private readonly clients: IamClients;

  constructor(private readonly options: SdkIamGatewayOptions = {}) {
    this.clients = new IamClients(options);
  }

  close(): void {
    this.clients.close();
  }

  private async call<T>(
    target: IamTarget,
    operation: IamOperation,
    context: { accessKeyId?: string; maxAttempts?: number },
    options: IamCallOptions,
    send: (sdk: typeof IamSdk, client: IamSdk.IAMClient, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const endpoint = resolveIamEndpoint(this.options.endpoint, this.options.env ?? process.env);
    if (!endpoint) {
      throw new UserFacingError(
        'iam-not-configured',
        `AWS_ENDPOINT_URL_STS sends STS calls elsewhere, so IAM (${operation}) is not called with the sessions it issues. Set AWS_ENDPOINT_URL_IAM (or AWS_ENDPOINT_URL) to the matching IAM endpoint.`,
      );
    }
    const shown = endpoint.url ?? 'https://iam.amazonaws.com';
    if (endpoint.url !== undefined && !isCallableEndpoint(endpoint.url)) {
      throw new UserFacingError('endpoint-invalid', `The IAM endpoint ${endpoint.url} (${endpoint.source ?? 'setting'}) is not an http(s) address. Correct it, then try again.`);
    }
    const { deadlineMs, signal: deadline } = ActionDeadline.forCall(this.options.deadlineMs ?? DEFAULT_STS_DEADLINE_MS);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    const ctx = {
      operation,
      endpoint: shown,
      endpointSource: endpoint.source === 'endpoint' ? undefined : endpoint.source,
      deadlineMs,
      accessKeyId: context.accessKeyId,
      temporaryCredentials: target.credentials.sessionToken !== undefined,
    };
    try {
      const sdk = await this.clients.sdk();
      const client = await this.clients.client({
        credentials: target.credentials,
        partition: target.partition,
        endpoint: endpoint.url,
        maxAttempts: context.maxAttempts ?? this.options.maxAttempts ?? 3,
      });
      return await send(sdk, client, signal);
    } catch (error) {
      if (options.signal?.aborted && !deadline.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : error;
      if (error instanceof UserFacingError) throw error;
      throw iamUserFacingError(deadline.aborted ? Object.assign(new Error('deadline'), { name: 'StsDeadlineExceeded' }) : error, ctx);
    }
  }

  userName(target: IamTarget, options: IamCallOptions = {}): Promise<string> {
    return this.call(target, 'GetUser', {}, options, async (sdk, client, abortSignal) => {
      const out = await client.send(new sdk.GetUserCommand({}), { abortSignal });
      const name = out.User?.UserName;
      if (!name) throw incomplete('GetUser');
      return name;
    });
  }

  listAccessKeys(target: IamTarget, options: IamCallOptions = {}): Promise<AccessKeyInfo[]> {
    return this.call(target, 'ListAccessKeys', {}, options, async (sdk, client, abortSignal) => {
      const keys: AccessKeyInfo[] = [];
      let marker: string | undefined;
      // A user has at most two keys; the loop is for IAM's paging contract, bounded all the same.
      for (let page = 0; page < 10; page += 1) {
        const out = await client.send(new sdk.ListAccessKeysCommand({ ...(marker ? { Marker: marker } : {}) }), { abortSignal });
        for (const key of out.AccessKeyMetadata ?? []) {
          if (!key.AccessKeyId || accessKeyIdProblem(key.AccessKeyId) !== undefined) continue;
          if (key.Status !== 'Active' && key.Status !== 'Inactive') continue;
          keys.push({ accessKeyId: key.AccessKeyId, status: key.Status, createdAt: date(key.CreateDate) });
        }
        if (!out.IsTruncated || !out.Marker) break;
        marker = out.Marker;
      }
      return keys;
    });
  }

  accessKeyLastUsed(target: IamTarget, accessKeyId: string, options: IamCallOptions = {}): Promise<AccessKeyLastUsed> {
    return this.call(target, 'GetAccessKeyLastUsed', { accessKeyId }, options, async (sdk, client, abortSignal) => {
      const out = await client.send(new sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }), { abortSignal });
      const used = out.AccessKeyLastUsed;
      const plain = (value: string | undefined): string | undefined => (value && value !== 'N/A' && /^[a-z0-9-]{1,64}$/.test(value) ? value : undefined);
      return { lastUsedAt: date(used?.LastUsedDate), serviceName: plain(used?.ServiceName), region: plain(used?.Region) };
    });
  }

  createAccessKey(target: IamTarget, options: IamCallOptions = {}): Promise<NewAccessKey> {
    return this.call(target, 'CreateAccessKey', { maxAttempts: 1 }, options, async (sdk, client, abortSignal) => {
      const out = await client.send(new sdk.CreateAccessKeyCommand({}), { abortSignal });
      const key = out.AccessKey;
      if (!key?.AccessKeyId || accessKeyIdProblem(key.AccessKeyId) !== undefined || !key.SecretAccessKey) throw incomplete('CreateAccessKey');
      return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, createdAt: date(key.CreateDate) };
    });
  }

  setAccessKeyStatus(target: IamTarget, accessKeyId: string, status: 'Active' | 'Inactive', options: IamCallOptions = {}): Promise<void> {
    return this.call(target, 'UpdateAccessKey', { accessKeyId }, options, async (sdk, client, abortSignal) => {
      await client.send(new sdk.UpdateAccessKeyCommand({ AccessKeyId: accessKeyId, Status: status }), { abortSignal });
    });
  }

  deleteAccessKey(target: IamTarget, accessKeyId: string, options: IamCallOptions = {}): Promise<void> {
    return this.call(target, 'DeleteAccessKey', { accessKeyId }, options, async (sdk, client, abortSignal) => {
      await client.send(new sdk.DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }), { abortSignal });
    });
  }

  listMfaDevices(target: IamTarget, options: IamCallOptions = {}): Promise<MfaDeviceInfo[]> {
    return this.call(target, 'ListMFADevices', {}, options, async (sdk, client, abortSignal) => {
      const devices: MfaDeviceInfo[] = [];
      let marker: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const out = await client.send(new sdk.ListMFADevicesCommand({ ...(marker ? { Marker: marker } : {}) }), { abortSignal });
        for (const device of out.MFADevices ?? []) {
          if (!device.SerialNumber || mfaSerialProblem(device.SerialNumber) !== undefined) continue;
          devices.push({ serialNumber: device.SerialNumber, enabledAt: date(device.EnableDate) });
        }
        if (!out.IsTruncated || !out.Marker) break;
        marker = out.Marker;
      }
      return devices;
    });
  }
}

function incomplete(operation: IamOperation): UserFacingError {
  return new UserFacingError('not-iam', `IAM's answer to ${operation} lacked what IAM always sends: something other than IAM answered. Check AWS_ENDPOINT_URL_IAM or your proxy, then try again.`);
}
