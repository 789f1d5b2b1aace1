import { describe, expect, it } from 'vitest';
import { GlobalOptionError, takeGlobalOptions } from '../../../main/cli/global-options.js';

/** --vault-dir is taken wherever it is written before "--"; after it, it belongs to exec's command. */
describe('takeGlobalOptions', () => {
  it.each([
    [['--vault-dir', '/v', 'list'], '/v', ['list']],
    [['list', '--vault-dir', '/v'], '/v', ['list']],
    [['list', '--vault-dir=/v', '--json'], '/v', ['list', '--json']],
    [['export', 'dev', '--vault-dir', '/v', '--format', 'fish'], '/v', ['export', 'dev', '--format', 'fish']],
    [['--vault-dir', '/a', 'list', '--vault-dir', '/b'], '/b', ['list']],
    [['list'], undefined, ['list']],
  ])('%j', (args, vaultDir, rest) => {
    expect(takeGlobalOptions(args)).toEqual({ vaultDir, rest });
  });

  it('leaves everything after "--" to the command exec runs', () => {
    expect(takeGlobalOptions(['exec', 'dev', '--', 'tool', '--vault-dir', '/x'])).toEqual({ vaultDir: undefined, rest: ['exec', 'dev', '--', 'tool', '--vault-dir', '/x'] });
  });

  it.each([[['list', '--vault-dir']], [['--vault-dir=', 'list']], [['exec', 'dev', '--vault-dir', '--', 'tool']]])('%j needs a directory', (args) => {
    expect(() => takeGlobalOptions(args)).toThrow(GlobalOptionError);
  });
});
