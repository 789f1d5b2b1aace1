import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliContext } from './cli-context.js';
import { UsageError } from './cli-errors.js';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Command {
  name: string;
  /** The full `--help` text. */
  usage: string;
  run(args: string[], ctx: CliContext, io: CommandIo): Promise<number>;
}

/** A command in the registry: its name and summary at hand, its code loaded when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for the command list. */
  summary: string;
  load(): Promise<Command>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with usage errors as UsageError (exit code 2). */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
