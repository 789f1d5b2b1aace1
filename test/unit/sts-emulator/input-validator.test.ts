import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateInput, validationMessage } from '../../sts-emulator/input-validator.js';
import type { InputObject } from '../../sts-emulator/query-input.js';
import { loadStsModel, modelPatternToRegExp } from '../../sts-emulator/sts-model.js';

const model = loadStsModel();
const ROLE_ARN = 'arn:aws:iam::222222222222:role/engineer';

function assumeRole(extra: InputObject): string[] {
  return validateInput(model, 'AssumeRoleRequest', { RoleArn: ROLE_ARN, RoleSessionName: 'alice', ...extra });
}

describe('validateInput (model constraints, AWS wording)', () => {
  it('finds nothing wrong with a valid AssumeRole', () => {
    expect(assumeRole({ DurationSeconds: 3600, SerialNumber: 'arn:aws:iam::111111111111:mfa/alice', TokenCode: '123456', SourceIdentity: 'alice' })).toEqual([]);
  });

  it('reports missing required members as null', () => {
    expect(validateInput(model, 'AssumeRoleRequest', {})).toEqual([
      "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
      "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    ]);
  });

  it('reports string length below the minimum and above the maximum', () => {
    expect(assumeRole({ RoleSessionName: 'a' })).toEqual([
      "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ]);
    expect(assumeRole({ RoleSessionName: 'x'.repeat(65) })).toEqual([
      `Value '${'x'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    ]);
  });

  it('reports a pattern violation with the model\'s own pattern text', () => {
    expect(assumeRole({ RoleSessionName: 'bad name!' })).toEqual([
      "Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    ]);
    expect(assumeRole({ TokenCode: '12345a' })).toEqual([
      "Value '12345a' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
    ]);
  });

  it('reports both length and pattern when a value breaks both', () => {
    expect(assumeRole({ TokenCode: '12a' })).toEqual([
      "Value '12a' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6",
      "Value '12a' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
    ]);
  });

  it('reports integer ranges', () => {
    expect(validateInput(model, 'GetSessionTokenRequest', { DurationSeconds: 899 })).toEqual([
      "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ]);
    expect(validateInput(model, 'GetSessionTokenRequest', { DurationSeconds: 129_601 })).toEqual([
      "Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
    ]);
    expect(validateInput(model, 'GetSessionTokenRequest', { DurationSeconds: 900 })).toEqual([]);
    expect(validateInput(model, 'GetSessionTokenRequest', { DurationSeconds: 129_600 })).toEqual([]);
    // AssumeRole has its own, lower, ceiling.
    expect(assumeRole({ DurationSeconds: 43_201 })).toEqual([
      "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ]);
  });

  it('reports problems inside list members with their AWS paths', () => {
    expect(assumeRole({ Tags: [{ Key: 'team', Value: 'ok' }, { Key: '' }] })).toEqual([
      "Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
      "Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
      "Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null",
    ]);
  });

  it('reports a list longer than the model allows', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(assumeRole({ Tags: tags })).toEqual(["Value '[51 items]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"]);
  });

  it('matches patterns with code points beyond the BMP (Java \\u10000 in the model)', () => {
    expect(assumeRole({ RoleArn: 'arn:aws:iam::222222222222:role/\u{1F600}-team' })).toEqual([]);
    expect(assumeRole({ RoleArn: 'arn:aws:iam::222222222222:role/\u0001' }).join()).toMatch(/Member must satisfy regular expression pattern/);
  });

  it('accepts Unicode letters in tag keys (\\p{L})', () => {
    expect(assumeRole({ Tags: [{ Key: 'équipe', Value: 'plateforme' }] })).toEqual([]);
  });
});

describe('validationMessage', () => {
  it('words one problem in the singular', () => {
    expect(validationMessage(['A'])).toBe('1 validation error detected: A');
  });

  it('words several problems in the plural, joined by "; "', () => {
    expect(validationMessage(['A', 'B'])).toBe('2 validation errors detected: A; B');
  });
});

describe('modelPatternToRegExp', () => {
  it('anchors the pattern to the whole value', () => {
    expect(modelPatternToRegExp('[\\d]*').test('123456')).toBe(true);
    expect(modelPatternToRegExp('[\\d]*').test('12345a')).toBe(false);
  });

  // federatedIdType's pattern is `[\w+=,.@\:-]*`: `\:` is a valid escape in Java but a syntax
  // error in a JavaScript regular expression with the `u` flag. Not reachable through the three
  // operations the emulator serves today (GetFederationToken output only), but the function
  // promises to turn the model's patterns into RegExps.
  it('compiles every pattern in the STS model', () => {
    const json = JSON.parse(readFileSync(new URL('../../sts-emulator/model/sts-2011-06-15.service.json', import.meta.url), 'utf8')) as {
      shapes: Record<string, { pattern?: string }>;
    };
    const failures: string[] = [];
    for (const [name, shape] of Object.entries(json.shapes)) {
      if (shape.pattern === undefined) continue;
      try {
        modelPatternToRegExp(shape.pattern);
      } catch (error) {
        failures.push(`${name} ${shape.pattern}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
