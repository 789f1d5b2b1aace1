import type { StsError } from './sts-errors.js';
import type { StsModel } from './sts-model.js';

/**
 * Writes STS Query protocol responses: `<{Op}Response><{Op}Result>` with the members of the
 * operation's output shape in model order, and `ResponseMetadata/RequestId`; and AWS's error
 * document `ErrorResponse/Error/{Type,Code,Message}` with `RequestId`.
 */
export type OutputValue = string | number | boolean | Date | OutputValue[] | { [member: string]: OutputValue | undefined };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' } as const)[c as '&']};`);
}

/** ISO 8601 to the second, as STS writes `Expiration`. */
export function xmlTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function writeValue(model: StsModel, shape: string, value: OutputValue, indent: string): string {
  const def = model.shape(shape);
  switch (def.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
        throw new TypeError(`Shape ${shape} expects an object`);
      }
      const lines: string[] = [];
      for (const [member, ref] of Object.entries(def.members)) {
        const memberValue = value[member];
        if (memberValue === undefined) continue;
        const inner = writeValue(model, ref.shape, memberValue, `${indent}  `);
        lines.push(inner.includes('\n') ? `${indent}<${member}>\n${inner}\n${indent}</${member}>` : `${indent}<${member}>${inner}</${member}>`);
      }
      return lines.join('\n');
    }
    case 'list': {
      if (!Array.isArray(value)) throw new TypeError(`Shape ${shape} expects an array`);
      return value
        .map((item) => {
          const inner = writeValue(model, def.member.shape, item, `${indent}  `);
          return inner.includes('\n') ? `${indent}<member>\n${inner}\n${indent}</member>` : `${indent}<member>${inner}</member>`;
        })
        .join('\n');
    }
    case 'timestamp':
      if (!(value instanceof Date)) throw new TypeError(`Shape ${shape} expects a Date`);
      return xmlTimestamp(value);
    case 'string':
    case 'integer':
    case 'boolean':
      if (typeof value === 'object') throw new TypeError(`Shape ${shape} expects a scalar`);
      return escapeXml(String(value));
  }
}

export function successXml(model: StsModel, operationName: string, result: { [member: string]: OutputValue | undefined }, requestId: string): string {
  const operation = model.operation(operationName);
  if (!operation?.output) throw new Error(`The STS model has no output for ${operationName}`);
  const wrapper = operation.output.resultWrapper ?? `${operationName}Result`;
  const body = writeValue(model, operation.output.shape, result, '    ');
  return [
    `<${operationName}Response xmlns="${model.xmlNamespace}">`,
    body ? `  <${wrapper}>\n${body}\n  </${wrapper}>` : `  <${wrapper}/>`,
    '  <ResponseMetadata>',
    `    <RequestId>${escapeXml(requestId)}</RequestId>`,
    '  </ResponseMetadata>',
    `</${operationName}Response>`,
    '',
  ].join('\n');
}

export function errorXml(model: StsModel, error: StsError, requestId: string): string {
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
