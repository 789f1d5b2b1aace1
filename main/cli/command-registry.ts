import type { CommandEntry } from './command.js';

/**
 * Every command, by name, with its one-line summary; its code is loaded only when it runs. The
 * command line starts often (credential_process runs on every AWS CLI call), so a process loads
 * the one command it runs and what that needs, nothing more: no vault, schema library or AWS SDK
 * for a command the running app answers.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'add-user', summary: "add or replace your IAM user's access key (checked with AWS first)", load: async () => (await import('./commands/add-user.js')).addUser },
  { name: 'import-config', summary: 'import profiles from ~/.aws/config (aws-vault style)', load: async () => (await import('./commands/import-config.js')).importConfig },
  { name: 'list', summary: 'show identities, profiles and session expiry (no passphrase needed)', load: async () => (await import('./commands/list.js')).list },
  { name: 'login', summary: 'sign in with one MFA code (MFA session for every profile)', load: async () => (await import('./commands/login.js')).login },
  { name: 'verify', summary: 'check every account with sts get-caller-identity, as a table or JSON', load: async () => (await import('./commands/verify.js')).verify },
  { name: 'export', summary: 'print a profile\'s credentials for bash, zsh, fish, PowerShell, cmd, dotenv, json, ini', load: async () => (await import('./commands/export.js')).exportCommand },
  { name: 'credential-process', summary: 'credentials as credential_process JSON (for ~/.aws/config)', load: async () => (await import('./commands/credential-process.js')).credentialProcess },
  { name: 'exec', summary: 'run a command with a profile\'s credentials in its environment', load: async () => (await import('./commands/exec.js')).exec },
  { name: 'serve', summary: 'serve credentials to other terminals on 127.0.0.1 (no desktop needed)', load: async () => (await import('./commands/serve.js')).serve },
  { name: 'sign-out', summary: 'forget every session (keys and profiles stay)', load: async () => (await import('./commands/sign-out.js')).signOut },
  { name: 'setup', summary: 'set up credential_process in ~/.aws/config with absolute paths (no PATH, no npx)', load: async () => (await import('./commands/setup.js')).setup },
  { name: 'rotate', summary: "rotate your IAM user's access key (new key proven before the old one goes)", load: async () => (await import('./commands/rotate.js')).rotate },
  { name: 'console', summary: 'open the AWS console as a profile\'s role session (or print the sign-in link)', load: async () => (await import('./commands/console.js')).consoleCommand },
];
