/**
 * The accounts panel shows one piece of feedback at a time: a toast confirming what was copied,
 * or an action's error in its row. A new one replaces the old, so a failed copy never sits
 * under a stale "Copied …" toast.
 */
export type Feedback = { kind: 'toast'; text: string } | { kind: 'error'; profile: string; text: string };
