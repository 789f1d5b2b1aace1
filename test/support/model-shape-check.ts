import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { loadStsModel, type StsModel } from '../sts-emulator/sts-model.js';

/**
 * An independent conformance checker for Query protocol responses (STS by default; IAM, or any
 * Query service, when given its model): it parses the XML with fast-xml-parser (not the
 * emulator's writer) and walks the operation's output shape in the service model, reporting
 * every element that is not a member, every required member that is missing, and every value
 * that breaks the model's constraints. Problems are human-readable strings; an empty list means
 * the document conforms.
 */

/** An element as the checker sees it: name, attributes, child elements and its own text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's text content (concatenated text nodes, entities decoded, untrimmed). */
  text: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

const TEXT_KEY = '#text';
const ATTRIBUTES_KEY = ':@';

function toElements(nodes: unknown): { elements: XmlElement[]; text: string } {
  const elements: XmlElement[] = [];
  let text = '';
  if (!Array.isArray(nodes)) return { elements, text };
  for (const node of nodes as OrderedNode[]) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ATTRIBUTES_KEY) continue;
      if (key === TEXT_KEY) {
        text += String(value);
        continue;
      }
      if (key.startsWith('?') || key.startsWith('!')) continue;
      const attributes: Record<string, string> = {};
      const rawAttributes = node[ATTRIBUTES_KEY];
      if (rawAttributes !== null && typeof rawAttributes === 'object') {
        for (const [name, attr] of Object.entries(rawAttributes as Record<string, unknown>)) attributes[name] = String(attr);
      }
      const inner = toElements(value);
      elements.push({ name: key, attributes, children: inner.elements, text: inner.text });
    }
  }
  return { elements, text };
}

/** Parse a document into its root element, or report why it is not well-formed XML. */
export function parseXmlDocument(xml: string): { root: XmlElement } | { problem: string } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { problem: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
  const { elements, text } = toElements(parser.parse(xml) as unknown);
  if (text.trim() !== '') return { problem: 'text outside the root element' };
  const [root, ...others] = elements;
  if (!root) return { problem: 'the document has no root element' };
  if (others.length > 0) return { problem: `more than one root element: ${elements.map((e) => e.name).join(', ')}` };
  return { root };
}

/**
 * A Java regular expression from the model as an anchored JavaScript one: `\u10000` (a code
 * point above the BMP, as the models write it) becomes `\u{10000}` under the `u` flag, and
 * escaped punctuation that Java allows but JavaScript's `u` mode does not (`\:`) becomes a
 * code point escape.
 */
export function javaPatternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c !== '\\' || i + 1 >= pattern.length) {
      source += c;
      continue;
    }
    const next = pattern.charAt(i + 1);
    const unicode = /^u([0-9A-Fa-f]{4,6})/.exec(pattern.slice(i + 1));
    if (unicode?.[1] !== undefined) {
      source += `\\u{${unicode[1]}}`;
      i += unicode[0].length;
    } else if (/[A-Za-z0-9\\]/.test(next)) {
      source += `\\${next}`;
      i += 1;
    } else {
      source += `\\u{${(next.codePointAt(0) ?? 0).toString(16)}}`;
      i += 1;
    }
  }
  return new RegExp(`^(?:${source})$`, 'u');
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with a zone (what the Query protocol writes for timestamps). */
export function isIso8601Timestamp(value: string): boolean {
  const m = ISO_8601.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return false;
  return !Number.isNaN(Date.parse(value));
}

function show(value: string): string {
  return value.length > 60 ? `'${value.slice(0, 57)}...'` : `'${value}'`;
}

function checkNoAttributes(element: XmlElement, path: string, problems: string[]): void {
  for (const name of Object.keys(element.attributes)) problems.push(`${path}: unexpected attribute ${name}`);
}

function checkScalarElement(element: XmlElement, path: string, problems: string[]): boolean {
  checkNoAttributes(element, path, problems);
  if (element.children.length > 0) {
    problems.push(`${path}: expected a value, found child elements ${element.children.map((c) => `<${c.name}>`).join(', ')}`);
    return false;
  }
  return true;
}

