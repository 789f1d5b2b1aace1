import type { RotationStep } from './key-rotation.js';

/**
 * Called after each step of an access key rotation, where a crash could land. In every real
 * build it does nothing.
 *
 * It has a file of its own for one reason: the command line's test build (scripts/build-cli.ts,
 * `variant: 'test'`, written to dist-test/, never shipped) swaps this module for
 * test/support/test-build/rotation-crash-points.ts, which kills the process with SIGKILL after
 * the step named in AWS_AUTH_TRAY_TEST_KILL_AFTER_ROTATION_STEP. That is how the tests prove a
 * rotation killed after any step leaves a vault with a working key, and that the next command
 * finishes or rolls it back.
 */
export function rotationCrashPoint(step: RotationStep): void {
  void step;
}
