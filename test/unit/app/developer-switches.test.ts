import { describe, expect, it } from 'vitest';
import { developerSwitches } from '../../../main/app/developer-switches.js';

/** Dev tools, test hooks and demo mode follow the environment only in an unpackaged build. */
const everythingOn = {
  AWS_AUTH_TRAY_DEVTOOLS: '1',
  AWS_AUTH_TRAY_TEST_HOOKS: '1',
  AWS_AUTH_TRAY_DEMO: '1',
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
};

describe('developerSwitches', () => {
  it('a packaged build ignores every switch, whatever the environment says', () => {
    expect(developerSwitches(everythingOn, { packaged: true })).toEqual({ devTools: false, testHooks: false, demo: undefined });
  });

  it('an unpackaged build (npm start, npm run demo, the tests) follows the environment', () => {
    const on = developerSwitches(everythingOn, { packaged: false });
    expect(on).toMatchObject({ devTools: true, testHooks: true, demo: { endpoint: 'http://127.0.0.1:4566' } });
    expect(developerSwitches({}, { packaged: false })).toEqual({ devTools: false, testHooks: false, demo: undefined });
  });

  it('only the exact value 1 turns a switch on', () => {
    expect(developerSwitches({ AWS_AUTH_TRAY_DEVTOOLS: 'true', AWS_AUTH_TRAY_TEST_HOOKS: 'yes' }, { packaged: false })).toMatchObject({ devTools: false, testHooks: false });
  });
});