function checkValue(model: StsModel, shapeName: string, element: XmlElement, path: string, problems: string[]): void {
  const shape = model.shape(shapeName);
  switch (shape.type) {
    case 'structure': {
      checkNoAttributes(element, path, problems);
      if (element.text.trim() !== '') problems.push(`${path}: unexpected text ${show(element.text.trim())} in a structure`);
      const seen = new Set<string>();
      for (const child of element.children) {
        const childPath = `${path}/${child.name}`;
        const ref = Object.hasOwn(shape.members, child.name) ? shape.members[child.name] : undefined;
        if (!ref) {
          problems.push(`${childPath}: unknown element; ${shapeName} has members ${Object.keys(shape.members).join(', ') || '(none)'}`);
          continue;
        }
        if (seen.has(child.name)) problems.push(`${childPath}: member appears more than once`);
        seen.add(child.name);
        checkValue(model, ref.shape, child, childPath, problems);
      }
      for (const member of shape.required ?? []) {
        if (!seen.has(member)) problems.push(`${path}/${member}: required member of ${shapeName} is missing`);
      }
      return;
    }
    case 'list': {
      checkNoAttributes(element, path, problems);
      if (element.text.trim() !== '') problems.push(`${path}: unexpected text ${show(element.text.trim())} in a list`);
      element.children.forEach((child, i) => {
        const childPath = `${path}/${child.name}[${i + 1}]`;
        if (child.name !== 'member') problems.push(`${childPath}: list items must be <member> elements`);
        else checkValue(model, shape.member.shape, child, childPath, problems);
      });
      const count = element.children.length;
      if (shape.min !== undefined && count < shape.min) problems.push(`${path}: ${count} items, fewer than the minimum ${shape.min}`);
      if (shape.max !== undefined && count > shape.max) problems.push(`${path}: ${count} items, more than the maximum ${shape.max}`);
      return;
    }
    case 'string': {
      if (!checkScalarElement(element, path, problems)) return;
      const value = element.text;
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min) problems.push(`${path}: ${show(value)} is ${length} characters, shorter than the minimum ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) problems.push(`${path}: ${show(value)} is ${length} characters, longer than the maximum ${shape.max}`);
      if (shape.pattern !== undefined && !javaPatternToRegExp(shape.pattern).test(value)) {
        problems.push(`${path}: ${show(value)} does not match the pattern ${shape.pattern}`);
      }
      if (shape.enum !== undefined && !shape.enum.includes(value)) problems.push(`${path}: ${show(value)} is not one of ${shape.enum.join(', ')}`);
      return;
    }
    case 'map': {
      checkNoAttributes(element, path, problems);
      if (element.text.trim() !== '') problems.push(`${path}: unexpected text ${show(element.text.trim())} in a map`);
      element.children.forEach((child, i) => {
        const childPath = `${path}/${child.name}[${i + 1}]`;
        if (child.name !== 'entry') {
          problems.push(`${childPath}: map entries must be <entry> elements`);
          return;
        }
        const parts = expectOnly(child, childPath, ['key', 'value'], problems);
        const key = parts.get('key');
        const value = parts.get('value');
        if (!key) problems.push(`${childPath}/key: missing`);
        else checkValue(model, shape.key.shape, key, `${childPath}/key`, problems);
        if (!value) problems.push(`${childPath}/value: missing`);
        else checkValue(model, shape.value.shape, value, `${childPath}/value`, problems);
      });
      return;
    }
    case 'blob': {
      if (!checkScalarElement(element, path, problems)) return;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(element.text) || element.text.length % 4 !== 0) problems.push(`${path}: ${show(element.text)} is not base64`);
      return;
    }
    case 'integer':
    case 'long': {
      if (!checkScalarElement(element, path, problems)) return;
      const value = element.text;
      if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        problems.push(`${path}: ${show(value)} is not an integer`);
        return;
      }
      const n = Number(value);
      if (shape.min !== undefined && n < shape.min) problems.push(`${path}: ${n} is less than the minimum ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) problems.push(`${path}: ${n} is greater than the maximum ${shape.max}`);
      return;
    }
    case 'boolean': {
      if (!checkScalarElement(element, path, problems)) return;
      if (element.text !== 'true' && element.text !== 'false') problems.push(`${path}: ${show(element.text)} is not true or false`);
      return;
    }
    case 'timestamp': {
      if (!checkScalarElement(element, path, problems)) return;
      if (!isIso8601Timestamp(element.text)) problems.push(`${path}: ${show(element.text)} is not an ISO 8601 timestamp`);
      return;
    }
  }
}

function checkRequestId(element: XmlElement | undefined, path: string, problems: string[]): void {
  if (!element) {
    problems.push(`${path}: missing`);
    return;
  }
  if (checkScalarElement(element, path, problems) && element.text.trim() === '') problems.push(`${path}: empty`);
}

function expectOnly(parent: XmlElement, path: string, allowed: string[], problems: string[]): Map<string, XmlElement> {
  const found = new Map<string, XmlElement>();
  for (const child of parent.children) {
    if (!allowed.includes(child.name)) problems.push(`${path}/${child.name}: unknown element; expected only ${allowed.join(', ')}`);
    else if (found.has(child.name)) problems.push(`${path}/${child.name}: appears more than once`);
    else found.set(child.name, child);
  }
  if (parent.text.trim() !== '') problems.push(`${path}: unexpected text ${show(parent.text.trim())}`);
  return found;
}

/**
 * Checks a successful response to `operationName` against the model:
 * `<{Op}Response xmlns="...">` with `<{resultWrapper}>` (the output shape) and
 * `<ResponseMetadata><RequestId>`.
 */
