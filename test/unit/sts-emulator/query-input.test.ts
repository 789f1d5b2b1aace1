import { describe, expect, it } from 'vitest';
import { decodeQueryInput, memberPath } from '../../sts-emulator/query-input.js';
import { loadStsModel, StsModel } from '../../sts-emulator/sts-model.js';

const model = loadStsModel();

function decode(shape: string, query: string): ReturnType<typeof decodeQueryInput> {
  return decodeQueryInput(model, shape, new URLSearchParams(query));
}

describe('decodeQueryInput (AWS Query protocol parameters -> input object)', () => {
  it('decodes top-level strings and integers by the model', () => {
    const { input, problems } = decode(
      'AssumeRoleRequest',
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fengineer&RoleSessionName=alice&DurationSeconds=3600',
    );
    expect(problems).toEqual([]);
    expect(input).toEqual({ RoleArn: 'arn:aws:iam::222222222222:role/engineer', RoleSessionName: 'alice', DurationSeconds: 3600 });
    expect(typeof input.DurationSeconds).toBe('number');
  });

  it('ignores parameters that are not members (Action, Version, unknown ones)', () => {
    expect(decode('GetCallerIdentityRequest', 'Action=GetCallerIdentity&Version=2011-06-15&Foo=bar')).toEqual({ input: {}, problems: [] });
  });

  it('leaves missing members out instead of inventing them', () => {
    const { input } = decode('GetSessionTokenRequest', 'SerialNumber=arn%3Aaws%3Aiam%3A%3A111111111111%3Amfa%2Falice');
    expect(input).toEqual({ SerialNumber: 'arn:aws:iam::111111111111:mfa/alice' });
    expect('DurationSeconds' in input).toBe(false);
    expect('TokenCode' in input).toBe(false);
  });

  it('keeps an empty value as an empty string (so that length constraints can reject it)', () => {
    expect(decode('AssumeRoleRequest', 'RoleSessionName=').input).toEqual({ RoleSessionName: '' });
  });

  it('decodes lists of structures: Tags.member.N.Key / .Value', () => {
    const { input, problems } = decode('AssumeRoleRequest', 'Tags.member.1.Key=team&Tags.member.1.Value=platform&Tags.member.2.Key=cost-center&Tags.member.2.Value=42');
    expect(problems).toEqual([]);
    expect(input.Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'cost-center', Value: '42' },
    ]);
  });

  it('decodes lists whose structure members are lower-case: PolicyArns.member.N.arn', () => {
    const { input } = decode(
      'AssumeRoleRequest',
      'PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess&PolicyArns.member.2.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FViewOnlyAccess',
    );
    expect(input.PolicyArns).toEqual([{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { arn: 'arn:aws:iam::aws:policy/ViewOnlyAccess' }]);
  });

  it('decodes lists of strings: TransitiveTagKeys.member.N', () => {
    expect(decode('AssumeRoleRequest', 'TransitiveTagKeys.member.1=team&TransitiveTagKeys.member.2=project').input).toEqual({ TransitiveTagKeys: ['team', 'project'] });
  });

  it('decodes a list item that lacks one of its members, leaving it to validation', () => {
    expect(decode('AssumeRoleRequest', 'Tags.member.1.Key=team').input).toEqual({ Tags: [{ Key: 'team' }] });
  });

  it('does not confuse Tags.member.1 with Tags.member.10', () => {
    expect(decode('AssumeRoleRequest', 'TransitiveTagKeys.member.10=x').input).toEqual({});
  });

  it('reports an integer that is not one, in AWS constraint wording, and drops the value', () => {
    for (const raw of ['abc', '1.5', '1e3', '']) {
      const { input, problems } = decode('GetSessionTokenRequest', `DurationSeconds=${encodeURIComponent(raw)}`);
      expect(input, raw).toEqual({});
      expect(problems).toEqual([`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`]);
    }
  });

  it('accepts negative integers (range is the validator\'s business)', () => {
    expect(decode('GetSessionTokenRequest', 'DurationSeconds=-5')).toEqual({ input: { DurationSeconds: -5 }, problems: [] });
  });

  it('spells member paths the way AWS messages do', () => {
    expect(memberPath('', 'DurationSeconds')).toBe('durationSeconds');
    expect(memberPath('tags.1.member', 'Key')).toBe('tags.1.member.key');
    expect(memberPath('policyArns.2.member', 'arn')).toBe('policyArns.2.member.arn');
  });

  it('decodes a structure nested in a structure as Parent.Child (a shape STS does not have yet)', () => {
    const nested = new StsModel({
      metadata: { apiVersion: '2011-06-15', protocol: 'query', xmlNamespace: 'urn:test' },
      operations: {},
      shapes: {
        Outer: { type: 'structure', members: { Inner: { shape: 'Inner' }, Count: { shape: 'Int' } } },
        Inner: { type: 'structure', members: { Name: { shape: 'Str' } } },
        Str: { type: 'string' },
        Int: { type: 'integer' },
      },
    });
    expect(decodeQueryInput(nested, 'Outer', new URLSearchParams('Inner.Name=x&Count=2'))).toEqual({ input: { Inner: { Name: 'x' }, Count: 2 }, problems: [] });
    expect(decodeQueryInput(nested, 'Outer', new URLSearchParams('InnerName=x')).input).toEqual({});
  });

  it('refuses integers with padding or beyond 15 digits instead of guessing', () => {
    for (const raw of [' 900 ', '9999999999999999999']) {
      expect(decode('GetSessionTokenRequest', `DurationSeconds=${encodeURIComponent(raw)}`).problems).toEqual([
        `Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`,
      ]);
    }
  });
});
