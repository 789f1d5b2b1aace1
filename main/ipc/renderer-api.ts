import type { API_EVENTS, API_FUNCTIONS } from './api-names.js';
import type { EventPayloads, InputOf, OutputOf, Result } from './ipc-contract.js';

/** The type of `window.awsAuthTray` in the renderer, derived from the contract. */
export type AwsAuthTrayApi = {
  [F in keyof typeof API_FUNCTIONS]: InputOf<(typeof API_FUNCTIONS)[F]> extends undefined
    ? () => Promise<Result<OutputOf<(typeof API_FUNCTIONS)[F]>>>
    : (input: InputOf<(typeof API_FUNCTIONS)[F]>) => Promise<Result<OutputOf<(typeof API_FUNCTIONS)[F]>>>;
} & {
  /** Subscribe; returns the function that unsubscribes. */
  [E in keyof typeof API_EVENTS]: (listener: (payload: EventPayloads[(typeof API_EVENTS)[E]]) => void) => () => void;
};
