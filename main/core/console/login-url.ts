import type { FederationEndpoint } from './federation-endpoint.js';

/** The name the console shows as where the person came from (aws-vault says "aws-vault"). */
export const LOGIN_ISSUER = 'aws-auth-tray';

/**
 * The federation endpoint's `login` URL: opened in a browser, it signs the console in with the
 * token and goes to the destination. It carries the sign-in token: a secret, never logged, never
 * shown in a window.
 */
export function loginUrl(endpoint: FederationEndpoint, signinToken: string, destination: string): string {
  const query = new URLSearchParams({ Action: 'login', Issuer: LOGIN_ISSUER, Destination: destination, SigninToken: signinToken });
  return `${endpoint.url}?${query.toString()}`;
}
