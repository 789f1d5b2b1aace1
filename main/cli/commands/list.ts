import { parseCommandArgs, type Command } from '../command.js';
import { expiresIn, table } from '../output-table.js';
import { printable, printableJson } from '../terminal-text.js';

const usage = `Usage: aws-auth-tray list [--json]

Shows the identities (IAM users) and profiles in the vault, and how long each cached session
lasts. Needs no passphrase: nothing secret is shown or decrypted.
`;

export const list: Command = {
  name: 'list',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const vault = await ctx.vault();
    const identities = vault.identities();
    const profiles = vault.profiles();
    const sessions = vault.sessionMetadata();
    if (values.json) {
      io.stdout.write(`${printableJson({ vault: vault.path, identities, profiles, sessions })}\n`);
      return 0;
    }
    if (identities.length === 0) {
      io.stdout.write(`The vault at ${printable(vault.path)} is empty. Start with:\n  aws-auth-tray import-config ~/.aws/config   or   aws-auth-tray add-user --label security\n`);
      return 0;
    }
    const now = new Date();
    io.stdout.write(
      table(
        ['IDENTITY', 'ACCESS KEY', 'MFA DEVICE', 'REGION', 'MFA SESSION'],
        identities.map((i) => [i.label, i.hasSecret ? (i.accessKeyId ?? '') : '(no keys yet)', i.mfaSerial ?? '(none)', i.region ?? '', expiresIn(sessions.mfa[i.id]?.expiration, now) || 'signed out']),
      ),
    );
    io.stdout.write('\n');
    io.stdout.write(
      table(
        ['PROFILE', 'IDENTITY', 'ROLE', 'REGION', 'SESSION'],
        profiles.map((p) => {
          const identity = identities.find((i) => i.id === p.identityId);
          const expiry = p.roleArn ? sessions.roles[p.name]?.expiration : sessions.mfa[p.identityId]?.expiration;
          return [p.name, identity?.label ?? '?', `${p.roleArn ?? '(the IAM user itself)'}${p.mfaMode === 'direct' ? ' [own MFA code]' : ''}`, p.region ?? identity?.region ?? '', expiresIn(expiry, now) || '-'];
        }),
      ),
    );
    return 0;
  },
};
