import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadIamModel } from '../../sts-emulator/iam-model.js';
import { ServiceModel } from '../../sts-emulator/service-model.js';
import { loadStsModel } from '../../sts-emulator/sts-model.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { checkErrorDocument, checkOperationResponse, parseErrorDocument, parseXmlDocument, type XmlElement } from '../../support/model-shape-check.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { send, signedStsRequest, type RawResponse, type SignOptions } from '../../support/signed-request.js';
import type { KeyPair } from '../../support/sts-client.js';

/**
 * Real IAM responses from the emulator, obtained over HTTP with requests signed by the SDK's
 * signer for the `iam` service, checked against the IAM model by the independent checker
 * (fast-xml-parser, not the emulator's XML writer); error documents in IAM's namespace; how
 * requests are routed between STS and IAM by their credential scope; and the checker shown to
 * fail on IAM documents that do not conform.
 */
const IAM_VERSION = '2010-05-08';
const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const iamModel = loadIamModel();
const stsModel = loadStsModel();

describe('IAM responses of the STS emulator conform to the IAM model', () => {
  const emulator = useEmulator();
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');
  const bob = identity(fixture, 'bob');
  const ci = identity(fixture, 'ci-readonly');
  const longTerm = (who: typeof alice): KeyPair => ({ accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey });

  async function iam(credentials: KeyPair, params: Record<string, string>, options: SignOptions = {}): Promise<RawResponse> {
    return send(await signedStsRequest(emulator().url, credentials, { Version: IAM_VERSION, ...params }, { service: 'iam', signingDate: emulator().clock.signatureNow(), ...options }));
  }

  async function sts(credentials: KeyPair, params: Record<string, string>, options: SignOptions = {}): Promise<RawResponse> {
    return send(await signedStsRequest(emulator().url, credentials, params, { signingDate: emulator().clock.signatureNow(), ...options }));
  }

  function root(xml: string): XmlElement {
    const parsed = parseXmlDocument(xml);
    if ('problem' in parsed) throw new Error(parsed.problem);
    return parsed.root;
  }

  function find(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
    let current = element;
    for (const name of path) current = current?.children.find((c) => c.name === name);
    return current;
  }

  function resultOf(response: RawResponse, operation: string): XmlElement {
    const result = find(root(response.body), `${operation}Result`);
    if (!result) throw new Error(`No ${operation}Result in ${response.body}`);
    return result;
  }

  function expectConforming(response: RawResponse, operation: string): void {
    expect(response.status, response.body).toBe(200);
    expect(checkOperationResponse(response.body, operation, iamModel)).toEqual([]);
    expect(root(response.body).attributes.xmlns).toBe(IAM_NAMESPACE);
    expect(response.headers.get('content-type')).toBe('text/xml');
    expect(response.headers.get('x-amzn-requestid')).toBe(find(root(response.body), 'ResponseMetadata', 'RequestId')?.text);
    expect(Number.isNaN(Date.parse(response.headers.get('date') ?? ''))).toBe(false);
  }

  async function mfaSession(): Promise<KeyPair> {
    const response = await sts(longTerm(alice), { Action: 'GetSessionToken', SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) });
    expect(response.status, response.body).toBe(200);
    const credentials = find(root(response.body), 'GetSessionTokenResult', 'Credentials');
    const text = (name: string): string => find(credentials, name)?.text ?? '';
    return { accessKeyId: text('AccessKeyId'), secretAccessKey: text('SecretAccessKey'), sessionToken: text('SessionToken') };
  }

  describe('successful responses', () => {
    it('GetUser', async () => {
      const response = await iam(longTerm(bob), { Action: 'GetUser' });
      expectConforming(response, 'GetUser');
      expect(find(resultOf(response, 'GetUser'), 'User', 'Arn')?.text).toBe('arn:aws:iam::111111111111:user/engineers/bob');
      expect(find(resultOf(response, 'GetUser'), 'User', 'Path')?.text).toBe('/engineers/');
    });

    it('ListAccessKeys', async () => {
      const session = await mfaSession();
      const whole = await iam(session, { Action: 'ListAccessKeys' });
      expectConforming(whole, 'ListAccessKeys');
      expect(find(resultOf(whole, 'ListAccessKeys'), 'IsTruncated')?.text).toBe('false');
      expect(find(resultOf(whole, 'ListAccessKeys'), 'AccessKeyMetadata', 'member', 'CreateDate')?.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it('ListAccessKeys with MaxItems=1 for a user with two keys says IsTruncated and gives a Marker', async () => {
      // bob has two keys; his own MFA session lists them.
      const code = currentCode(emulator(), bob.seed);
      const session = await sts(longTerm(bob), { Action: 'GetSessionToken', SerialNumber: bob.serialNumber, TokenCode: code });
      const credentials = find(root(session.body), 'GetSessionTokenResult', 'Credentials');
      const keys: KeyPair = {
        accessKeyId: find(credentials, 'AccessKeyId')?.text ?? '',
        secretAccessKey: find(credentials, 'SecretAccessKey')?.text ?? '',
        sessionToken: find(credentials, 'SessionToken')?.text ?? '',
      };
      const first = await iam(keys, { Action: 'ListAccessKeys', MaxItems: '1' });
      expectConforming(first, 'ListAccessKeys');
      expect(find(resultOf(first, 'ListAccessKeys'), 'IsTruncated')?.text).toBe('true');
      const marker = find(resultOf(first, 'ListAccessKeys'), 'Marker')?.text ?? '';
      expect(marker).not.toBe('');
      const second = await iam(keys, { Action: 'ListAccessKeys', MaxItems: '1', Marker: marker });
      expectConforming(second, 'ListAccessKeys');
      expect(find(resultOf(second, 'ListAccessKeys'), 'AccessKeyMetadata', 'member', 'Status')?.text).toBe('Inactive');
    });

    it('CreateAccessKey, UpdateAccessKey and DeleteAccessKey (the last two have no result element)', async () => {
      const session = await mfaSession();
      const created = await iam(session, { Action: 'CreateAccessKey' });
      expectConforming(created, 'CreateAccessKey');
      const id = find(resultOf(created, 'CreateAccessKey'), 'AccessKey', 'AccessKeyId')?.text ?? '';
      expect(id).toMatch(/^AKIA[A-Z2-7]{16}$/);

      const updated = await iam(session, { Action: 'UpdateAccessKey', AccessKeyId: id, Status: 'Inactive' });
      expectConforming(updated, 'UpdateAccessKey');
      expect(root(updated.body).children.map((c) => c.name)).toEqual(['ResponseMetadata']);

      const deleted = await iam(session, { Action: 'DeleteAccessKey', AccessKeyId: id });
      expectConforming(deleted, 'DeleteAccessKey');
      expect(root(deleted.body).children.map((c) => c.name)).toEqual(['ResponseMetadata']);
    });

    it('GetAccessKeyLastUsed for a used key and for a key never used (no LastUsedDate, N/A)', async () => {
      const session = await mfaSession();
      const used = await iam(session, { Action: 'GetAccessKeyLastUsed', AccessKeyId: alice.accessKeyId });
      expectConforming(used, 'GetAccessKeyLastUsed');
      expect(find(resultOf(used, 'GetAccessKeyLastUsed'), 'AccessKeyLastUsed', 'ServiceName')?.text).toBe('sts');

      const created = await iam(session, { Action: 'CreateAccessKey' });
      const id = find(resultOf(created, 'CreateAccessKey'), 'AccessKey', 'AccessKeyId')?.text ?? '';
      const never = await iam(session, { Action: 'GetAccessKeyLastUsed', AccessKeyId: id });
      expectConforming(never, 'GetAccessKeyLastUsed');
      const lastUsed = find(resultOf(never, 'GetAccessKeyLastUsed'), 'AccessKeyLastUsed');
      expect(lastUsed?.children.map((c) => [c.name, c.text])).toEqual([
        ['ServiceName', 'N/A'],
        ['Region', 'N/A'],
      ]);
    });

    it('ListMFADevices with two devices, and with none (an empty list element)', async () => {
      const two = await iam(longTerm(bob), { Action: 'ListMFADevices' });
      expectConforming(two, 'ListMFADevices');
      expect(find(resultOf(two, 'ListMFADevices'), 'MFADevices')?.children).toHaveLength(2);
      const none = await iam(longTerm(ci), { Action: 'ListMFADevices' });
      expectConforming(none, 'ListMFADevices');
      expect(find(resultOf(none, 'ListMFADevices'), 'MFADevices')?.children).toEqual([]);
    });

    it('ListAccountAliases', async () => {
      const response = await iam(await mfaSession(), { Action: 'ListAccountAliases' });
      expectConforming(response, 'ListAccountAliases');
      expect(find(resultOf(response, 'ListAccountAliases'), 'AccountAliases')?.children.map((c) => c.text)).toEqual(['security']);
    });

    it('a presigned GET works for IAM too', async () => {
      const request = await signedStsRequest(emulator().url, longTerm(alice), { Version: IAM_VERSION, Action: 'GetUser' }, { service: 'iam', signingDate: emulator().clock.signatureNow(), presign: { expiresIn: 300 } });
      expectConforming(await send(request), 'GetUser');
    });
  });

  describe('error documents, in the answering service\'s namespace', () => {
    function expectErrorDocument(response: RawResponse, status: number, code: string, namespace = IAM_NAMESPACE): string | undefined {
      const model = namespace === IAM_NAMESPACE ? iamModel : stsModel;
      expect(checkErrorDocument(response.body, model)).toEqual([]);
      const error = parseErrorDocument(response.body);
      expect({ status: response.status, code: error.code, type: error.type }).toEqual({ status, code, type: 'Sender' });
      expect(response.headers.get('x-amzn-requestid')).toBe(error.requestId);
      return error.message;
    }

    it('NoSuchEntity 404, LimitExceeded 409, AccessDenied 403 and ValidationError 400', async () => {
      const session = await mfaSession();
      expect(expectErrorDocument(await iam(session, { Action: 'DeleteAccessKey', AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }), 404, 'NoSuchEntity')).toBe(
        'The Access Key with id AKIAUNKNOWNUNKNOWN00 cannot be found.',
      );
      expect((await iam(session, { Action: 'CreateAccessKey' })).status).toBe(200);
      expect(expectErrorDocument(await iam(session, { Action: 'CreateAccessKey' }), 409, 'LimitExceeded')).toBe('Cannot exceed quota for AccessKeysPerUser: 2');
      expect(expectErrorDocument(await iam(longTerm(alice), { Action: 'ListAccessKeys' }), 403, 'AccessDenied')).toContain('with an explicit deny in an identity-based policy');
      expect(expectErrorDocument(await iam(session, { Action: 'ListAccessKeys', MaxItems: '0' }), 400, 'ValidationError')).toBe(
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
      expect(expectErrorDocument(await iam(session, { Action: 'UpdateAccessKey', AccessKeyId: alice.accessKeyId, Status: 'Deleted' }), 400, 'ValidationError')).toBe(
        "1 validation error detected: Value 'Deleted' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]",
      );
    });

    it('InvalidAction for an IAM action the emulator does not implement', async () => {
      expect(expectErrorDocument(await iam(longTerm(alice), { Action: 'ListUsers' }), 400, 'InvalidAction')).toBe('Could not find operation ListUsers for version 2010-05-08');
    });

    it('MissingAuthenticationToken for an unsigned IAM request, in the IAM namespace', async () => {
      const response = await fetch(emulator().url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Action=GetUser&Version=${IAM_VERSION}`,
      });
      const raw: RawResponse = { status: response.status, headers: response.headers, body: await response.text() };
      expect(expectErrorDocument(raw, 403, 'MissingAuthenticationToken')).toBe('Request is missing Authentication Token');
      expect(emulator().requests()).toEqual([expect.objectContaining({ service: 'iam', action: 'GetUser', outcome: 'MissingAuthenticationToken', callerArn: null })]);
    });

    it('a credential scope for another service or region is SignatureDoesNotMatch with AWS\'s words', async () => {
      expect(expectErrorDocument(await iam(longTerm(alice), { Action: 'GetUser' }, { service: 'ec2' }), 403, 'SignatureDoesNotMatch')).toBe(
        "Credential should be scoped to correct service: 'iam'. ",
      );
      expect(expectErrorDocument(await iam(longTerm(alice), { Action: 'GetUser' }, { region: 'eu-west-1' }), 403, 'SignatureDoesNotMatch')).toBe(
        "Credential should be scoped to a valid region, not 'eu-west-1'. ",
      );
      expect(expectErrorDocument(await sts(longTerm(alice), { Action: 'GetCallerIdentity' }, { service: 'ec2' }), 403, 'SignatureDoesNotMatch', STS_NAMESPACE)).toBe(
        "Credential should be scoped to correct service: 'sts'. ",
      );
      // STS has regional endpoints: any region is fine for it.
      expect((await sts(longTerm(alice), { Action: 'GetCallerIdentity' }, { region: 'eu-west-1' })).status).toBe(200);
    });

    it('the credential scope routes: an STS action signed for iam is IAM\'s InvalidAction, and the other way round', async () => {
      const stsActionToIam = await sts(longTerm(alice), { Action: 'GetCallerIdentity' }, { service: 'iam' });
      expect(expectErrorDocument(stsActionToIam, 400, 'InvalidAction')).toBe('Could not find operation GetCallerIdentity for version 2011-06-15');
      const iamActionToSts = await iam(longTerm(alice), { Action: 'GetUser' }, { service: 'sts' });
      expect(expectErrorDocument(iamActionToSts, 400, 'InvalidAction', STS_NAMESPACE)).toBe('Could not find operation GetUser for version 2010-05-08');
      expect(emulator().requests().map((e) => [e.service, e.action, e.outcome])).toEqual([
        ['iam', 'GetCallerIdentity', 'InvalidAction'],
        ['sts', 'GetUser', 'InvalidAction'],
      ]);
    });
  });

  describe('the checker rejects IAM documents that do not conform', () => {
    async function listAccessKeysXml(): Promise<string> {
      const response = await iam(await mfaSession(), { Action: 'ListAccessKeys' });
      expect(checkOperationResponse(response.body, 'ListAccessKeys', iamModel)).toEqual([]);
      return response.body;
    }

    it('reports a missing required list, a value outside an enum, and the STS model used for an IAM answer', async () => {
      const xml = await listAccessKeysXml();
      const noList = xml.replace(/<AccessKeyMetadata>[\s\S]*<\/AccessKeyMetadata>/, '');
      expect(checkOperationResponse(noList, 'ListAccessKeys', iamModel)).toEqual([
        'ListAccessKeysResponse/ListAccessKeysResult/AccessKeyMetadata: required member of ListAccessKeysResponse is missing',
      ]);
      const badStatus = xml.replace('<Status>Active</Status>', '<Status>Deleted</Status>');
      expect(checkOperationResponse(badStatus, 'ListAccessKeys', iamModel).join('\n')).toMatch(/Status: 'Deleted' is not one of Active, Inactive/);
      expect(checkOperationResponse(xml, 'ListAccessKeys', stsModel)).toEqual(['the sts model has no operation ListAccessKeys']);
      expect(checkOperationResponse(xml.replace(IAM_NAMESPACE, STS_NAMESPACE), 'ListAccessKeys', iamModel).join('\n')).toMatch(/xmlns is 'https:\/\/sts/);
    });

    it('reports an account alias that breaks the model\'s pattern', async () => {
      const response = await iam(await mfaSession(), { Action: 'ListAccountAliases' });
      const bad = response.body.replace('<member>security</member>', '<member>Security--Team</member>');
      expect(checkOperationResponse(bad, 'ListAccountAliases', iamModel).join('\n')).toMatch(/'Security--Team' does not match the pattern/);
    });

    it('the botocore copy unchanged would call a never-used GetAccessKeyLastUsed answer incomplete: the loaded model corrects that one shape', async () => {
      const session = await mfaSession();
      const created = await iam(session, { Action: 'CreateAccessKey' });
      const id = find(resultOf(created, 'CreateAccessKey'), 'AccessKey', 'AccessKeyId')?.text ?? '';
      const never = (await iam(session, { Action: 'GetAccessKeyLastUsed', AccessKeyId: id })).body;
      const verbatim = new ServiceModel(JSON.parse(readFileSync(new URL('../../sts-emulator/model/iam-2010-05-08.service.json', import.meta.url), 'utf8')) as unknown);
      expect(checkOperationResponse(never, 'GetAccessKeyLastUsed', verbatim)).toEqual([
        'GetAccessKeyLastUsedResponse/GetAccessKeyLastUsedResult/AccessKeyLastUsed/LastUsedDate: required member of AccessKeyLastUsed is missing',
      ]);
      expect(checkOperationResponse(never, 'GetAccessKeyLastUsed', iamModel)).toEqual([]);
      expect(iamModel.structure('AccessKeyLastUsed').required).toEqual(['ServiceName', 'Region']);
    });

    it('walks maps (GetAccountSummary\'s SummaryMap): entries, keys and values', () => {
      const doc = (entries: string): string =>
        `<GetAccountSummaryResponse xmlns="${IAM_NAMESPACE}"><GetAccountSummaryResult><SummaryMap>${entries}</SummaryMap></GetAccountSummaryResult>` +
        '<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></GetAccountSummaryResponse>';
      expect(checkOperationResponse(doc('<entry><key>Users</key><value>3</value></entry><entry><key>MFADevices</key><value>2</value></entry>'), 'GetAccountSummary', iamModel)).toEqual([]);
      expect(checkOperationResponse(doc('<entry><key>Users</key></entry>'), 'GetAccountSummary', iamModel)).toEqual([
        'GetAccountSummaryResponse/GetAccountSummaryResult/SummaryMap/entry[1]/value: missing',
      ]);
      expect(checkOperationResponse(doc('<entry><key>Users</key><value>three</value></entry>'), 'GetAccountSummary', iamModel)).toEqual([
        "GetAccountSummaryResponse/GetAccountSummaryResult/SummaryMap/entry[1]/value: 'three' is not an integer",
      ]);
      expect(checkOperationResponse(doc('<entry><key>Sheep</key><value>1</value></entry>'), 'GetAccountSummary', iamModel).join('\n')).toMatch(/'Sheep' is not one of Users/);
      expect(checkOperationResponse(doc('<item><key>Users</key><value>3</value></item>'), 'GetAccountSummary', iamModel)).toEqual([
        'GetAccountSummaryResponse/GetAccountSummaryResult/SummaryMap/item[1]: map entries must be <entry> elements',
      ]);
    });
  });
});