export function checkOperationResponse(xml: string, operationName: string, model: StsModel = loadStsModel()): string[] {
  const operation = model.operation(operationName);
  if (!operation) return [`the ${model.endpointPrefix ?? 'service'} model has no operation ${operationName}`];
  const parsed = parseXmlDocument(xml);
  if ('problem' in parsed) return [parsed.problem];
  const { root } = parsed;
  const problems: string[] = [];
  const rootName = `${operationName}Response`;
  if (root.name !== rootName) {
    return [`the root element is <${root.name}>, expected <${rootName}>`];
  }
  const xmlns = root.attributes.xmlns;
  if (xmlns !== model.xmlNamespace) problems.push(`${rootName}: xmlns is ${xmlns === undefined ? 'missing' : show(xmlns)}, expected '${model.xmlNamespace}'`);
  for (const name of Object.keys(root.attributes)) if (name !== 'xmlns') problems.push(`${rootName}: unexpected attribute ${name}`);

  const wrapper = operation.output?.resultWrapper;
  const allowed = wrapper ? [wrapper, 'ResponseMetadata'] : ['ResponseMetadata'];
  const children = expectOnly(root, rootName, allowed, problems);

  if (wrapper && operation.output) {
    const result = children.get(wrapper);
    if (!result) problems.push(`${rootName}/${wrapper}: missing`);
    else checkValue(model, operation.output.shape, result, `${rootName}/${wrapper}`, problems);
  }

  const metadataPath = `${rootName}/ResponseMetadata`;
  const metadata = children.get('ResponseMetadata');
  if (!metadata) {
    problems.push(`${metadataPath}: missing`);
  } else {
    checkNoAttributes(metadata, metadataPath, problems);
    const inner = expectOnly(metadata, metadataPath, ['RequestId'], problems);
    checkRequestId(inner.get('RequestId'), `${metadataPath}/RequestId`, problems);
  }
  return problems;
}

export interface ErrorDocument {
  type: string | undefined;
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
}

/** The fields of an AWS error document, entities decoded; undefined where absent. */
export function parseErrorDocument(xml: string): ErrorDocument {
  const parsed = parseXmlDocument(xml);
  const empty: ErrorDocument = { type: undefined, code: undefined, message: undefined, requestId: undefined };
  if ('problem' in parsed || parsed.root.name !== 'ErrorResponse') return empty;
  const child = (parent: XmlElement | undefined, name: string): XmlElement | undefined => parent?.children.find((c) => c.name === name);
  const error = child(parsed.root, 'Error');
  return {
    type: child(error, 'Type')?.text,
    code: child(error, 'Code')?.text,
    message: child(error, 'Message')?.text,
    requestId: child(parsed.root, 'RequestId')?.text,
  };
}

/**
 * Checks an AWS Query protocol error document:
 * `<ErrorResponse xmlns="..."><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`,
 * with Type `Sender` or `Receiver`.
 */
export function checkErrorDocument(xml: string, model: StsModel = loadStsModel()): string[] {
  const parsed = parseXmlDocument(xml);
  if ('problem' in parsed) return [parsed.problem];
  const { root } = parsed;
  if (root.name !== 'ErrorResponse') return [`the root element is <${root.name}>, expected <ErrorResponse>`];
  const problems: string[] = [];
  const xmlns = root.attributes.xmlns;
  if (xmlns !== model.xmlNamespace) problems.push(`ErrorResponse: xmlns is ${xmlns === undefined ? 'missing' : show(xmlns)}, expected '${model.xmlNamespace}'`);
  for (const name of Object.keys(root.attributes)) if (name !== 'xmlns') problems.push(`ErrorResponse: unexpected attribute ${name}`);

  const children = expectOnly(root, 'ErrorResponse', ['Error', 'RequestId'], problems);
  checkRequestId(children.get('RequestId'), 'ErrorResponse/RequestId', problems);

  const error = children.get('Error');
  if (!error) {
    problems.push('ErrorResponse/Error: missing');
    return problems;
  }
  checkNoAttributes(error, 'ErrorResponse/Error', problems);
  const fields = expectOnly(error, 'ErrorResponse/Error', ['Type', 'Code', 'Message'], problems);
  for (const name of ['Type', 'Code', 'Message']) {
    const path = `ErrorResponse/Error/${name}`;
    const field = fields.get(name);
    if (!field) problems.push(`${path}: missing`);
    else if (checkScalarElement(field, path, problems) && field.text.trim() === '') problems.push(`${path}: empty`);
  }
  const type = fields.get('Type')?.text;
  if (type !== undefined && type !== 'Sender' && type !== 'Receiver') problems.push(`ErrorResponse/Error/Type: ${show(type)} is neither Sender nor Receiver`);
  const code = fields.get('Code')?.text;
  if (code !== undefined && code !== '' && !/^[A-Za-z][A-Za-z0-9.]*$/.test(code)) problems.push(`ErrorResponse/Error/Code: ${show(code)} is not an error code`);
  return problems;
}
