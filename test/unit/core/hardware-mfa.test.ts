import { afterEach, describe, expect, it } from 'vitest';
import { AutomaticMfaPrompter } from '../../../main/core/mfa-codes/automatic-mfa-prompter.js';
import { HardwareCodes, hardwareCodeSource } from '../../../main/core/mfa-codes/mfa-code-source.js';
import { runMfaProcess } from '../../../main/core/mfa-codes/mfa-process.js';
import { describeMfaProcess, mfaProcessProblem, mfaProcessWords } from '../../../main/core/mfa-codes/mfa-process-command.js';
import { chooseOathAccount, matchingOathAccounts, oathAccountProblem, parseOathAccountList } from '../../../main/core/mfa-codes/oath-accounts.js';
import { findYkman, Ykman } from '../../../main/core/mfa-codes/ykman.js';
import type { MfaOutcome, MfaPromptRequest, MfaPrompter } from '../../../main/core/sessions/mfa-prompter.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { totpCode } from '../../sts-emulator/mfa-verifier.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { YKMAN_STANDIN_DIR, ykmanStandIn, type YkmanStandIn } from '../../support/ykman-standin/ykman-standin.js';

/**
 * Hardware MFA's pieces: mfa_process's rules and its run (no shell, six digits or a sentence),
 * which YubiKey OATH accounts match an MFA device, ykman (through the stand-in, at the
 * emulator's time), and the prompter that runs mfa_process before anyone is asked.
 */
