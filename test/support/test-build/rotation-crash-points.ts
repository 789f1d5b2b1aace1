import type { RotationStep } from '../../../main/core/rotation/key-rotation.js';

/**
 * The command line's test build (dist-test/cli) uses this in place of
 * main/core/rotation/rotation-crash-points.ts: after the rotation step named in
 * AWS_AUTH_TRAY_TEST_KILL_AFTER_ROTATION_STEP the process kills itself with SIGKILL, as a crash
 * or a power cut would, with no clean-up of any kind. Never part of a release build.
 */
export const KILL_AFTER_ROTATION_STEP_VARIABLE = 'AWS_AUTH_TRAY_TEST_KILL_AFTER_ROTATION_STEP';

export function rotationCrashPoint(step: RotationStep): void {
  if (process.env[KILL_AFTER_ROTATION_STEP_VARIABLE] === step) process.kill(process.pid, 'SIGKILL');
}
