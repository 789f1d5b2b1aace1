import { homedir } from 'node:os';
import { join } from 'node:path';
import { readCredentialsProfile } from '../../core/profiles/aws-config-import.js';
import { mfaDeviceProblem } from '../../core/sts/mfa-device.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import { UsageError } from '../cli-errors.js';
import { parseCommandArgs, type Command } from '../command.js';
import { ask, openTerminal, readStdin, TerminalAnswerCancelled } from '../terminal.js';
import { printable } from '../terminal-text.js';

const usage = `Usage: aws-auth-tray add-user [options]

Adds your IAM user's long-term access key (the source identity every profile signs in from),
checking it with sts get-caller-identity before saving. The secret is read from a hidden prompt,
or from stdin when stdin is not a terminal; never from the command line.

Options:
  --label <name>               what to call this identity (default: default); also the name of
                               its own profile (the security account)
  --access-key-id <AKIA...>    the access key id (asked for when omitted)
  --mfa-serial <arn>           the MFA device ARN, e.g. arn:aws:iam::111111111111:mfa/alice, or a
                               hardware TOTP token's serial number (security keys cannot sign in)
  --region <region>            region for its STS calls (default us-east-1)
  --from-credentials-profile <name>
                               take the key and secret from this profile of an AWS credentials file
  --credentials-file <file>    that file (default $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials)
  --replace                    replace the keys of an existing identity with this label
  --no-verify                  save without calling AWS

Examples:
  aws-auth-tray add-user --label security --access-key-id AKIA... --mfa-serial arn:aws:iam::111111111111:mfa/alice
  pass show aws/alice | aws-auth-tray add-user --label security --access-key-id AKIA... --mfa-serial ...
  aws-auth-tray add-user --label security --from-credentials-profile security
`;

async function readSecret(): Promise<string> {
  if (!process.stdin.isTTY) {
    const piped = (await readStdin()).trim();
    if (piped) return piped;
  }
  const terminal = openTerminal();
  if (!terminal) throw new UserFacingError('secret-needed', 'Give the secret access key on stdin or run the command in a terminal to be asked for it.');
  try {
    return (await ask(terminal, 'Secret access key (not shown): ', { hidden: true })).trim();
  } catch (error) {
    if (error instanceof TerminalAnswerCancelled) throw new UserFacingError('cancelled', 'Cancelled: nothing was saved.');
    throw error;
  } finally {
    terminal.close();
  }
}

async function askAccessKeyId(): Promise<string> {
  const terminal = openTerminal();
  if (!terminal) throw new UsageError('Give the access key id with --access-key-id.');
  try {
    return (await ask(terminal, 'Access key id: ')).trim();
  } finally {
    terminal.close();
  }
}

export const addUser: Command = {
  name: 'add-user',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, {
      label: { type: 'string' },
      'access-key-id': { type: 'string' },
      'mfa-serial': { type: 'string' },
      region: { type: 'string' },
      'from-credentials-profile': { type: 'string' },
      'credentials-file': { type: 'string' },
      replace: { type: 'boolean' },
      'no-verify': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const label = values.label ?? 'default';
    const serialProblem = values['mfa-serial'] === undefined ? undefined : mfaDeviceProblem(values['mfa-serial']);
    if (serialProblem) throw new UsageError(`--mfa-serial ${serialProblem}`);
    const region = values.region ?? 'us-east-1';

    let keys: { accessKeyId: string; secretAccessKey: string };
    if (values['from-credentials-profile']) {
      const file = values['credentials-file'] ?? ctx.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
      keys = await readCredentialsProfile(file, values['from-credentials-profile']);
    } else {
      const accessKeyId = (values['access-key-id'] ?? (await askAccessKeyId())).trim();
      keys = { accessKeyId, secretAccessKey: await readSecret() };
    }
    if (!/^AKIA[A-Z0-9]{12,124}$/.test(keys.accessKeyId)) {
      throw new UsageError(`"${keys.accessKeyId}" is not a long-term access key id (they start with AKIA). Temporary keys (ASIA...) cannot sign in.`);
    }
    if (keys.secretAccessKey.length < 16) throw new UserFacingError('secret-invalid', 'That secret access key is too short; copy all 40 characters.');

    const vault = await ctx.unlock();
    const existing = vault.identity(label);
    if (existing?.hasSecret && !values.replace) {
      throw new UserFacingError('identity-exists', `The identity "${label}" already has keys (${existing.accessKeyId ?? ''}). Use --replace to replace them.`);
    }

    if (!values['no-verify']) {
      const who = await (await ctx.sts()).getCallerIdentity(keys, region);
      io.stderr.write(`${printable(`Verified with AWS: ${who.arn} (account ${who.account})`)}\n`);
      if (!who.arn.includes(':user/')) {
        throw new UserFacingError('not-a-user', `These keys belong to ${who.arn}, not an IAM user; use your IAM user's own access key.`);
      }
    }

    const fields = { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, region, ...(values['mfa-serial'] ? { mfaSerial: values['mfa-serial'] } : {}) };
    const saved = existing ? await vault.updateIdentity(existing.id, fields) : await vault.addIdentity({ label, ...fields });
    if (!vault.profile(label)) vault.upsertProfile({ name: label, identityId: saved.id });
    io.stdout.write(`${printable(`Saved identity "${saved.label}" (${saved.accessKeyId ?? ''}${saved.mfaSerial ? `, MFA ${saved.mfaSerial}` : ', no MFA device'}) in ${vault.path}`)}\n`);
    if (!saved.mfaSerial) io.stderr.write('No MFA device given: roles that require MFA will refuse you. Add one with --mfa-serial and --replace.\n');
    return 0;
  },
};