const alice = identity(referenceFixture(), 'alice');
const ALICE_DEVICE = 'arn:aws:iam::111111111111:mfa/alice';
/** `node -e <script>` as an mfa_process command (the words quoted for the splitter). */
const nodeCommand = (script: string): string => `'${process.execPath}' -e '${script.replace(/'/g, `'\\''`)}'`;

describe('mfa_process: what may be stored and how it is split', () => {
  it('accepts one line that names a program, and splits it as botocore splits credential_process (no shell)', () => {
    expect(mfaProcessProblem('ykman oath accounts code --single arn:aws:iam::111111111111:mfa/alice')).toBeUndefined();
    expect(mfaProcessWords(`op item get "AWS prod" --otp`)).toEqual(['op', 'item', 'get', 'AWS prod', '--otp']);
    // Shell syntax is just text in a word: nothing expands, nothing is piped.
    expect(mfaProcessWords('echo $HOME; rm -rf / | cat')).toEqual(['echo', '$HOME;', 'rm', '-rf', '/', '|', 'cat']);
  });

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['ykman\noath accounts code', /control characters/],
    ['ykman \u001b[2J', /control characters/],
    ['ykman\u202e', /control characters/],
    ['ykman "unclosed', /unclosed quote/],
    ['ykman \\', /unclosed quote or ends with a backslash/],
    ['""', /does not name a program/],
    ['x'.repeat(1025), /1025 characters long; AWS Auth Tray runs commands of up to 1024/],
  ])('refuses %j with a sentence', (command, why) => {
    expect(mfaProcessProblem(command)).toMatch(why);
    expect(() => mfaProcessWords(command)).toThrow(why);
  });

  it('describes a command in one line of at most 80 characters, without control characters', () => {
    expect(describeMfaProcess('ykman oath')).toBe('"ykman oath"');
    expect(describeMfaProcess(`a\u001b[31m${'b'.repeat(100)}`)).toMatch(/^"a \[31mb+\.\.\."$/);
    expect([...describeMfaProcess('z'.repeat(200))].length).toBe(82);
  });
});

describe('running mfa_process', () => {
  it('returns the six digits it prints (trimmed), and passes its stderr on', async () => {
    const stderr: string[] = [];
    const code = await runMfaProcess(nodeCommand('process.stderr.write("Touch your YubiKey...\\n"); process.stdout.write("  654321\\n")'), { onStderr: (t) => stderr.push(t) });
    expect(code).toBe('654321');
    expect(stderr.join('')).toBe('Touch your YubiKey...\n');
  });

  it('runs without a shell: $VARIABLES and ; are arguments, not shell syntax', async () => {
    const code = await runMfaProcess(`${nodeCommand('process.stdout.write(process.argv.slice(1).join(" ") === "$HOME ; echo" ? "111111" : "000000")')} '$HOME' ';' echo`);
    expect(code).toBe('111111');
  });

  it('sends nothing on stdin: a program that reads it sees the end at once', async () => {
    const code = await runMfaProcess(nodeCommand('let n = 0; process.stdin.on("data", (c) => (n += c.length)); process.stdin.on("end", () => process.stdout.write(n === 0 ? "222222" : "999999"))'));
    expect(code).toBe('222222');
  });

  it('says what went wrong, naming the command and never more than the first line of its output', async () => {
    const failed = (command: string, timeoutMs?: number) => runMfaProcess(command, timeoutMs === undefined ? {} : { timeoutMs }).then(() => 'no error', (error: unknown) => error);
    const printed = await failed(nodeCommand('process.stdout.write("Enter PIN: \\u001b[31m\\nSECRET-SECOND-LINE\\n")'));
    expect(printed).toBeInstanceOf(UserFacingError);
    expect((printed as Error).message).toMatch(/^mfa_process ".*" printed "Enter PIN: \[31m", not a six-digit code\.$/);
    expect((printed as Error).message).not.toContain('SECRET-SECOND-LINE');
    expect(((await failed(nodeCommand('process.stdout.write("1234567")'))) as Error).message).toContain('printed "1234567", not a six-digit code.');
    expect(((await failed(nodeCommand('process.exit(0)'))) as Error).message).toContain('printed nothing; it must print the six-digit code.');
    expect(((await failed(nodeCommand('process.stdout.write("123456"); process.exit(2)'))) as Error).message).toContain('failed (exit code 2) without printing a code.');
    expect(((await failed('/nonexistent/otp-tool --code')) as Error).message).toBe(
      'mfa_process "/nonexistent/otp-tool --code" could not start: there is no program /nonexistent/otp-tool on PATH. Fix the identity\'s mfa_process, or install the program.',
    );
    // A program that never answers is stopped: the person is then asked instead.
    expect(((await failed(nodeCommand('setInterval(() => undefined, 1000)'), 300)) as Error).message).toContain('printed no code within 300 ms and was stopped.');
  });
});

describe('which YubiKey OATH accounts hold an MFA device\'s codes', () => {
  it('an account named after the device ARN (aws-vault\'s) is taken alone', () => {
    expect(matchingOathAccounts([ALICE_DEVICE, 'Amazon Web Services:alice@111111111111', 'GitHub:alice'], ALICE_DEVICE)).toEqual([ALICE_DEVICE]);
  });

  it('otherwise AWS\'s own label (name@account), or the name alone or name@alias from an AWS issuer (or none), without case', () => {
    const accounts = [
      'Amazon Web Services:alice@111111111111',
      'Amazon Web Services:ALICE@acme-security',
      'alice',
      'Amazon Web Services:alice@222222222222',
      'Amazon Web Services:bob@111111111111',
      'GitHub:alice-work',
      'GitHub:alice',
      'GitHub:alice@acme',
      'GitHub:alice@111111111111',
      'Amazon Web Services:alice@',
    ];
    expect(matchingOathAccounts(accounts, ALICE_DEVICE)).toEqual(['Amazon Web Services:alice@111111111111', 'Amazon Web Services:ALICE@acme-security', 'alice', 'GitHub:alice@111111111111']);
    expect(matchingOathAccounts(['AWS:alice', 'amazon:alice@acme'], ALICE_DEVICE)).toEqual(['AWS:alice', 'amazon:alice@acme']);
    // A device with a path: its name is the last segment.
    expect(matchingOathAccounts(['Amazon Web Services:carol@111111111111'], 'arn:aws:iam::111111111111:mfa/team/carol')).toEqual(['Amazon Web Services:carol@111111111111']);
    // A hardware token's serial number has no name to match; only its exact serial does.
    expect(matchingOathAccounts(['GAHT12345678', 'alice'], 'GAHT12345678')).toEqual(['GAHT12345678']);
  });

  it('one match is used; several need a choice, said with the names and how to choose; a chosen account must be on the key', () => {
    expect(chooseOathAccount(['Amazon Web Services:alice@111111111111', 'GitHub:alice'], ALICE_DEVICE, undefined, 'security')).toEqual({ kind: 'account', account: 'Amazon Web Services:alice@111111111111' });
    expect(chooseOathAccount(['GitHub:bob'], ALICE_DEVICE, undefined, 'security')).toEqual({ kind: 'none' });
    const several = chooseOathAccount(['Amazon Web Services:alice@111111111111', 'alice'], ALICE_DEVICE, undefined, 'security');
    expect(several).toMatchObject({ kind: 'ambiguous', accounts: ['Amazon Web Services:alice@111111111111', 'alice'] });
    expect(several.kind === 'ambiguous' && several.sentence).toBe(
      'Several OATH accounts on the YubiKey match arn:aws:iam::111111111111:mfa/alice: "Amazon Web Services:alice@111111111111", "alice". Choose one as the identity\'s OATH account (in the app\'s identity form, or aws-auth-tray login --oath-account "<name>"), or type the code.',
    );
    expect(chooseOathAccount(['Amazon Web Services:alice@111111111111', 'alice'], ALICE_DEVICE, 'alice', 'security')).toEqual({ kind: 'account', account: 'alice' });
    // The choice is the person's: it need not match the rules.
    expect(chooseOathAccount(['work-aws'], ALICE_DEVICE, 'work-aws', 'security')).toEqual({ kind: 'account', account: 'work-aws' });
    expect(chooseOathAccount(['alice'], ALICE_DEVICE, 'gone', 'security')).toMatchObject({ kind: 'chosen-missing', sentence: expect.stringContaining('The YubiKey has no OATH account "gone", which security is set to use') as string });
  });

  it('reads ykman\'s list, skipping lines no YubiKey would hold; names are at most 64 bytes', () => {
    expect(parseOathAccountList('Amazon Web Services:alice@111111111111\r\n\n  GitHub:alice  \nbad\u001b[2Jname\nGitHub:alice\n')).toEqual(['Amazon Web Services:alice@111111111111', 'GitHub:alice']);
    expect(oathAccountProblem('a'.repeat(64))).toBeUndefined();
    expect(oathAccountProblem('é'.repeat(33))).toMatch(/at most 64 bytes/);
    expect(oathAccountProblem('')).toMatch(/empty/);
  });
});

describe('ykman, through the stand-in, at the emulator\'s time', () => {
  const emulator = useEmulator();
  let standIn: YkmanStandIn;
  const started: YkmanStandIn[] = [];

  function setUp(accounts: Parameters<typeof ykmanStandIn>[0]['accounts']): { ykman: Ykman; env: NodeJS.ProcessEnv } {
    standIn = ykmanStandIn({ emulatorUrl: emulator().url, accounts });
    started.push(standIn);
    const env = { ...process.env, ...standIn.env() };
    const ykman = Ykman.find({ env });
    if (!ykman) throw new Error('the stand-in is not on PATH');
    return { ykman, env };
  }
  afterEach(() => {
    for (const s of started.splice(0)) s.cleanup();
  });

  it('is found on PATH (absolute directories only), and not without it', () => {
    expect(findYkman({ PATH: `relative/dir:${YKMAN_STANDIN_DIR}` })).toBe(`${YKMAN_STANDIN_DIR}ykman`);
    expect(findYkman({ PATH: '/nonexistent:/usr/share' })).toBeUndefined();
    expect(findYkman({})).toBeUndefined();
  });

  it('lists the accounts and reads the code the device shows at the emulator\'s time', async () => {
    const { ykman } = setUp([{ name: 'Amazon Web Services:alice@111111111111', serialNumber: ALICE_DEVICE }, { name: 'GitHub:alice', seed: 'JBSWY3DPEHPK3PXP' }]);
    expect(await ykman.listAccounts()).toEqual(['Amazon Web Services:alice@111111111111', 'GitHub:alice']);
    emulator().clock.advance(3 * 3600_000);
    expect(await ykman.readCode('Amazon Web Services:alice@111111111111')).toBe(totpCode({ seed: alice.seed }, emulator().clock.now()));
    expect(standIn.calls().at(-1)).toEqual(['oath', 'accounts', 'code', '--single', 'Amazon Web Services:alice@111111111111']);
  });

  it('says "touch your YubiKey" while a touch account waits, then reads the code once touched', async () => {
    const { ykman } = setUp([{ name: 'Amazon Web Services:alice@111111111111', serialNumber: ALICE_DEVICE, touch: true }]);
    let touchAsked = false;
    const reading = ykman.readCode('Amazon Web Services:alice@111111111111', {
      onTouch: () => {
        touchAsked = true;
        standIn.touch();
      },
    });
    expect(await reading).toBe(totpCode({ seed: alice.seed }, emulator().clock.now()));
    expect(touchAsked).toBe(true);
  });

  it('each failure is a sentence: no key, account gone, several matches', async () => {
    const { ykman, env } = setUp([
      { name: 'Amazon Web Services:alice@111111111111', serialNumber: ALICE_DEVICE },
      { name: 'Amazon Web Services:alice@acme', serialNumber: ALICE_DEVICE },
    ]);
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (error: unknown) => error as UserFacingError);
    expect(await failure(ykman.readCode('nobody'))).toMatchObject({ code: 'yubikey-account-gone', message: 'The YubiKey has no OATH account "nobody" (any more). Check the accounts with: ykman oath accounts list; or type the code.' });
    expect(await failure(ykman.readCode('alice'))).toMatchObject({ code: 'yubikey-account-ambiguous' });
    standIn.update({ device: 'missing' });
    const missing = { code: 'yubikey-missing', message: 'No YubiKey is connected (ykman found none). Insert your YubiKey and try again, or type the code.' };
    expect(await failure(ykman.listAccounts())).toMatchObject(missing);
    expect(await failure(ykman.readCode('Amazon Web Services:alice@111111111111'))).toMatchObject(missing);
    standIn.update({ device: 'unreachable' });
    expect(await failure(ykman.listAccounts())).toMatchObject(missing);
    // The lookup the prompts use: no key is "unavailable" (said only where asked for), several matches say which.
    const codes = new HardwareCodes({ env });
    expect(await codes.yubikey({ identityLabel: 'security', mfaSerial: ALICE_DEVICE })).toMatchObject({ kind: 'unavailable', code: 'yubikey-missing' });
    standIn.update({ device: 'present' });
    expect(await codes.yubikey({ identityLabel: 'security', mfaSerial: ALICE_DEVICE })).toMatchObject({ kind: 'unavailable', code: 'yubikey-account-ambiguous' });
    expect(await codes.yubikey({ identityLabel: 'security', mfaSerial: ALICE_DEVICE, oathAccount: 'Amazon Web Services:alice@acme' })).toEqual({ kind: 'account', account: 'Amazon Web Services:alice@acme' });
    // Without ykman on PATH: nothing to offer.
    expect(await new HardwareCodes({ env: { PATH: '/nonexistent' } }).yubikey({ identityLabel: 'security', mfaSerial: ALICE_DEVICE })).toEqual({ kind: 'absent' });
  });

  it('mfa_process wins over a YubiKey; the YubiKey is the source when it holds the device', async () => {
    const { env } = setUp([{ name: ALICE_DEVICE, serialNumber: ALICE_DEVICE }]);
    expect(await hardwareCodeSource({ identityLabel: 'security', mfaSerial: ALICE_DEVICE, mfaProcess: 'op item get aws --otp' }, { env })).toEqual({ kind: 'mfa-process', command: 'op item get aws --otp' });
    expect(await hardwareCodeSource({ identityLabel: 'security', mfaSerial: ALICE_DEVICE }, { env })).toEqual({ kind: 'yubikey', account: ALICE_DEVICE });
    expect(await hardwareCodeSource({ identityLabel: 'security', mfaSerial: 'arn:aws:iam::111111111111:mfa/bob' }, { env })).toBeUndefined();
  });

  it('no seed and no code ever appears in a failure', async () => {
    const { ykman } = setUp([{ name: 'Amazon Web Services:alice@111111111111', serialNumber: ALICE_DEVICE }]);
    const code = totpCode({ seed: alice.seed }, emulator().clock.now());
    const messages: string[] = [];
    for (const query of ['nobody', 'Amazon']) {
      await ykman.readCode(query).then(
        () => undefined,
        (error: unknown) => void messages.push((error as Error).message),
      );
    }
    standIn.update({ device: 'missing' });
    await ykman.readCode('Amazon Web Services:alice@111111111111').catch((error: unknown) => void messages.push((error as Error).message));
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).not.toContain(alice.seed);
      expect(message).not.toContain(code);
    }
  });
});

/** An inner prompter that records what it was asked and answers from a script. */
class ScriptedPrompter implements MfaPrompter {
  readonly asked: MfaPromptRequest[] = [];
  readonly outcomes: [MfaPromptRequest, MfaOutcome][] = [];
  constructor(private readonly answers: string[]) {}
  prompt(request: MfaPromptRequest): Promise<string> {
    this.asked.push(request);
    return Promise.resolve(this.answers.shift() ?? '000000');
  }
  outcome(request: MfaPromptRequest, outcome: MfaOutcome): void {
    this.outcomes.push([request, outcome]);
  }
}

function request(signal: AbortSignal, extra: Partial<MfaPromptRequest> = {}): MfaPromptRequest {
  return {
    identityLabel: 'security',
    accessKeyId: 'AKIAWL6CCIORC6IWFMCG',
    mfaSerial: ALICE_DEVICE,
    requester: { kind: 'test', description: 'a test' },
    purpose: { kind: 'mfa-session' },
    attempt: 1,
    signal,
    ...extra,
  };
}

describe('AutomaticMfaPrompter: mfa_process before anyone is asked', () => {
  it('answers from mfa_process without asking the person, and keeps the outcome to itself', async () => {
    const inner = new ScriptedPrompter([]);
    const progress: string[] = [];
    const prompter = new AutomaticMfaPrompter(inner, { onProgress: (s) => progress.push(s) });
    const first = request(new AbortController().signal, { mfaProcess: nodeCommand('process.stdout.write("314159")') });
    expect(await prompter.prompt(first)).toBe('314159');
    prompter.outcome(first, { kind: 'accepted' });
    expect(inner.asked).toEqual([]);
    expect(inner.outcomes).toEqual([]);
    expect(progress).toEqual([expect.stringMatching(/^Reading the MFA code for security from its mfa_process ".*"…$/) as string]);
  });

  it('asks the person when mfa_process fails, with the reason; and when AWS rejects its code, saying so, without running it again', async () => {
    const failing = new ScriptedPrompter(['111111']);
    const prompter = new AutomaticMfaPrompter(failing);
    const signal = new AbortController().signal;
    expect(await prompter.prompt(request(signal, { mfaProcess: '/nonexistent/otp' }))).toBe('111111');
    expect(failing.asked[0]?.previousError).toBe('mfa_process "/nonexistent/otp" could not start: there is no program /nonexistent/otp on PATH. Fix the identity\'s mfa_process, or install the program. Type the code instead.');

    const inner = new ScriptedPrompter(['222222']);
    const rejected = new AutomaticMfaPrompter(inner);
    const sign = new AbortController().signal;
    const command = nodeCommand('process.stdout.write("314159")');
    const first = request(sign, { mfaProcess: command });
    expect(await rejected.prompt(first)).toBe('314159');
    rejected.outcome(first, { kind: 'rejected', message: 'AWS rejected the MFA code.' });
    const second = request(sign, { mfaProcess: command, attempt: 2, previousError: 'AWS rejected the MFA code.' });
    expect(await rejected.prompt(second)).toBe('222222');
    expect(inner.asked[0]?.previousError).toMatch(/^The code from mfa_process ".*" did not work: AWS rejected the MFA code\. Type the code instead\.$/);
    // The inner prompter hears the outcome of its own request, as it saw it.
    rejected.outcome(second, { kind: 'accepted' });
    expect(inner.outcomes).toEqual([[inner.asked[0], { kind: 'accepted' }]]);
    // A new sign-in runs the command again.
    expect(await rejected.prompt(request(new AbortController().signal, { mfaProcess: command }))).toBe('314159');
  });

  it('without mfa_process it is the inner prompter', async () => {
    const inner = new ScriptedPrompter(['123123']);
    const prompter = new AutomaticMfaPrompter(inner);
    const plain = request(new AbortController().signal);
    expect(await prompter.prompt(plain)).toBe('123123');
    expect(inner.asked[0]).toBe(plain);
  });
});
