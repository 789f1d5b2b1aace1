import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build-cli.global.ts', 'test/setup/build-app.global.ts'],
    // Interop tests spawn the real AWS CLI (a Python program): a cold start takes a second or two.
    testTimeout: 30_000,
    // Most suites wait on child processes (the command line, the AWS CLI, Chromium, shells), so
    // two files at once keep both cores of the CI machine busy; vitest's default (cores - 1) is
    // one file at a time there.
    maxWorkers: 2,
    hookTimeout: 30_000,
    // Skips must say why: keep the reporter that prints skipped tests' names.
    reporters: ['default'],
  },
});
