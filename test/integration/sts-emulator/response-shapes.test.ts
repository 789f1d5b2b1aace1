import { describe, expect, it } from 'vitest';
import { currentCode, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { checkErrorDocument, checkOperationResponse, parseErrorDocument, parseXmlDocument, type XmlElement } from '../../support/model-shape-check.js';
import { identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';
import { send, signedStsRequest, type RawResponse } from '../../support/signed-request.js';
import type { KeyPair } from '../../support/sts-client.js';

/**
 * Real responses from the emulator, obtained over HTTP with requests signed by the SDK's signer,
 * checked against the STS model by an independent checker (fast-xml-parser, not the emulator's
 * XML writer); and the checker itself shown to fail on documents that do not conform.
 */
describe('STS emulator responses conform to the STS model', () => {
  const emulator = useEmulator();
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');

  async function call(credentials: KeyPair, params: Record<string, string>): Promise<RawResponse> {
    return send(await signedStsRequest(emulator().url, credentials, params, { signingDate: emulator().clock.signatureNow() }));
  }

  function find(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
    let current = element;
    for (const name of path) current = current?.children.find((c) => c.name === name);
    return current;
  }

  function resultOf(xml: string, operation: string): XmlElement {
    const parsed = parseXmlDocument(xml);
    if ('problem' in parsed) throw new Error(parsed.problem);
    const result = find(parsed.root, `${operation}Result`);
    if (!result) throw new Error(`No ${operation}Result in ${xml}`);
    return result;
  }

  function textAt(xml: string, operation: string, ...path: string[]): string | undefined {
    return find(resultOf(xml, operation), ...path)?.text;
  }

  function credentialsIn(xml: string, operation: string): KeyPair {
    const accessKeyId = textAt(xml, operation, 'Credentials', 'AccessKeyId');
    const secretAccessKey = textAt(xml, operation, 'Credentials', 'SecretAccessKey');
    const sessionToken = textAt(xml, operation, 'Credentials', 'SessionToken');
    if (!accessKeyId || !secretAccessKey || !sessionToken) throw new Error(`No complete credentials in ${xml}`);
    return { accessKeyId, secretAccessKey, sessionToken };
  }

  function expectConforming(response: RawResponse, operation: string): void {
    expect(response.status, response.body).toBe(200);
    expect(checkOperationResponse(response.body, operation)).toEqual([]);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(response.headers.get('x-amzn-requestid')).toBe(find(parseRoot(response.body), 'ResponseMetadata', 'RequestId')?.text);
    expect(Number.isNaN(Date.parse(response.headers.get('date') ?? ''))).toBe(false);
  }

  function parseRoot(xml: string): XmlElement {
    const parsed = parseXmlDocument(xml);
    if ('problem' in parsed) throw new Error(parsed.problem);
    return parsed.root;
  }

  async function mfaSessionResponse(durationSeconds?: number): Promise<RawResponse> {
    return call(alice, {
      Action: 'GetSessionToken',
      SerialNumber: alice.serialNumber,
      TokenCode: currentCode(emulator(), alice.seed),
      ...(durationSeconds !== undefined ? { DurationSeconds: String(durationSeconds) } : {}),
    });
  }

  async function mfaSession(durationSeconds?: number): Promise<KeyPair> {
    const response = await mfaSessionResponse(durationSeconds);
    expect(response.status, response.body).toBe(200);
    return credentialsIn(response.body, 'GetSessionToken');
  }

  async function roleSession(): Promise<KeyPair> {
    const response = await call(await mfaSession(), { Action: 'AssumeRole', RoleArn: ROLES.dev, RoleSessionName: 'alice' });
    expect(response.status, response.body).toBe(200);
    return credentialsIn(response.body, 'AssumeRole');
  }

  describe('successful responses', () => {
    it('GetCallerIdentity with long-term user keys', async () => {
      const response = await call(alice, { Action: 'GetCallerIdentity' });
      expectConforming(response, 'GetCallerIdentity');
      expect(textAt(response.body, 'GetCallerIdentity', 'Arn')).toBe('arn:aws:iam::111111111111:user/alice');
      expect(textAt(response.body, 'GetCallerIdentity', 'Account')).toBe('111111111111');
      expect(textAt(response.body, 'GetCallerIdentity', 'UserId')).toBe(alice.user.userId);
    });

    it('GetCallerIdentity with a user MFA session (GetSessionToken credentials)', async () => {
      const response = await call(await mfaSession(), { Action: 'GetCallerIdentity' });
      expectConforming(response, 'GetCallerIdentity');
      expect(textAt(response.body, 'GetCallerIdentity', 'Arn')).toBe('arn:aws:iam::111111111111:user/alice');
      expect(textAt(response.body, 'GetCallerIdentity', 'UserId')).toBe(alice.user.userId);
    });

    it('GetCallerIdentity with a role session', async () => {
      const response = await call(await roleSession(), { Action: 'GetCallerIdentity' });
      expectConforming(response, 'GetCallerIdentity');
      expect(textAt(response.body, 'GetCallerIdentity', 'Arn')).toBe('arn:aws:sts::222222222222:assumed-role/engineer/alice');
      expect(textAt(response.body, 'GetCallerIdentity', 'Account')).toBe('222222222222');
      expect(textAt(response.body, 'GetCallerIdentity', 'UserId')).toMatch(/^AROA[A-Z0-9]+:alice$/);
    });

    it('GetSessionToken with MFA', async () => {
      const issuedAt = emulator().clock.now();
      const response = await mfaSessionResponse();
      expectConforming(response, 'GetSessionToken');
      expect(textAt(response.body, 'GetSessionToken', 'Credentials', 'AccessKeyId')).toMatch(/^ASIA[A-Z2-7]{16}$/);
      const expiration = Date.parse(textAt(response.body, 'GetSessionToken', 'Credentials', 'Expiration') ?? '');
      expect(expiration).toBe(Math.floor(issuedAt.getTime() / 1000) * 1000 + 43_200_000);
    });

    it('AssumeRole from an MFA session into the dev account', async () => {
      const response = await call(await mfaSession(), { Action: 'AssumeRole', RoleArn: ROLES.dev, RoleSessionName: 'alice' });
      expectConforming(response, 'AssumeRole');
      expect(textAt(response.body, 'AssumeRole', 'AssumedRoleUser', 'Arn')).toBe('arn:aws:sts::222222222222:assumed-role/engineer/alice');
      expect(textAt(response.body, 'AssumeRole', 'AssumedRoleUser', 'AssumedRoleId')).toMatch(/^AROA[A-Z0-9]+:alice$/);
      expect(find(resultOf(response.body, 'AssumeRole'), 'SourceIdentity')).toBeUndefined();
    });

    it('AssumeRole with SourceIdentity set, which the answer carries back', async () => {
      const response = await call(alice, {
        Action: 'AssumeRole',
        RoleArn: ROLES.dev,
        RoleSessionName: 'alice-audit',
        SerialNumber: alice.serialNumber,
        TokenCode: currentCode(emulator(), alice.seed),
        SourceIdentity: 'alice@example.com',
      });
      expectConforming(response, 'AssumeRole');
      expect(textAt(response.body, 'AssumeRole', 'SourceIdentity')).toBe('alice@example.com');
    });

    it('GetCallerIdentity through a presigned GET', async () => {
      const request = await signedStsRequest(emulator().url, alice, { Action: 'GetCallerIdentity' }, { signingDate: emulator().clock.signatureNow(), presign: { expiresIn: 300 } });
      expectConforming(await send(request), 'GetCallerIdentity');
    });
  });

  describe('the checker rejects documents that do not conform', () => {
    async function validGetSessionToken(): Promise<string> {
      const response = await mfaSessionResponse();
      expect(checkOperationResponse(response.body, 'GetSessionToken')).toEqual([]);
      return response.body;
    }

    it('reports a missing required member', async () => {
      const xml = (await validGetSessionToken()).replace(/<SessionToken>[^<]*<\/SessionToken>/, '');
      const problems = checkOperationResponse(xml, 'GetSessionToken');
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/Credentials\/SessionToken: required member of Credentials is missing/);
    });

    it('reports an element that is not a member of the shape', async () => {
      const xml = (await validGetSessionToken()).replace('<Credentials>', '<Credentials><Region>us-east-1</Region>');
      const problems = checkOperationResponse(xml, 'GetSessionToken');
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/Credentials\/Region: unknown element/);
    });

    it('reports a timestamp that is not ISO 8601', async () => {
      const valid = await validGetSessionToken();
      for (const bad of ['tomorrow', '2026-02-30T10:00:00Z', '1764169200', '2026-11-26 15:00:00Z']) {
        const xml = valid.replace(/<Expiration>[^<]*<\/Expiration>/, `<Expiration>${bad}</Expiration>`);
        expect(checkOperationResponse(xml, 'GetSessionToken'), bad).toEqual([
          `GetSessionTokenResponse/GetSessionTokenResult/Credentials/Expiration: '${bad}' is not an ISO 8601 timestamp`,
        ]);
      }
    });

    it('reports string constraints, duplicates, the wrong root, namespace and a missing RequestId', async () => {
      const xml = await validGetSessionToken();
      const badKey = xml.replace(/<AccessKeyId>[^<]*<\/AccessKeyId>/, '<AccessKeyId>ASIA-NOT-A-KEY-ID</AccessKeyId>');
      expect(checkOperationResponse(badKey, 'GetSessionToken').join('\n')).toMatch(/AccessKeyId: 'ASIA-NOT-A-KEY-ID' does not match the pattern/);
      const shortKey = xml.replace(/<AccessKeyId>[^<]*<\/AccessKeyId>/, '<AccessKeyId>ASIA</AccessKeyId>');
      expect(checkOperationResponse(shortKey, 'GetSessionToken').join('\n')).toMatch(/shorter than the minimum 16/);
      const twice = xml.replace(/(<SecretAccessKey>[^<]*<\/SecretAccessKey>)/, '$1$1');
      expect(checkOperationResponse(twice, 'GetSessionToken').join('\n')).toMatch(/SecretAccessKey: member appears more than once/);
      expect(checkOperationResponse(xml, 'AssumeRole')).toEqual(['the root element is <GetSessionTokenResponse>, expected <AssumeRoleResponse>']);
      const noNamespace = xml.replace(/ xmlns="[^"]*"/, '');
      expect(checkOperationResponse(noNamespace, 'GetSessionToken').join('\n')).toMatch(/xmlns is missing/);
      const noRequestId = xml.replace(/<RequestId>[^<]*<\/RequestId>/, '');
      expect(checkOperationResponse(noRequestId, 'GetSessionToken')).toEqual(['GetSessionTokenResponse/ResponseMetadata/RequestId: missing']);
      expect(checkOperationResponse(xml.replace('</GetSessionTokenResponse>', ''), 'GetSessionToken')[0]).toMatch(/^not well-formed XML/);
    });

    it('reports error documents without Type/Code/Message or with an unknown Type', () => {
      const good =
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code>' +
        '<Message>Rate exceeded</Message></Error><RequestId>4c8a2b8e-0000-4000-8000-000000000000</RequestId></ErrorResponse>';
      expect(checkErrorDocument(good)).toEqual([]);
      expect(checkErrorDocument(good.replace('Sender', 'Client'))).toEqual(["ErrorResponse/Error/Type: 'Client' is neither Sender nor Receiver"]);
      expect(checkErrorDocument(good.replace('<Message>Rate exceeded</Message>', ''))).toEqual(['ErrorResponse/Error/Message: missing']);
      expect(checkErrorDocument(good.replace(/<RequestId>.*<\/RequestId>/, ''))).toEqual(['ErrorResponse/RequestId: missing']);
      expect(checkErrorDocument(good.replace('</Error>', '<Detail/></Error>'))).toEqual(['ErrorResponse/Error/Detail: unknown element; expected only Type, Code, Message']);
      expect(checkErrorDocument(good.replace(/ErrorResponse/g, 'Response'))).toEqual(['the root element is <Response>, expected <ErrorResponse>']);
    });
  });

  describe('error documents', () => {
    function expectErrorDocument(response: RawResponse, status: number, code: string, type: 'Sender' | 'Receiver' = 'Sender'): string | undefined {
      expect(checkErrorDocument(response.body)).toEqual([]);
      const error = parseErrorDocument(response.body);
      expect({ status: response.status, code: error.code, type: error.type }).toEqual({ status, code, type });
      expect(response.headers.get('x-amzn-requestid')).toBe(error.requestId);
      expect(error.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(response.headers.get('content-type')).toBe('text/xml');
      expect(Number.isNaN(Date.parse(response.headers.get('date') ?? ''))).toBe(false);
      return error.message;
    }

    it('InvalidClientTokenId for an unknown access key', async () => {
      const response = await call({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: alice.secretAccessKey }, { Action: 'GetCallerIdentity' });
      expect(expectErrorDocument(response, 403, 'InvalidClientTokenId')).toBe('The security token included in the request is invalid.');
    });

    it('ValidationError for a parameter outside the model', async () => {
      const response = await call(alice, { Action: 'AssumeRole', RoleArn: ROLES.dev, RoleSessionName: 'a' });
      expect(expectErrorDocument(response, 400, 'ValidationError')).toBe(
        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      );
    });

    it('InvalidAction for an action STS does not have', async () => {
      const response = await call(alice, { Action: 'ListRoles' });
      expect(expectErrorDocument(response, 400, 'InvalidAction')).toBe('Could not find operation ListRoles for version 2011-06-15');
    });

    it('MissingAuthenticationToken for an unsigned request', async () => {
      const response = await fetch(emulator().url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      const raw: RawResponse = { status: response.status, headers: response.headers, body: await response.text() };
      expect(expectErrorDocument(raw, 403, 'MissingAuthenticationToken')).toBe('Request is missing Authentication Token');
    });

    it('AccessDenied for a wrong MFA code', async () => {
      const response = await call(alice, { Action: 'GetSessionToken', SerialNumber: alice.serialNumber, TokenCode: wrongCode(emulator(), alice.seed) });
      expect(expectErrorDocument(response, 403, 'AccessDenied')).toBe('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    });

    it('InternalFailure (Receiver, 500) for an injected fault', async () => {
      emulator().injectFault({ kind: 'internal-failure' });
      const response = await call(alice, { Action: 'GetCallerIdentity' });
      expectErrorDocument(response, 500, 'InternalFailure', 'Receiver');
    });

    it('escapes quotes in messages so that the document stays well-formed', async () => {
      const response = await call(alice, { Action: 'AssumeRole', RoleArn: ROLES.dev, RoleSessionName: '<a&"b">' });
      expect(expectErrorDocument(response, 400, 'ValidationError')).toContain(`Value '<a&"b">' at 'roleSessionName'`);
    });

    // AWS STS answers expired session credentials with HTTP 403 (aws/aws-sdk-java-v2#1649 quotes
    // "The security token included in the request is expired (Service: Sts, Status Code: 403 ...)";
    // IAM's identical Query front door answers "403 Forbidden ... <Code>ExpiredToken</Code>").
    it('ExpiredToken (403, as AWS STS answers) once session credentials expire', async () => {
      const session = await mfaSession(900);
      emulator().clock.advance(900_000);
      const response = await call(session, { Action: 'GetCallerIdentity' });
      expect(expectErrorDocument(response, 403, 'ExpiredToken')).toBe('The security token included in the request is expired');
    });
  });
});
