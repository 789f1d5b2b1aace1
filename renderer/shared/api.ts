import type { Result } from '../../main/ipc/ipc-contract';
import type { AwsAuthTrayApi } from '../../main/ipc/renderer-api';

/**
 * The renderer's only door to the app: `window.awsAuthTray`, exposed by the sandboxed preload
 * (or, in the browser tests, by the harness's init script). Every call answers with the
 * contract's Result envelope; errors are sentences meant for the person using the app.
 */
declare global {
  interface Window {
    awsAuthTray: AwsAuthTrayApi;
  }
}

export function api(): AwsAuthTrayApi {
  const bridge = (window as Partial<Window>).awsAuthTray;
  if (!bridge) throw new Error('AWS Auth Tray could not reach its main process: this page must be opened by the app.');
  return bridge;
}

/** Runs a call; an exception (the bridge itself failing) becomes a failed Result with a sentence too. */
export async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, error: { code: 'bridge', message: `AWS Auth Tray did not answer: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
