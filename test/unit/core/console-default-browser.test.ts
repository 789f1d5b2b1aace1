import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../main/core/console/default-browser.js';

describe('the default browser, from the command line', () => {
  const url = 'https://signin.aws.amazon.com/federation?Action=login&Destination=a%20b&SigninToken=x;y&z=$(id)';

  it('passes the link as one argument of the platform opener, never through a shell', () => {
    expect(browserCommand('linux', url)).toEqual({ file: 'xdg-open', args: [url] });
    expect(browserCommand('freebsd', url)).toEqual({ file: 'xdg-open', args: [url] });
    expect(browserCommand('darwin', url)).toEqual({ file: 'open', args: [url] });
    expect(browserCommand('win32', url)).toEqual({ file: 'rundll32', args: ['url.dll,FileProtocolHandler', url] });
  });
});
