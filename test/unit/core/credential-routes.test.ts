import { describe, expect, it } from 'vitest';
import { answerRoute, type CredentialServerOptions, type ConsoleLinkRequest } from '../../../main/core/endpoint/credential-routes.js';
import { UNKNOWN_PATH_CODE } from '../../../main/core/endpoint/unknown-path.js';
import type { SessionManager } from '../../../main/core/sessions/session-manager.js';

/** The app channel's POST routes, behind its signature check: what a body may be, and what each answers. */
describe('the POST routes of the app channel', () => {
  const asked: { verify: unknown[]; console: [string, ConsoleLinkRequest][] } = { verify: [], console: [] };
  const options = (withConsole = true): CredentialServerOptions => ({
    sessions: {} as SessionManager,
    requester: (profile) => ({ kind: 'command-line', description: `test (${profile})` }),
    verify: (profiles) => {
      asked.verify.push(profiles);
      return Promise.resolve({ results: [], warnings: [] });
    },
    ...(withConsole
      ? {
          consoleLink: (profile: string, request: ConsoleLinkRequest) => {
            asked.console.push([profile, request]);
            return Promise.resolve(`https://signin.aws.amazon.com/federation?Action=login&SigninToken=t-${profile}`);
          },
        }
      : {}),
  });
  const post = (path: string, body: string, withConsole = true) => answerRoute(options(withConsole), { method: 'POST', url: new URL(path, 'http://local'), body: Buffer.from(body) }, { patient: true });

  it('POST /verify with a body of null, an array or a number is a bad request with a sentence, not a 500', async () => {
    for (const body of ['null', '[]', '7', '"dev"']) {
      expect(await post('/verify', body)).toEqual({ status: 400, body: { code: 'bad-request', message: 'The request body is not a JSON object.' } });
    }
    expect(asked.verify).toEqual([]);
    expect(await post('/verify', '{"profiles":["dev","../x",1]}')).toMatchObject({ status: 200 });
    expect(asked.verify).toEqual([['dev']]);
  });

  it('POST /console makes a link for a profile name, with the region and destination as given', async () => {
    expect(await post('/console', '{"profile":"dev","region":"us-west-2","destination":"/ec2/home"}')).toEqual({ status: 200, body: { url: 'https://signin.aws.amazon.com/federation?Action=login&SigninToken=t-dev' } });
    expect(asked.console).toEqual([['dev', { region: 'us-west-2', destination: '/ec2/home' }]]);
  });

  it('POST /console refuses what is not a profile name, or a region or destination that is not text, before making any link', async () => {
    asked.console.length = 0;
    for (const body of ['', 'null', '{}', '{"profile":"../x"}', '{"profile":"dev","region":5}', `{"profile":"dev","destination":"${'x'.repeat(2049)}"}`, 'not json']) {
      expect((await post('/console', body)).status).toBe(400);
    }
    expect(asked.console).toEqual([]);
  });

  it('an agent without console links answers the unknown path, with its code', async () => {
    expect(await post('/console', '{"profile":"dev"}', false)).toMatchObject({ status: 404, body: { code: UNKNOWN_PATH_CODE } });
  });
});
