import { describe, expect, it } from 'vitest';
import { API_EVENTS, API_FUNCTIONS } from '../../../main/ipc/api-names.js';
import { ipcContract, type Channel } from '../../../main/ipc/ipc-contract.js';
import { dispatch, type Handlers } from '../../../main/ipc/ipc-handlers.js';

/**
 * Every call crosses one door: the channel's schema. Bad input gets a sentence and reaches no
 * handler, so it changes nothing.
 */
function recordingHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    (Object.keys(ipcContract) as Channel[]).map((channel) => [
      channel,
      (input: unknown) => {
        calls.push(`${channel} ${JSON.stringify(input)}`);
        return null;
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

describe('IPC contract validation', () => {
  it.each([
    ['identity:save', { label: 'security', accessKeyId: 'nope', region: 'us-east-1' }, 'accessKeyId: An access key id starts with AKIA'],
    ['identity:save', { label: '', accessKeyId: 'AKIAEXAMPLEEXAMPLE00', region: 'us-east-1' }, 'label:'],
    ['identity:save', { label: 'x', accessKeyId: 'AKIAEXAMPLEEXAMPLE00', region: 'mars-1' }, 'region: A region looks like us-east-1.'],
    ['identity:save', { label: 'x', accessKeyId: 'AKIAEXAMPLEEXAMPLE00', region: 'us-east-1', mfaSerial: 'bad serial!' }, 'mfaSerial:'],
    ['export:copy', { profile: 'dev', format: 'tcsh' }, 'format:'],
    ['export:copy', { profile: '../../etc/passwd', format: 'bash' }, 'profile:'],
    ['accounts:verify', { profiles: 'dev' }, 'profiles:'],
    ['settings:update', { clipboardClearSeconds: 5 }, 'clipboardClearSeconds:'],
    ['settings:update', { mfaSessionMinutes: 3 * 24 * 60 }, 'mfaSessionMinutes:'],
    ['settings:update', { defaultShell: 'tcsh' }, 'defaultShell:'],
    ['vault:unlock', { passphrase: 'short' }, 'passphrase: Use at least 8 characters.'],
    ['mfa:submit', { requestId: '', code: '123456' }, 'requestId:'],
    ['state:get', { anything: true }, 'Invalid input'],
    ['identity:save', 'not an object', 'Invalid input'],
  ] as const)('%s rejects %j with a sentence, calling nothing', async (channel, input, detail) => {
    const { handlers, calls } = recordingHandlers();
    const result = await dispatch(handlers, channel, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.message).toMatch(/^That request was not valid, so nothing was changed \(.+\)\.$/);
    expect(result.error.message).toContain(detail);
    expect(calls).toEqual([]);
  });

  it('an unknown channel is refused', async () => {
    const { handlers, calls } = recordingHandlers();
    expect(await dispatch(handlers, 'shell:exec', { command: 'rm -rf /' })).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'There is no operation called shell:exec.' },
    });
    expect(calls).toEqual([]);
  });

  it('valid input reaches the handler, trimmed and typed by the schema', async () => {
    const { handlers, calls } = recordingHandlers();
    const result = await dispatch(handlers, 'identity:save', { label: ' security ', accessKeyId: ' AKIAEXAMPLEEXAMPLE00 ', region: 'us-east-1', secretAccessKey: 'x'.repeat(40) });
    expect(result).toEqual({ ok: true, value: null });
    expect(calls).toEqual([`identity:save ${JSON.stringify({ label: 'security', accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x'.repeat(40), region: 'us-east-1' })}`]);
  });

  it('a handler failure comes back as a sentence, not a stack trace', async () => {
    const { handlers } = recordingHandlers();
    handlers['session:sign-out'] = () => {
      throw new Error('boom');
    };
    expect(await dispatch(handlers, 'session:sign-out', undefined)).toEqual({ ok: false, error: { code: 'unexpected', message: 'Something went wrong: boom' } });
  });

  it('the preload exposes one named function per channel, and one subscription per event', () => {
    expect(Object.values(API_FUNCTIONS).sort()).toEqual(Object.keys(ipcContract).sort());
    expect(new Set(Object.values(API_FUNCTIONS)).size).toBe(Object.keys(API_FUNCTIONS).length);
    expect(Object.values(API_EVENTS).sort()).toEqual(['mfa:prompt', 'state:changed', 'window:focus-search']);
  });
});
