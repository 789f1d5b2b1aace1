import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import type { StsEmulator } from '../sts-emulator/sts-emulator.js';

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** The real AWS SDK v3 STS client, pointed at the emulator the standard way (endpoint override). */
export function stsClient(emulator: StsEmulator, credentials: KeyPair, config: Partial<STSClientConfig> = {}): STSClient {
  return new STSClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    ...config,
  });
}

/** Temporary credentials from an STS answer as a key pair for the next client. */
export function keyPairOf(credentials: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined; SessionToken?: string | undefined } | undefined): KeyPair {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
    throw new Error('The STS answer carried no complete credentials');
  }
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
}

/** Runs an SDK call that must fail and returns the AWS error (name, message, HTTP status). */
export async function stsFailure(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined; requestId: string | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId };
  }
  throw new Error('Expected the STS call to fail, but it succeeded');
}
