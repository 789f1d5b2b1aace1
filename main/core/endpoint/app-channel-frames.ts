/**
 * The app channel's wire format: one request and one answer per connection, each a line of
 * ASCII fields and then a body of the length the line gives. Both ends are AWS Auth Tray, so the
 * channel does not speak HTTP: the command line asks on every AWS CLI call (credential_process),
 * and loading Node.js's HTTP client and parser cost a third of such a call (`npm run bench`).
 *
 *     request:  aws-auth-tray/2 <METHOD> <target> AAT-HMAC-SHA256 <t=…,n=…,m=…> <length>\n<body>
 *     answer:   aws-auth-tray/2 <status> <proof> <length>\n<body>
 *
 * The request's authorization and the answer's proof are those of app-channel-auth.ts (an HMAC
 * under the channel token over the method, target, body, time and nonce; the answer's over the
 * request's nonce, the status and the body). The body is JSON. Nothing is believed before it is
 * checked: a line that is not exactly this shape, a length over the limit or a body cut short is
 * refused by either end, and the command line shows nothing of an answer without a valid proof.
 */
export const CHANNEL_PROTOCOL = 'aws-auth-tray/2';
/** The longest head line either end accepts (a profile name is at most 64 characters). */
export const MAX_HEAD_BYTES = 1024;
/** The largest request body the agent reads (`verify`'s list of profiles). */
export const MAX_REQUEST_BODY = 64 * 1024;
/** The largest answer the command line reads (a verification report of many accounts). */
export const MAX_ANSWER_BODY = 16 * 1024 * 1024;
/** The proof field of an answer the agent could not sign (the request was not genuine). */
export const UNSIGNED = '-';

const NEWLINE = 0x0a;
/** A field: printable ASCII without spaces. */
const FIELD = /^[\x21-\x7e]+$/;
const LENGTH = /^(0|[1-9]\d{0,8})$/;

export interface ChannelRequestFrame {
  method: string;
  target: string;
  authorization: string;
  body: Buffer;
}

export interface ChannelAnswerFrame {
  status: number;
  proof: string;
  body: Buffer;
}

/** Bytes read so far: complete, still coming, or not this protocol (with why, for a sentence). */
export type FrameReading<T> = { state: 'complete'; frame: T; rest: number } | Partial | { state: 'invalid'; reason: FrameProblem };
/** Not complete yet; `total`, once the head line is read, is how many bytes the whole frame has. */
type Partial = { state: 'partial'; total?: number };
export type FrameProblem = 'not-this-protocol' | 'malformed' | 'too-large';

export function encodeRequest({ method, target, authorization, body }: ChannelRequestFrame): Buffer {
  const fields = [CHANNEL_PROTOCOL, method, target, ...authorization.split(' '), String(body.length)];
  if (fields.length !== 6 || !fields.every((f) => FIELD.test(f))) throw new Error('A request field of the app channel is not printable ASCII without spaces');
  return Buffer.concat([Buffer.from(`${fields.join(' ')}\n`, 'latin1'), body]);
}

export function encodeAnswer({ status, proof, body }: ChannelAnswerFrame): Buffer {
  return Buffer.concat([Buffer.from(`${CHANNEL_PROTOCOL} ${status} ${proof} ${body.length}\n`, 'latin1'), body]);
}

/** The head line's fields once it is complete; `partial` while no newline came within the limit. */
function readHead(data: Buffer, fieldCount: number): { fields: string[]; bodyStart: number } | Partial | { state: 'invalid'; reason: FrameProblem } {
  const prefix = `${CHANNEL_PROTOCOL} `;
  // Say early when the other end speaks something else (HTTP from an older AWS Auth Tray, another program).
  const seen = data.subarray(0, prefix.length).toString('latin1');
  if (!prefix.startsWith(seen)) return { state: 'invalid', reason: 'not-this-protocol' };
  const end = data.subarray(0, MAX_HEAD_BYTES + 1).indexOf(NEWLINE);
  if (end < 0) return data.length > MAX_HEAD_BYTES ? { state: 'invalid', reason: 'malformed' } : { state: 'partial' };
  const fields = data.subarray(0, end).toString('latin1').split(' ');
  if (fields.length !== fieldCount || !fields.every((f) => FIELD.test(f))) return { state: 'invalid', reason: 'malformed' };
  return { fields, bodyStart: end + 1 };
}

function readBody(data: Buffer, bodyStart: number, lengthField: string, max: number): { body: Buffer; rest: number } | Partial | { state: 'invalid'; reason: FrameProblem } {
  if (!LENGTH.test(lengthField)) return { state: 'invalid', reason: 'malformed' };
  const length = Number(lengthField);
  if (length > max) return { state: 'invalid', reason: 'too-large' };
  if (data.length < bodyStart + length) return { state: 'partial', total: bodyStart + length };
  return { body: data.subarray(bodyStart, bodyStart + length), rest: data.length - bodyStart - length };
}

/** The agent's reading of what a client sent so far. */
export function readRequest(data: Buffer): FrameReading<ChannelRequestFrame> {
  const head = readHead(data, 6);
  if ('state' in head) return head;
  const [, method = '', target = '', scheme = '', fields = '', length = ''] = head.fields;
  if (!/^[A-Z]{1,10}$/.test(method) || !target.startsWith('/')) return { state: 'invalid', reason: 'malformed' };
  const body = readBody(data, head.bodyStart, length, MAX_REQUEST_BODY);
  if ('state' in body) return body;
  return { state: 'complete', frame: { method, target, authorization: `${scheme} ${fields}`, body: body.body }, rest: body.rest };
}

/** The command line's reading of what the agent answered so far. */
export function readAnswer(data: Buffer): FrameReading<ChannelAnswerFrame> {
  const head = readHead(data, 4);
  if ('state' in head) return head;
  const [, status = '', proof = '', length = ''] = head.fields;
  if (!/^[1-5]\d\d$/.test(status)) return { state: 'invalid', reason: 'malformed' };
  const body = readBody(data, head.bodyStart, length, MAX_ANSWER_BODY);
  if ('state' in body) return body;
  return { state: 'complete', frame: { status: Number(status), proof, body: body.body }, rest: body.rest };
}
