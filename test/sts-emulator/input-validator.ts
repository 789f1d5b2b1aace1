import { memberPath, type InputObject, type InputValue } from './query-input.js';
import { modelPatternToRegExp, type ServiceModel } from './service-model.js';

/**
 * Checks decoded parameters against the model's constraints (required members, string length
 * and pattern, integer range, list and map length), for any Query protocol service (STS, IAM),
 * and words each violation as AWS does:
 * `Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must ...`.
 */
export function validateInput(model: ServiceModel, shapeName: string, input: InputObject): string[] {
  const problems: string[] = [];
  const fail = (value: InputValue | null, path: string, constraint: string): void => {
    const shown =
      value === null ? 'null' : typeof value === 'object' ? `'[${Array.isArray(value) ? value.length : Object.keys(value).length} items]'` : `'${value}'`;
    problems.push(`Value ${shown} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  };

  const check = (shape: string, value: InputValue, path: string): void => {
    const def = model.shape(shape);
    switch (def.type) {
      case 'structure': {
        if (typeof value !== 'object' || Array.isArray(value)) return;
        for (const [member, ref] of Object.entries(def.members)) {
          const memberValue = value[member];
          const path_ = memberPath(path, member);
          if (memberValue === undefined) {
            if (def.required?.includes(member)) fail(null, path_, 'not be null');
          } else {
            check(ref.shape, memberValue, path_);
          }
        }
        return;
      }
      case 'list': {
        if (!Array.isArray(value)) return;
        if (def.min !== undefined && value.length < def.min) fail(value, path, `have length greater than or equal to ${def.min}`);
        if (def.max !== undefined && value.length > def.max) fail(value, path, `have length less than or equal to ${def.max}`);
        value.forEach((item, i) => check(def.member.shape, item, `${path}.${i + 1}.member`));
        return;
      }
      case 'string': {
        if (typeof value !== 'string') return;
        const length = [...value].length;
        if (def.min !== undefined && length < def.min) fail(value, path, `have length greater than or equal to ${def.min}`);
        if (def.max !== undefined && length > def.max) fail(value, path, `have length less than or equal to ${def.max}`);
        if (def.pattern !== undefined && !modelPatternToRegExp(def.pattern).test(value)) {
          fail(value, path, `satisfy regular expression pattern: ${def.pattern}`);
        }
        if (def.enum !== undefined && !def.enum.includes(value)) fail(value, path, `satisfy enum value set: [${def.enum.join(', ')}]`);
        return;
      }
      case 'map': {
        if (typeof value !== 'object' || Array.isArray(value)) return;
        const count = Object.keys(value).length;
        if (def.min !== undefined && count < def.min) fail(value, path, `have length greater than or equal to ${def.min}`);
        if (def.max !== undefined && count > def.max) fail(value, path, `have length less than or equal to ${def.max}`);
        for (const [key, item] of Object.entries(value)) check(def.value.shape, item, `${path}.${key}`);
        return;
      }
      case 'integer':
      case 'long': {
        if (typeof value !== 'number') return;
        if (def.min !== undefined && value < def.min) fail(value, path, `have value greater than or equal to ${def.min}`);
        if (def.max !== undefined && value > def.max) fail(value, path, `have value less than or equal to ${def.max}`);
        return;
      }
      case 'boolean':
      case 'timestamp':
      case 'blob':
        return;
    }
  };

  check(shapeName, input, '');
  return problems;
}

/** AWS's envelope for a list of violations: "2 validation errors detected: ...; ...". */
export function validationMessage(problems: string[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
}
