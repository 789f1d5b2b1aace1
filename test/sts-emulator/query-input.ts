import type { ServiceModel } from './service-model.js';

/**
 * Decodes AWS Query protocol parameters (`Name=value`, lists as `Name.member.N`, structures in
 * lists as `Name.member.N.Field`, maps as `Name.entry.N.key` / `.value`) into a plain object
 * shaped by the operation's input shape, for any Query protocol service (STS, IAM).
 * Values that cannot be decoded (an integer that is not one) are reported, in the same wording as
 * the constraint checks, instead of being dropped.
 */
export type InputValue = string | number | InputValue[] | { [member: string]: InputValue };
export type InputObject = { [member: string]: InputValue };

export interface DecodedInput {
  input: InputObject;
  problems: string[];
}

/** `DurationSeconds` -> `durationSeconds`, the spelling AWS uses in validation messages. */
export function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

export function decodeQueryInput(model: ServiceModel, shapeName: string, params: URLSearchParams): DecodedInput {
  const problems: string[] = [];
  const keys = [...params.keys()];

  const decodeValue = (shape: string, key: string, path: string): InputValue | undefined => {
    const def = model.shape(shape);
    switch (def.type) {
      case 'structure': {
        const out: InputObject = {};
        for (const [member, ref] of Object.entries(def.members)) {
          const value = decodeValue(ref.shape, key === '' ? member : `${key}.${member}`, memberPath(path, member));
          if (value !== undefined) out[member] = value;
        }
        return Object.keys(out).length > 0 || key === '' ? out : undefined;
      }
      case 'list': {
        const items: InputValue[] = [];
        for (let i = 1; ; i += 1) {
          const itemKey = `${key}.member.${i}`;
          const present = keys.some((k) => k === itemKey || k.startsWith(`${itemKey}.`));
          if (!present) break;
          const item = decodeValue(def.member.shape, itemKey, `${path}.${i}.member`);
          if (item !== undefined) items.push(item);
        }
        return items.length > 0 ? items : undefined;
      }
      case 'map': {
        const entries: InputObject = {};
        for (let i = 1; ; i += 1) {
          const entryKey = `${key}.entry.${i}`;
          const name = params.get(`${entryKey}.key`);
          if (name === null) break;
          const value = decodeValue(def.value.shape, `${entryKey}.value`, `${path}.${i}.value`);
          if (value !== undefined) entries[name] = value;
        }
        return Object.keys(entries).length > 0 ? entries : undefined;
      }
      case 'integer':
      case 'long': {
        const raw = params.get(key);
        if (raw === null) return undefined;
        if (!/^-?\d{1,15}$/.test(raw)) {
          problems.push(`Value '${raw}' at '${path}' failed to satisfy constraint: Member must be an integer`);
          return undefined;
        }
        return Number.parseInt(raw, 10);
      }
      case 'string':
      case 'boolean':
      case 'timestamp':
      case 'blob': {
        const raw = params.get(key);
        return raw === null ? undefined : raw;
      }
    }
  };

  const input = decodeValue(shapeName, '', '');
  return { input: (input ?? {}) as InputObject, problems };
}
