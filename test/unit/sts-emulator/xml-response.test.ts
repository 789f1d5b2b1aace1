import { describe, expect, it } from 'vitest';
import { checkErrorDocument, checkOperationResponse, parseErrorDocument } from '../../support/model-shape-check.js';
import { StsError } from '../../sts-emulator/sts-errors.js';
import { loadStsModel } from '../../sts-emulator/sts-model.js';
import { errorXml, escapeXml, successXml, xmlTimestamp } from '../../sts-emulator/xml-response.js';

const model = loadStsModel();
const REQUEST_ID = '0f5c2b9e-6c1a-4a57-9d0c-3b2f5b8e7a10';

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  });

  it('escapes & first, so existing entities are not left half-escaped', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('leaves other text, including non-ASCII, alone', () => {
    expect(escapeXml('équipe/😀 +=,.@-')).toBe('équipe/😀 +=,.@-');
  });
});

describe('xmlTimestamp', () => {
  it('writes ISO 8601 UTC to the second, dropping milliseconds', () => {
    expect(xmlTimestamp(new Date(Date.UTC(2026, 10, 26, 15, 4, 5, 678)))).toBe('2026-11-26T15:04:05Z');
    expect(xmlTimestamp(new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 0)))).toBe('2026-01-01T00:00:00Z');
  });

  it('truncates rather than rounds', () => {
    expect(xmlTimestamp(new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 999)))).toBe('2026-12-31T23:59:59Z');
  });
});

describe('successXml', () => {
  it('writes a GetCallerIdentity answer that conforms to the model', () => {
    const xml = successXml(model, 'GetCallerIdentity', { UserId: 'AIDAR24YK3GHVGIADK6FN', Account: '111111111111', Arn: 'arn:aws:iam::111111111111:user/alice' }, REQUEST_ID);
    expect(checkOperationResponse(xml, 'GetCallerIdentity')).toEqual([]);
    expect(xml).toMatch(/^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    expect(xml).toContain(`<ResponseMetadata>\n    <RequestId>${REQUEST_ID}</RequestId>\n  </ResponseMetadata>`);
  });

  it('writes members in model order whatever the order of the result object', () => {
    const xml = successXml(model, 'GetCallerIdentity', { Arn: 'arn:aws:iam::111111111111:user/alice', Account: '111111111111', UserId: 'AIDAR24YK3GHVGIADK6FN' }, REQUEST_ID);
    expect(xml.indexOf('<UserId>')).toBeLessThan(xml.indexOf('<Account>'));
    expect(xml.indexOf('<Account>')).toBeLessThan(xml.indexOf('<Arn>'));
  });

  it('writes nested structures and timestamps to the second, leaving out undefined members', () => {
    const xml = successXml(
      model,
      'AssumeRole',
      {
        Credentials: {
          AccessKeyId: 'ASIAABCDEFGHIJKLMNOP',
          SecretAccessKey: 'a/b+c',
          SessionToken: 'IQoJb3JpZ2luX2Vj',
          Expiration: new Date(Date.UTC(2026, 10, 26, 16, 0, 0, 250)),
        },
        AssumedRoleUser: { AssumedRoleId: 'AROAKMQ4QGJ7LRH3F5I6W:alice', Arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' },
        SourceIdentity: undefined,
      },
      REQUEST_ID,
    );
    expect(checkOperationResponse(xml, 'AssumeRole')).toEqual([]);
    expect(xml).toContain('<Expiration>2026-11-26T16:00:00Z</Expiration>');
    expect(xml).not.toContain('SourceIdentity');
    expect(xml).not.toContain('PackedPolicySize');
  });

  it('escapes values', () => {
    const xml = successXml(model, 'GetCallerIdentity', { UserId: 'AIDA<&>', Account: '111111111111', Arn: `arn:aws:iam::111111111111:user/o'neil&"co"` }, REQUEST_ID);
    expect(xml).toContain('<UserId>AIDA&lt;&amp;&gt;</UserId>');
    expect(xml).toContain('<Arn>arn:aws:iam::111111111111:user/o&apos;neil&amp;&quot;co&quot;</Arn>');
    expect(checkOperationResponse(xml, 'GetCallerIdentity')).toEqual([]);
  });

  it('writes an empty result element when the result has no members', () => {
    const xml = successXml(model, 'GetCallerIdentity', {}, REQUEST_ID);
    expect(xml).toContain('<GetCallerIdentityResult/>');
    expect(checkOperationResponse(xml, 'GetCallerIdentity')).toEqual([]);
  });

  it('refuses values of the wrong type for the shape', () => {
    expect(() => successXml(model, 'GetSessionToken', { Credentials: 'not a structure' }, REQUEST_ID)).toThrow(TypeError);
    expect(() =>
      successXml(model, 'GetSessionToken', { Credentials: { AccessKeyId: 'ASIAABCDEFGHIJKLMNOP', SecretAccessKey: 's', SessionToken: 't', Expiration: '2026-11-26T16:00:00Z' } }, REQUEST_ID),
    ).toThrow(TypeError);
  });

  it('refuses an operation the model does not have', () => {
    expect(() => successXml(model, 'ListRoles', {}, REQUEST_ID)).toThrow(/no output for ListRoles/);
  });
});

describe('errorXml', () => {
  it('writes a conforming error document with Sender for 4xx', () => {
    const xml = errorXml(model, new StsError('ValidationError', `Value 'a<b' at 'roleSessionName' failed & "more"`, 400), REQUEST_ID);
    expect(checkErrorDocument(xml)).toEqual([]);
    expect(parseErrorDocument(xml)).toEqual({ type: 'Sender', code: 'ValidationError', message: `Value 'a<b' at 'roleSessionName' failed & "more"`, requestId: REQUEST_ID });
    expect(xml).toContain('<Message>Value &apos;a&lt;b&apos; at &apos;roleSessionName&apos; failed &amp; &quot;more&quot;</Message>');
  });

  it('writes Receiver for 5xx', () => {
    const xml = errorXml(model, new StsError('InternalFailure', 'boom', 500), REQUEST_ID);
    expect(checkErrorDocument(xml)).toEqual([]);
    expect(parseErrorDocument(xml).type).toBe('Receiver');
  });
});
