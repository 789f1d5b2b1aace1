/**
 * What the harness puts into every page before the renderer's own script runs, in place of the
 * Electron preload: `window.awsAuthTray` with the preload's function and event names, each
 * function calling the harness through one Playwright binding, and a page-side registry of
 * event listeners that the harness feeds with `page.evaluate`.
 *
 * `installBridge` is serialized into the page: it must not use anything from its module.
 */
export interface BridgeNames {
  functions: Readonly<Record<string, string>>;
  events: Readonly<Record<string, string>>;
  /** The global the API lives in (`awsAuthTray`). */
  global: string;
  /** The Playwright binding that runs a contract call in the harness. */
  invoke: string;
  /** The page function the harness calls to deliver an event. */
  emit: string;
}

type Listener = (payload: unknown) => void;

export function installBridge(names: BridgeNames): void {
  const scope = globalThis as unknown as Record<string, unknown>;
  const listeners = new Map<string, Set<Listener>>();
  const api: Record<string, unknown> = {};
  for (const [name, channel] of Object.entries(names.functions)) {
    api[name] = (input?: unknown): Promise<unknown> => {
      const invoke = scope[names.invoke] as ((channel: string, input: unknown) => Promise<unknown>) | undefined;
      if (typeof invoke !== 'function') return Promise.reject(new Error('The harness binding is missing.'));
      return invoke(channel, input);
    };
  }
  for (const [name, event] of Object.entries(names.events)) {
    api[name] = (listener: Listener): (() => void) => {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    };
  }
  Object.defineProperty(scope, names.emit, {
    value: (event: string, payload: unknown): void => {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
  });
  Object.defineProperty(scope, names.global, { value: Object.freeze(api), enumerable: true });
}
