import type { QueryError } from './query-errors.js';
import type { ServiceModel } from './service-model.js';

/**
 * Writes Query protocol responses (STS, IAM): `<{Op}Response><{Op}Result>` with the members of
 * the operation's output shape in model order, and `ResponseMetadata/RequestId` (an operation
 * without output, such as IAM's DeleteAccessKey, has only the metadata); and AWS's error
 * document `ErrorResponse/Error/{Type,Code,Message}` with `RequestId`, in the service's namespace.
 */
export type OutputValue = string | number | boolean | Date | OutputValue[] | { [member: string]: OutputValue | undefined };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' } as const)[c as '&']};`);
}

/** ISO 8601 to the second, as STS writes `Expiration`. */
export function xmlTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Structures, lists and maps are written as blocks of child elements; scalars inline. */
function isBlock(model: ServiceModel, shape: string): boolean {
  const type = model.shape(shape).type;
  return type === 'structure' || type === 'list' || type === 'map';
}

/** `<name>value</name>` for a scalar; for a block, its children on their own lines (or `<name/>` when it has none). */
function element(model: ServiceModel, name: string, shape: string, value: OutputValue, indent: string): string {
  const inner = writeValue(model, shape, value, `${indent}  `);
  if (!isBlock(model, shape)) return `${indent}<${name}>${inner}</${name}>`;
  return inner === '' ? `${indent}<${name}/>` : `${indent}<${name}>\n${inner}\n${indent}</${name}>`;
}

function writeValue(model: ServiceModel, shape: string, value: OutputValue, indent: string): string {
  const def = model.shape(shape);
  switch (def.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
        throw new TypeError(`Shape ${shape} expects an object`);
      }
      const lines: string[] = [];
      for (const [member, ref] of Object.entries(def.members)) {
        const memberValue = value[member];
        if (memberValue !== undefined) lines.push(element(model, member, ref.shape, memberValue, indent));
      }
      return lines.join('\n');
    }
    case 'list': {
      if (!Array.isArray(value)) throw new TypeError(`Shape ${shape} expects an array`);
      return value.map((item) => element(model, 'member', def.member.shape, item, indent)).join('\n');
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) throw new TypeError(`Shape ${shape} expects an object`);
      return Object.entries(value)
        .filter((entry): entry is [string, OutputValue] => entry[1] !== undefined)
        .map(([key, item]) => {
          const keyXml = element(model, 'key', def.key.shape, key, `${indent}  `);
          return `${indent}<entry>\n${keyXml}\n${element(model, 'value', def.value.shape, item, `${indent}  `)}\n${indent}</entry>`;
        })
        .join('\n');
    }
    case 'timestamp':
      if (!(value instanceof Date)) throw new TypeError(`Shape ${shape} expects a Date`);
      return xmlTimestamp(value);
    case 'string':
    case 'integer':
    case 'long':
    case 'boolean':
    case 'blob':
      if (typeof value === 'object') throw new TypeError(`Shape ${shape} expects a scalar`);
      return escapeXml(String(value));
  }
}

export function successXml(model: ServiceModel, operationName: string, result: { [member: string]: OutputValue | undefined }, requestId: string): string {
  const operation = model.operation(operationName);
  if (!operation) throw new Error(`The ${model.endpointPrefix ?? 'service'} model has no output for ${operationName}: it has no such operation`);
  const lines = [`<${operationName}Response xmlns="${model.xmlNamespace}">`];
  if (operation.output) {
    const wrapper = operation.output.resultWrapper ?? `${operationName}Result`;
    const body = writeValue(model, operation.output.shape, result, '    ');
    lines.push(body ? `  <${wrapper}>\n${body}\n  </${wrapper}>` : `  <${wrapper}/>`);
  } else if (Object.values(result).some((value) => value !== undefined)) {
    throw new Error(`${operationName} has no output in the model, yet its handler returned members`);
  }
  return [
    ...lines,
    '  <ResponseMetadata>',
    `    <RequestId>${escapeXml(requestId)}</RequestId>`,
    '  </ResponseMetadata>',
    `</${operationName}Response>`,
    '',
  ].join('\n');
}

export function errorXml(model: ServiceModel, error: QueryError, requestId: string): string {
  return [
    `<ErrorResponse xmlns="${model.xmlNamespace}">`,
    '  <Error>',
    `    <Type>${error.type}</Type>`,
    `    <Code>${escapeXml(error.code)}</Code>`,
    `    <Message>${escapeXml(error.message)}</Message>`,
    '  </Error>',
    `  <RequestId>${escapeXml(requestId)}</RequestId>`,
    '</ErrorResponse>',
    '',
  ].join('\n');
}
