import { demoMode, type DemoMode } from './demo-mode.js';

/**
 * The switches a developer may flip with environment variables: dev tools in the windows
 * (AWS_AUTH_TRAY_DEVTOOLS=1), the Electron end-to-end test's hooks into the main process
 * (AWS_AUTH_TRAY_TEST_HOOKS=1) and `npm run demo` (AWS_AUTH_TRAY_DEMO=1). A packaged build honours
 * none of them: an environment variable must never open a debugger onto the process that holds
 * the secrets, hand the tray's actions to a script, or show MFA codes fetched from a local URL.
 */
export interface DeveloperSwitches {
  devTools: boolean;
  testHooks: boolean;
  demo: DemoMode | undefined;
}

export function developerSwitches(env: NodeJS.ProcessEnv, { packaged }: { packaged: boolean }): DeveloperSwitches {
  if (packaged) return { devTools: false, testHooks: false, demo: undefined };
  return {
    devTools: env.AWS_AUTH_TRAY_DEVTOOLS === '1',
    testHooks: env.AWS_AUTH_TRAY_TEST_HOOKS === '1',
    demo: demoMode(env),
  };
}
