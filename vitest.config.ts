import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build-cli.global.ts', 'test/setup/build-app.global.ts'],
    // The pinned AWS SDK runs on Node.js 20; its notice about 2027 releases needing Node.js 22 is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Interop tests spawn the real AWS CLI (a Python program): a cold start takes a second or two.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Skips must say why: keep the reporter that prints skipped tests' names.
    reporters: ['default'],
  },
});
