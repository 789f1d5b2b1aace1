/**
 * How long one user action may wait on STS, every request and attempt included, unless told
 * otherwise. In a file of its own so that help texts can name it without loading the STS gateway
 * (and node:http with it) into a process the running app answers.
 */
export const DEFAULT_STS_DEADLINE_MS = 20_000;
