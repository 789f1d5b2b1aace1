import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChannelRequestVerifier, mac, MAX_SKEW_MS, signRequest, signResponse, verifyResponse } from '../../../main/core/endpoint/app-channel-auth.js';
import { randomBytesOfTheSystem } from '../../../main/core/endpoint/system-random.js';

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

  it("signs with HMAC-SHA256 exactly as node:crypto computes it (the fast path's pure-JavaScript hashes)", () => {
    for (const [token, text] of [
      [TOKEN, 'aws-auth-tray app channel v1 request\nGET\n/profiles/dev'],
      ['k', ''],
      ['ü-token-with-unicode', 'a'.repeat(10_000)],
      ['x'.repeat(200), 'longer than one SHA-256 block: a key longer than 64 bytes is hashed first'],
    ] as const) {
      expect(mac(token, text)).toBe(createHmac('sha256', token).update(text).digest('base64url'));
    }
    // The answer's proof covers the body's SHA-256 the same way.
    const body = JSON.stringify({ AccessKeyId: 'ASIA', big: 'y'.repeat(70_000) });
    const digest = createHash('sha256').update(body).digest('base64url');
    expect(signResponse(TOKEN, 'nonce', 200, body)).toBe(createHmac('sha256', TOKEN).update(['aws-auth-tray app channel v1 response', 'nonce', '200', digest].join('\n')).digest('base64url'));
  });

  it('nonces come from the system generator: the right size, never repeated', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      const bytes = randomBytesOfTheSystem(18);
      expect(bytes.byteLength).toBe(18);
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    expect(seen.size).toBe(1000);
    expect(new Set(Array.from({ length: 50 }, () => signRequest(TOKEN, request).nonce)).size).toBe(50);
  });
});
