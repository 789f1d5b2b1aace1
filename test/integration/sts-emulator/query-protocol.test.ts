import { describe, expect, it } from 'vitest';
import { formatAmzDate } from '../../sts-emulator/sigv4-authenticator.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { checkErrorDocument, checkOperationResponse, parseErrorDocument, type ErrorDocument } from '../../support/model-shape-check.js';
import { identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';
import { send, signedStsRequest, type RawResponse, type SignedHttpRequest } from '../../support/signed-request.js';

/**
 * The AWS Query protocol front door: form POST and presigned GET, the action and version,
 * authentication failures of every shape, and parameter validation worded exactly as AWS words it.
 */
describe('STS emulator Query protocol', () => {
  const emulator = useEmulator();
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');

  async function signed(params: Record<string, string>, options: { signingDate?: Date; presign?: { expiresIn: number } } = {}): Promise<SignedHttpRequest> {
    return signedStsRequest(emulator().url, alice, params, { signingDate: emulator().clock.signatureNow(), ...options });
  }

  async function call(params: Record<string, string>): Promise<RawResponse> {
    return send(await signed(params));
  }

  async function raw(init: RequestInit, path = '/'): Promise<RawResponse> {
    const response = await fetch(`${emulator().url}${path}`, init);
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  /** The error of a response that must be a conforming AWS error document. */
  function failure(response: RawResponse): ErrorDocument & { status: number } {
    expect(checkErrorDocument(response.body)).toEqual([]);
    return { status: response.status, ...parseErrorDocument(response.body) };
  }

  function expectCallerIdentity(response: RawResponse): void {
    expect(response.status, response.body).toBe(200);
    expect(checkOperationResponse(response.body, 'GetCallerIdentity')).toEqual([]);
    expect(response.body).toContain('<Arn>arn:aws:iam::111111111111:user/alice</Arn>');
  }

  describe('transport', () => {
    it('answers GetCallerIdentity as a signed form POST', async () => {
      const request = await signed({ Action: 'GetCallerIdentity' });
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
      expectCallerIdentity(await send(request));
    });

    it('answers GetCallerIdentity as a presigned GET', async () => {
      const request = await signed({ Action: 'GetCallerIdentity' }, { presign: { expiresIn: 900 } });
      expect(request.method).toBe('GET');
      expect(request.headers.authorization).toBeUndefined();
      expect(request.query?.['X-Amz-Signature']).toBeDefined();
      expectCallerIdentity(await send(request));
    });

    it('answers a presigned URL used well after it expired with SignatureDoesNotMatch 403 "Signature expired"', async () => {
      const signingDate = new Date(emulator().clock.signatureNow().getTime() - 20 * 60_000);
      const request = await signed({ Action: 'GetCallerIdentity' }, { signingDate, presign: { expiresIn: 60 } });
      const error = failure(await send(request));
      expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', type: 'Sender' });
      expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - \d+ (sec|min)\.\)$/);
    });

    // AWS STS ignores X-Amz-Expires on presigned requests and accepts them for 15 minutes after
    // X-Amz-Date: kubernetes-sigs/aws-iam-authenticator (pkg/token/token.go) says "The sts
    // GetCallerIdentity request is valid for 15 minutes regardless of this parameters value after
    // it has been signed ... IT IS IGNORED" and "presigned STS urls are valid for 15 minutes after
    // timestamp in x-amz-date". Every EKS token is such a URL, signed with X-Amz-Expires=60.
    it('accepts a presigned URL signed 2 minutes ago with X-Amz-Expires=60, as AWS STS does (15 minutes regardless)', async () => {
      const signingDate = new Date(emulator().clock.signatureNow().getTime() - 2 * 60_000);
      expectCallerIdentity(await send(await signed({ Action: 'GetCallerIdentity' }, { signingDate, presign: { expiresIn: 60 } })));
    });

    it('refuses a presigned URL signed 20 minutes ago even with X-Amz-Expires=3600, as AWS STS does', async () => {
      const signingDate = new Date(emulator().clock.signatureNow().getTime() - 20 * 60_000);
      const error = failure(await send(await signed({ Action: 'GetCallerIdentity' }, { signingDate, presign: { expiresIn: 3600 } })));
      expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      expect(error.message).toMatch(/^Signature expired: /);
    });

    it('answers PUT with 405', async () => {
      const response = await raw({ method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      expect(response.status).toBe(405);
      expect(failure(response)).toMatchObject({ status: 405, type: 'Sender' });
    });
  });

  describe('action and version', () => {
    it('answers an unknown action with InvalidAction 400', async () => {
      expect(failure(await call({ Action: 'ListRoles' }))).toMatchObject({
        status: 400,
        code: 'InvalidAction',
        type: 'Sender',
        message: 'Could not find operation ListRoles for version 2011-06-15',
      });
    });

    it('answers a wrong API version with InvalidAction 400', async () => {
      expect(failure(await call({ Action: 'GetCallerIdentity', Version: '2010-05-08' }))).toMatchObject({
        status: 400,
        code: 'InvalidAction',
        message: 'Could not find operation GetCallerIdentity for version 2010-05-08',
      });
    });

    // An emulator limitation, not AWS behaviour: AWS STS implements GetAccessKeyInfo. What matters
    // here is that an operation the model has but the emulator does not serve fails cleanly.
    it('answers a model operation the emulator does not serve with InvalidAction, not a crash', async () => {
      expect(failure(await call({ Action: 'GetAccessKeyInfo', AccessKeyId: alice.accessKeyId }))).toMatchObject({ status: 400, code: 'InvalidAction' });
    });
  });

  describe('authentication', () => {
    it('answers a request without any authentication with MissingAuthenticationToken 403', async () => {
      const response = await raw({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(failure(response)).toMatchObject({ status: 403, code: 'MissingAuthenticationToken', type: 'Sender', message: 'Request is missing Authentication Token' });
    });

    it('answers an Authorization header without Credential, SignedHeaders or Signature with IncompleteSignature 400', async () => {
      const response = await raw({
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-amz-date': formatAmzDate(emulator().clock.signatureNow()),
          authorization: 'AWS4-HMAC-SHA256 this-is-not-a-signature',
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      const error = failure(response);
      expect(error).toMatchObject({ status: 400, code: 'IncompleteSignature', type: 'Sender' });
      expect(error.message).toContain("Authorization header requires 'Credential' parameter.");
      expect(error.message).toContain("Authorization header requires 'Signature' parameter.");
      expect(error.message).toContain("Authorization header requires 'SignedHeaders' parameter.");
    });

    it('answers a credential scope without five parts with IncompleteSignature 400', async () => {
      const date = formatAmzDate(emulator().clock.signatureNow());
      const credential = `${alice.accessKeyId}/${date.slice(0, 8)}/us-east-1/sts`;
      const response = await raw({
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-amz-date': date,
          authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(failure(response)).toMatchObject({
        status: 400,
        code: 'IncompleteSignature',
        message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
      });
    });

    it('answers a signed request whose body was altered after signing with SignatureDoesNotMatch 403', async () => {
      const request = await signed({ Action: 'GetCallerIdentity' });
      const tampered = { ...request, body: 'Action=GetSessionToken&Version=2011-06-15' } as SignedHttpRequest;
      const error = failure(await send(tampered));
      expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', type: 'Sender' });
      expect(error.message).toBe(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
      // The untampered request is fine.
      expectCallerIdentity(await send(request));
    });

    it('answers a presigned URL whose query was altered after signing with SignatureDoesNotMatch 403', async () => {
      const request = await signed({ Action: 'GetCallerIdentity' }, { presign: { expiresIn: 300 } });
      const tampered = { ...request, query: { ...request.query, Version: '2011-06-15', Extra: 'x' } } as SignedHttpRequest;
      expect(failure(await send(tampered))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    });
  });

  describe('parameter validation, worded as AWS words it', () => {
    async function validationMessageOf(params: Record<string, string>): Promise<string | undefined> {
      const error = failure(await call(params));
      expect(error).toMatchObject({ status: 400, code: 'ValidationError', type: 'Sender' });
      return error.message;
    }

    const assumeDev = { Action: 'AssumeRole', RoleArn: ROLES.dev, RoleSessionName: 'alice' };

    it('RoleSessionName too short', async () => {
      expect(await validationMessageOf({ ...assumeDev, RoleSessionName: 'a' })).toBe(
        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      );
    });

    it('RoleSessionName with characters outside the pattern', async () => {
      expect(await validationMessageOf({ ...assumeDev, RoleSessionName: 'bad name!' })).toBe(
        "1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      );
    });

    it('TokenCode of five digits', async () => {
      expect(await validationMessageOf({ ...assumeDev, SerialNumber: alice.serialNumber, TokenCode: '12345' })).toBe(
        "1 validation error detected: Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6",
      );
    });

    it('TokenCode with a letter', async () => {
      expect(await validationMessageOf({ ...assumeDev, SerialNumber: alice.serialNumber, TokenCode: '12345a' })).toBe(
        "1 validation error detected: Value '12345a' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
      );
    });

    it('GetSessionToken DurationSeconds below 900', async () => {
      expect(await validationMessageOf({ Action: 'GetSessionToken', DurationSeconds: '899' })).toBe(
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      );
    });

    it('GetSessionToken DurationSeconds above 129600', async () => {
      expect(await validationMessageOf({ Action: 'GetSessionToken', DurationSeconds: '129601' })).toBe(
        "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
      );
    });

    it('GetSessionToken DurationSeconds at the limits is accepted', async () => {
      const response = await call({ Action: 'GetSessionToken', DurationSeconds: '129600' });
      expect(response.status, response.body).toBe(200);
      expect(checkOperationResponse(response.body, 'GetSessionToken')).toEqual([]);
      expect((await call({ Action: 'GetSessionToken', DurationSeconds: '900' })).status).toBe(200);
    });

    it('two problems at once, in one message', async () => {
      expect(await validationMessageOf({ ...assumeDev, RoleSessionName: 'a', SerialNumber: alice.serialNumber, TokenCode: '12345' })).toBe(
        '2 validation errors detected: ' +
          "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
          "Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6",
      );
    });

    it('a missing required RoleArn', async () => {
      expect(await validationMessageOf({ Action: 'AssumeRole', RoleSessionName: 'alice' })).toBe(
        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      );
    });

    it('DurationSeconds that is not a number', async () => {
      const message = await validationMessageOf({ Action: 'GetSessionToken', DurationSeconds: 'abc' });
      expect(message).toMatch(/^1 validation error detected: Value 'abc' at 'durationSeconds' failed to satisfy constraint: /);
    });

    it('checks parameters only after authentication, so an unauthenticated caller learns nothing', async () => {
      const response = await raw({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=AssumeRole&Version=2011-06-15&RoleSessionName=a',
      });
      expect(failure(response)).toMatchObject({ status: 403, code: 'MissingAuthenticationToken' });
    });

    it('accepts valid parameters after a validation failure (the MFA code was not consumed)', async () => {
      await validationMessageOf({ ...assumeDev, RoleSessionName: 'a', SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) });
      const response = await call({ ...assumeDev, SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) });
      expect(response.status, response.body).toBe(200);
      expect(checkOperationResponse(response.body, 'AssumeRole')).toEqual([]);
    });
  });
});
