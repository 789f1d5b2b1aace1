import { describe, expect, it } from 'vitest';
import { ChannelRequestVerifier, MAX_SKEW_MS, signRequest, signResponse, verifyResponse } from '../../../main/core/endpoint/app-channel-auth.js';

/** Both ends of the app channel prove they hold the token, and the token never crosses it. */
const TOKEN = 'channel-token-0123456789abcdefghijklmnopqrstuv';
const request = { method: 'GET', path: '/profiles/dev', body: '' };

describe('app channel authentication', () => {
  it('a signed request is accepted once; the token itself is not in it', () => {
    const now = 1_800_000_000_000;
    const verifier = new ChannelRequestVerifier(() => TOKEN, () => now);
    const { authorization, nonce } = signRequest(TOKEN, request, now);
    expect(authorization).not.toContain(TOKEN);
    expect(verifier.verify(authorization, request)).toBe(nonce);
    // replayed: refused
    expect(verifier.verify(authorization, request)).toBeUndefined();
  });

  it('a request signed with another token, for another path or body, or too old, is refused', () => {
    const now = 1_800_000_000_000;
    const verifier = new ChannelRequestVerifier(() => TOKEN, () => now);
    expect(verifier.verify(signRequest('an-impostors-guess', request, now).authorization, request)).toBeUndefined();
    expect(verifier.verify(signRequest(TOKEN, request, now).authorization, { ...request, path: '/profiles/prod' })).toBeUndefined();
    expect(verifier.verify(signRequest(TOKEN, { ...request, method: 'POST', body: '{}' }, now).authorization, { ...request, method: 'POST', body: '{"profiles":["prod"]}' })).toBeUndefined();
    expect(verifier.verify(signRequest(TOKEN, request, now - MAX_SKEW_MS - 1).authorization, request)).toBeUndefined();
    expect(verifier.verify(`Bearer ${TOKEN}`, request)).toBeUndefined();
    expect(verifier.verify(undefined, request)).toBeUndefined();
  });

  it('nonces are forgotten once too old to be accepted anyway', () => {
    let now = 1_800_000_000_000;
    const verifier = new ChannelRequestVerifier(() => TOKEN, () => now);
    for (let i = 0; i < 100; i += 1) expect(verifier.verify(signRequest(TOKEN, request, now).authorization, request)).toBeDefined();
    now += 3 * MAX_SKEW_MS;
    const fresh = signRequest(TOKEN, request, now);
    expect(verifier.verify(fresh.authorization, request)).toBe(fresh.nonce);
    expect((verifier as unknown as { seen: Map<string, number> }).seen.size).toBe(1);
  });

  it("an answer is believed only with the app's proof for this request's nonce, status and body", () => {
    const body = '{"AccessKeyId":"ASIA..."}';
    const proof = signResponse(TOKEN, 'nonce-1', 200, body);
    expect(verifyResponse(TOKEN, 'nonce-1', 200, body, proof)).toBe(true);
    expect(verifyResponse(TOKEN, 'nonce-2', 200, body, proof)).toBe(false);
    expect(verifyResponse(TOKEN, 'nonce-1', 404, body, proof)).toBe(false);
    expect(verifyResponse(TOKEN, 'nonce-1', 200, `${body} `, proof)).toBe(false);
    expect(verifyResponse(TOKEN, 'nonce-1', 200, body, undefined)).toBe(false);
    expect(verifyResponse('another-token', 'nonce-1', 200, body, proof)).toBe(false);
  });
});
