import { openSync } from 'node:fs';

/**
 * The user's terminal, even when stdin and stdout are taken (credential_process: the AWS CLI
 * reads our stdout; exec: the child owns stdin). On Unix that is /dev/tty; elsewhere the
 * process's own stdin/stderr when they are a terminal.
 */
export interface Terminal {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
  close(): void;
}

export function openTerminal(): Terminal | undefined {
  if (process.platform !== 'win32') {
    try {
      const { ReadStream, WriteStream } = process.getBuiltinModule('node:tty'); // only when a terminal is opened
      const input = new ReadStream(openSync('/dev/tty', 'r'));
      const output = new WriteStream(openSync('/dev/tty', 'w'));
      return {
        input,
        output,
        close: () => {
          input.destroy();
          output.destroy();
        },
      };
    } catch {
      // No controlling terminal (CI, a service, a pipe from a GUI app): fall through.
    }
  }
  if (process.stdin.isTTY && process.stderr.isTTY) return { input: process.stdin, output: process.stderr, close: () => process.stdin.pause() };
  return undefined;
}

export class TerminalAnswerCancelled extends Error {
  constructor() {
    super('cancelled at the terminal');
  }
}

/**
 * Ask a question on the terminal. With `hidden`, what is typed is not echoed (passphrases,
 * secret keys). Ctrl-C or Ctrl-D cancels (rejects with TerminalAnswerCancelled).
 */
export function ask(terminal: Terminal, question: string, options: { hidden?: boolean; signal?: AbortSignal } = {}): Promise<string> {
  const { input, output } = terminal;
  return new Promise((resolve, reject) => {
    let answer = '';
    const wasRaw = input.isRaw;
    // Raw mode before the question appears: a fast typist (or a password manager) must never
    // have the terminal echo a passphrase typed ahead of our prompt.
    input.setRawMode(true);
    output.write(question);
    input.setEncoding('utf8');
    input.resume();
    const finish = (error?: Error): void => {
      input.off('data', onData);
      options.signal?.removeEventListener('abort', onAbort);
      input.setRawMode(wasRaw);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onAbort = (): void => finish(options.signal?.reason instanceof Error ? options.signal.reason : new TerminalAnswerCancelled());
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new TerminalAnswerCancelled());
        if (char === '\u007f' || char === '\b') {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            if (!options.hidden) output.write('\b \b');
          }
          continue;
        }
        if (char === '\u0015') {
          // Ctrl-U: clear the line
          if (!options.hidden) output.write('\b \b'.repeat(answer.length));
          answer = '';
          continue;
        }
        if (char < ' ') continue;
        answer += char;
        if (!options.hidden) output.write(char);
      }
    };
    input.on('data', onData);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** All of stdin as text (for a secret piped in: `pass show aws | aws-auth-tray add-user ...`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
