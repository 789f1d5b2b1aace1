import { describe, expect, it } from 'vitest';
import { encodeAnswer, encodeRequest, MAX_ANSWER_BODY, MAX_HEAD_BYTES, MAX_REQUEST_BODY, readAnswer, readRequest } from '../../../main/core/endpoint/app-channel-frames.js';

/** The app channel's wire format: what each end accepts as one request or one answer. */
const AUTHORIZATION = 'AAT-HMAC-SHA256 t=1800000000000,n=abcdefghijklmnopqrstuvwx,m=0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

describe('app channel frames', () => {
  it('a request reads back as written, from the whole bytes only', () => {
    const body = Buffer.from('{"profiles":["dev"]}');
    const bytes = encodeRequest({ method: 'POST', target: '/verify', authorization: AUTHORIZATION, body });
    expect(bytes.toString('latin1')).toBe(`aws-auth-tray/2 POST /verify ${AUTHORIZATION} ${body.length}\n{"profiles":["dev"]}`);
    for (let cut = 0; cut < bytes.length; cut += 1) expect(readRequest(bytes.subarray(0, cut)).state, `cut at ${cut}`).toBe('partial');
    expect(readRequest(bytes)).toEqual({ state: 'complete', frame: { method: 'POST', target: '/verify', authorization: AUTHORIZATION, body }, rest: 0 });
    expect(readRequest(Buffer.concat([bytes, Buffer.from('x')]))).toMatchObject({ state: 'complete', rest: 1 });
  });

  it('an answer reads back as written; while its body comes, the whole length is known', () => {
    const body = Buffer.from('{"message":"ok"}');
    const bytes = encodeAnswer({ status: 403, proof: 'proof-of-the-agent', body });
    const head = `aws-auth-tray/2 403 proof-of-the-agent ${body.length}\n`;
    expect(bytes.toString('latin1')).toBe(`${head}{"message":"ok"}`);
    expect(readAnswer(bytes.subarray(0, head.length + 2))).toEqual({ state: 'partial', total: bytes.length });
    expect(readAnswer(bytes)).toEqual({ state: 'complete', frame: { status: 403, proof: 'proof-of-the-agent', body }, rest: 0 });
  });

  it('HTTP, or anything else that is not this protocol, is said so from its first bytes', () => {
    expect(readAnswer(Buffer.from('HTTP/1.1 200 OK\r\n'))).toEqual({ state: 'invalid', reason: 'not-this-protocol' });
    expect(readRequest(Buffer.from('GET /profiles/dev HTTP/1.1\r\n'))).toEqual({ state: 'invalid', reason: 'not-this-protocol' });
    expect(readRequest(Buffer.from('aws-auth-tray/1 GET'))).toEqual({ state: 'invalid', reason: 'not-this-protocol' });
    expect(readRequest(Buffer.from('aws-auth'))).toEqual({ state: 'partial' });
  });

  it.each([
    ['a field too few', `aws-auth-tray/2 GET /profiles/dev t=1,n=2,m=3 0\n`],
    ['a field too many', `aws-auth-tray/2 GET /profiles/dev ${AUTHORIZATION} 0 0\n`],
    ['two spaces', `aws-auth-tray/2 GET  /profiles/dev ${AUTHORIZATION} 0\n`],
    ['a lower-case method', `aws-auth-tray/2 get /profiles/dev ${AUTHORIZATION} 0\n`],
    ['a target that is not a path', `aws-auth-tray/2 GET http://evil/profiles/dev ${AUTHORIZATION} 0\n`],
    ['a control character', `aws-auth-tray/2 GET /profiles/d\u001bv ${AUTHORIZATION} 0\n`],
    ['a carriage return', `aws-auth-tray/2 GET /profiles/dev ${AUTHORIZATION} 0\r\n`],
    ['a length with a sign', `aws-auth-tray/2 GET /profiles/dev ${AUTHORIZATION} +0\n`],
    ['a length with a leading zero', `aws-auth-tray/2 GET /profiles/dev ${AUTHORIZATION} 01\nx`],
    ['a non-ASCII byte', `aws-auth-tray/2 GET /profiles/d\u00e9v ${AUTHORIZATION} 0\n`],
  ])('a request with %s is malformed', (_name, text) => {
    expect(readRequest(Buffer.from(text, 'latin1'))).toEqual({ state: 'invalid', reason: 'malformed' });
  });

  it('limits: a head line without its end within 1 KiB is malformed; bodies over their limit are too large', () => {
    expect(readRequest(Buffer.from(`aws-auth-tray/2 GET /${'a'.repeat(MAX_HEAD_BYTES)}`))).toEqual({ state: 'invalid', reason: 'malformed' });
    expect(readRequest(Buffer.from(`aws-auth-tray/2 GET /x ${AUTHORIZATION} ${MAX_REQUEST_BODY + 1}\n`))).toEqual({ state: 'invalid', reason: 'too-large' });
    expect(readRequest(Buffer.from(`aws-auth-tray/2 GET /x ${AUTHORIZATION} ${MAX_REQUEST_BODY}\n`))).toMatchObject({ state: 'partial' });
    expect(readAnswer(Buffer.from(`aws-auth-tray/2 200 p ${MAX_ANSWER_BODY + 1}\n`))).toEqual({ state: 'invalid', reason: 'too-large' });
    expect(readAnswer(Buffer.from('aws-auth-tray/2 99 p 0\n'))).toEqual({ state: 'invalid', reason: 'malformed' });
    expect(readAnswer(Buffer.from('aws-auth-tray/2 200 p 9999999999\n'))).toEqual({ state: 'invalid', reason: 'malformed' });
  });

  it('the command line cannot write a request field with a space or a control character into the head line', () => {
    expect(() => encodeRequest({ method: 'GET', target: '/profiles/a b', authorization: AUTHORIZATION, body: Buffer.alloc(0) })).toThrow(/printable ASCII/);
    expect(() => encodeRequest({ method: 'GET', target: '/profiles/a\nb', authorization: AUTHORIZATION, body: Buffer.alloc(0) })).toThrow(/printable ASCII/);
  });
});
