/**
 * `npm run demo`: the app against the local STS emulator, with the emulator's virtual MFA code
 * shown in the popup (labelled demo only) so a new user can try everything without AWS.
 * Active only when AWS_AUTH_TRAY_DEMO=1 and AWS_ENDPOINT_URL_STS points at the emulator.
 */
export interface DemoMode {
  endpoint: string;
  configFile: string | undefined;
  credentialsFile: string | undefined;
  mfaCode: (serialNumber: string) => Promise<string | null>;
}

export function demoMode(env: NodeJS.ProcessEnv = process.env): DemoMode | undefined {
  const endpoint = env.AWS_ENDPOINT_URL_STS;
  if (env.AWS_AUTH_TRAY_DEMO !== '1' || !endpoint) return undefined;
  return {
    endpoint,
    configFile: env.AWS_AUTH_TRAY_DEMO_CONFIG,
    credentialsFile: env.AWS_AUTH_TRAY_DEMO_CREDENTIALS,
    mfaCode: async (serialNumber) => {
      try {
        const response = await fetch(`${endpoint}/__emulator/mfa-code?serialNumber=${encodeURIComponent(serialNumber)}`);
        if (!response.ok) return null;
        const body = (await response.json()) as { code?: unknown };
        return typeof body.code === 'string' ? body.code : null;
      } catch {
        return null;
      }
    },
  };
}
