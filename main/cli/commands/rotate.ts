import { SdkIamGateway } from '../../core/iam/iam-gateway.js';
import { KeyRotation, type RotationProgress } from '../../core/rotation/key-rotation.js';
import { DEFAULT_PROOF_BOUND_MS } from '../../core/rotation/key-proof.js';
import { normalizeMfaCode, type MfaPromptRequest, type MfaPrompter } from '../../core/sessions/mfa-prompter.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import type { IdentitySummary } from '../../core/vault/vault.js';
import { stsDeadlineMs, type CliContext } from '../cli-context.js';
import { chooseIdentity } from '../choose-identity.js';
import { UsageError } from '../cli-errors.js';
import { GivenCodePrompter, TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';
import { ask, openTerminal, TerminalAnswerCancelled } from '../terminal.js';
import { printable } from '../terminal-text.js';

const usage = `Usage: aws-auth-tray rotate [--label <identity>] [--delete-old | --deactivate-old] [--delete-inactive] [--mfa-code <code>] [--yes]

Rotates the identity's IAM access key, as aws-vault rotate does, but safely: with your MFA
session IAM creates a new key, the vault stores it (encrypted), AWS is asked to accept it
(sts get-caller-identity, retried for up to ${DEFAULT_PROOF_BOUND_MS / 1000} seconds while IAM spreads the new key), and only
then does the identity use it and the old key get deleted (or deactivated). If AWS never accepts
the new key, it is deleted and the old one kept. Progress goes to stderr; the last line on stdout
names the new key (never its secret). Your MFA session stays valid: no new code afterwards.

At every moment the vault holds a key that works. If the command is killed half-way, the next
command that unlocks the vault finishes the rotation or rolls it back, and says which.

The old key stops working everywhere else it is used (another machine, ~/.aws/credentials).
Run it only where this vault is the key's home. While the AWS Auth Tray app or
aws-auth-tray serve is running, rotate from the app (the identity panel) or stop serve first.

Options:
  --label <identity>   which identity (default: the only one, else "default")
  --delete-old         delete the old key (the default, unless the vault's setting says to
                       deactivate it)
  --deactivate-old     deactivate the old key and keep it in IAM, inactive, instead
  --delete-inactive    when the IAM user already has two keys (IAM's limit) and the other one is
                       inactive, delete it first to make room; an active one is never deleted
  --mfa-code <code>    the six digits your device shows now, when no MFA session is cached
  --yes                do not ask for confirmation (needed where there is no terminal)
`;

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

function giveTheCode(request: MfaPromptRequest): string {
  return `rotate needs the code your MFA device (${request.mfaSerial}) shows for ${request.identityLabel}, and there is no terminal to ask on. Give it on the command line: aws-auth-tray rotate --mfa-code <code>`;
}

/** Whether an agent (the app, or serve) answers on the app channel: a probe it answers with a signed 404. */
async function agentAnswers(ctx: CliContext): Promise<boolean> {
  const answered = await ctx.askAgent(async (agent) => {
    try {
      await agent.credentials('-probe-');
    } catch (error) {
      // Signed refusals (no such profile) come from the agent; the channel's own failures are for askAgent.
      if (error instanceof UserFacingError && !['app-channel-absent', 'app-channel-impostor', 'app-channel-gone'].includes(error.code)) return true;
      throw error;
    }
    return true;
  });
  return answered === true;
}

async function confirm(identity: IdentitySummary, deactivate: boolean): Promise<boolean> {
  const terminal = openTerminal();
  if (!terminal) throw new UsageError('rotate replaces your IAM access key; with no terminal to confirm on, add --yes.');
  try {
    const answer = await ask(
      terminal,
      printable(
        `Rotate the access key ${identity.accessKeyId ?? ''} of ${identity.label}? The old key will be ${deactivate ? 'deactivated' : 'deleted'} and stop working everywhere it is used. [y/N] `,
      ),
    );
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (error instanceof TerminalAnswerCancelled) return false;
    throw error;
  } finally {
    terminal.close();
  }
}

/** The rotation engine on this command line's vault, STS gateway and the IAM endpoint the environment names. */
async function keyRotation(ctx: CliContext, prompter: MfaPrompter): Promise<{ rotation: KeyRotation; close: () => void }> {
  const sts = await ctx.sts();
  const iam = new SdkIamGateway({ env: ctx.env, deadlineMs: stsDeadlineMs(ctx.env), clockOffsetMs: () => sts.clockOffsetMs });
  const rotation = new KeyRotation({ vault: await ctx.vault(), sessions: await ctx.sessions(prompter), sts, iam });
  return { rotation, close: () => iam.close() };
}

/** The prompter for finishing an interrupted rotation on the way to another command: it asks nobody. */
const noCodePrompter: MfaPrompter = {
  prompt: (request) =>
    Promise.reject(
      new UserFacingError('rotation-needs-code', `finishing it needs an MFA code for ${request.identityLabel} and no MFA session is cached (only aws-auth-tray rotate or login ask for one here).`),
    ),
};

/**
 * A rotation a crash interrupted, finished or rolled back before another command goes on
 * (CliContext.unlock), each outcome a sentence on stderr. It uses a cached MFA session and asks
 * for no code: one that needs a code is left for `aws-auth-tray rotate`, the vault's key working
 * meanwhile. Never fails the command it runs before.
 */
export async function recoverInterruptedRotations(ctx: CliContext): Promise<void> {
  let engine: { rotation: KeyRotation; close: () => void } | undefined;
  try {
    engine = await keyRotation(ctx, noCodePrompter);
    for (const outcome of await engine.rotation.recover({ requester: ctx.requester('aws-auth-tray: finishing an interrupted key rotation') })) ctx.warn(outcome.sentence);
  } catch (error) {
    ctx.warn(`An access key rotation was interrupted and could not be finished now: ${error instanceof Error ? error.message : String(error)} Finish it with: aws-auth-tray rotate`);
  } finally {
    engine?.close();
  }
}

export const rotate: Command = {
  name: 'rotate',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, {
      label: { type: 'string' },
      'delete-old': { type: 'boolean' },
      'deactivate-old': { type: 'boolean' },
      'delete-inactive': { type: 'boolean' },
      'mfa-code': { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
    });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    if (values['delete-old'] && values['deactivate-old']) throw new UsageError('Choose one of --delete-old and --deactivate-old.');
    let code: string | undefined;
    if (values['mfa-code'] !== undefined) {
      code = normalizeMfaCode(values['mfa-code']);
      if (!code) throw new UsageError(`--mfa-code must be the six digits your device shows; got "${values['mfa-code']}".`);
    }
    // The agent holds its vault in memory and uses its key: rotating underneath it would leave it with a deleted key.
    if (await agentAnswers(ctx)) {
      throw new UserFacingError(
        'agent-running',
        'AWS Auth Tray (the app, or aws-auth-tray serve) is running and uses your access key: rotating it from here would leave it with a key IAM no longer accepts. Rotate from the app (the identity panel: Rotate access key), or stop serve, then run aws-auth-tray rotate again.',
      );
    }
    const vault = await ctx.vault();
    const identity = chooseIdentity(vault, values.label, '--label', 'There is no identity to rotate yet: add your IAM user with aws-auth-tray add-user, or import your profiles with aws-auth-tray import-config ~/.aws/config --import-keys');
    // Unlocked without finishing interrupted rotations first: this command does that itself, asking for a code if it must.
    await ctx.unlock({ recoverRotations: false });
    const deactivate = values['deactivate-old'] ? true : values['delete-old'] ? false : vault.settings().deactivateOldKey;
    if (!values.yes && !(await confirm(identity, deactivate))) {
      io.stderr.write('Not rotated: nothing was changed.\n');
      return 1;
    }

    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void =>
      controller.abort(new UserFacingError('rotation-interrupted', `Interrupted (${signal}).`, { cause: signal }));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const { rotation, close } = await keyRotation(ctx, code ? new GivenCodePrompter(code) : new TerminalMfaPrompter({ noTerminal: giveTheCode }));
    try {
      const result = await rotation.rotate(identity.id, {
        deactivateOldKey: deactivate,
        deleteInactiveKey: values['delete-inactive'] === true,
        requester: ctx.requester('aws-auth-tray rotate'),
        onProgress: (p: RotationProgress) => io.stderr.write(`${printable(p.sentence)}\n`),
        signal: controller.signal,
      });
      io.stdout.write(
        `${printable(`Rotated ${identity.label}: new access key ${result.newAccessKeyId}; the old key ${result.oldAccessKeyId} was ${result.oldKey}${result.deletedInactiveKeyId ? ` (and the inactive key ${result.deletedInactiveKeyId} deleted to make room)` : ''}.`)}\n`,
      );
      return 0;
    } catch (error) {
      const reason = controller.signal.reason as unknown;
      if (controller.signal.aborted && reason instanceof UserFacingError) {
        io.stderr.write(`aws-auth-tray: ${printable(error instanceof Error ? error.message : String(error))}\n`);
        return SIGNAL_EXIT[String(reason.cause)] ?? 1;
      }
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      close();
    }
  },
};
