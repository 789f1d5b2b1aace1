import { ActionDeadline } from '../sts/action-deadline.js';
import { DEFAULT_STS_DEADLINE_MS, type StsCredentials } from '../sts/sts-gateway.js';
import { aliasFromListing } from './account-alias.js';
import { IamClients, type IamClientOptions } from './iam-clients.js';
import { isCallableEndpoint, resolveIamEndpoint, type IamPartition } from './iam-endpoint.js';

/**
 * An account's alias, from IAM `ListAccountAliases` called with that account's credentials (the
 * role session verify already has), through the AWS SDK v3 (`@aws-sdk/client-iam`), loaded on
 * first use as the STS gateway loads its SDK.
 *
 * The alias is a nicety, never a reason for verify to fail or wait: this never throws; one
 * attempt (a refusal is not worth a retry, and a retry would slow the account's row); the
 * deadline is the user action's (action-deadline.ts), as for the account's STS calls; and the
 * answer says whether it is worth remembering (an alias, none, or a refusal: yes; no answer:
 * no, ask again next time). Only an alias of IAM's own shape comes back (account-alias.ts).
 */

export interface AliasAnswer {
  /** The account's alias, when IAM named one of the right shape. */
  alias: string | undefined;
  /**
   * Whether the answer is worth remembering: IAM answered (an alias, none, or something that is
   * not an alias) or refused the caller (AccessDenied). False when it could not be asked or did
   * not answer (network, throttling, the deadline, credentials AWS no longer honours).
   */
  lasting: boolean;
}

export interface AliasCallOptions {
  /** Stop waiting (verification over, sign-out): the answer is then "not known". */
  signal?: AbortSignal | undefined;
}

export interface AccountAliasReader {
  accountAlias(credentials: StsCredentials, partition: IamPartition, options?: AliasCallOptions): Promise<AliasAnswer>;
}

export interface SdkAccountAliasReaderOptions extends IamClientOptions {
  /** An explicit IAM endpoint. Without it: AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL, else AWS's (iam-endpoint.ts). */
  endpoint?: string | undefined;
  /** Where the endpoint override variables are read from (default process.env). */
  env?: NodeJS.ProcessEnv | undefined;
  /** The deadline outside a user action (inside one, the action's). */
  deadlineMs?: number | undefined;
}

/** AWS's words for "this caller may not do that": a lasting answer (no alias known). */
const REFUSALS = new Set(['AccessDenied', 'AccessDeniedException']);

const NOT_KNOWN: AliasAnswer = Object.freeze({ alias: undefined, lasting: false });

function errorName(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  return typeof Code === 'string' ? Code : typeof name === 'string' ? name : undefined;
}

export class SdkAccountAliasReader implements AccountAliasReader {
  private readonly clients: IamClients;

  constructor(private readonly options: SdkAccountAliasReaderOptions = {}) {
    this.clients = new IamClients(options);
  }

  /** Close pooled connections. */
  close(): void {
    this.clients.close();
  }

  async accountAlias(credentials: StsCredentials, partition: IamPartition, options: AliasCallOptions = {}): Promise<AliasAnswer> {
    const endpoint = resolveIamEndpoint(this.options.endpoint, this.options.env ?? process.env);
    if (!endpoint || (endpoint.url !== undefined && !isCallableEndpoint(endpoint.url))) return NOT_KNOWN;
    // Set before the first await: a call started beside the account's STS call shares its deadline.
    const { signal: deadline } = ActionDeadline.forCall(this.options.deadlineMs ?? DEFAULT_STS_DEADLINE_MS);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    if (signal.aborted) return NOT_KNOWN;
    try {
      const sdk = await this.clients.sdk();
      // A refusal is final, and a retry would only hold up the account's row: one attempt.
      const client = await this.clients.client({ credentials, partition, endpoint: endpoint.url, maxAttempts: 1 });
      if (signal.aborted) return NOT_KNOWN;
      const out = await client.send(new sdk.ListAccountAliasesCommand({}), { abortSignal: signal });
      return { alias: aliasFromListing(out.AccountAliases), lasting: true };
    } catch (error) {
      if (signal.aborted) return NOT_KNOWN;
      const name = errorName(error);
      return { alias: undefined, lasting: name !== undefined && REFUSALS.has(name) };
    }
  }
}
