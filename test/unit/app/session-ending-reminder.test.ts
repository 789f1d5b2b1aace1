import { describe, expect, it } from 'vitest';
import { nextToRemind, reminderKey, reminderText, type EndingSession } from '../../../main/app-services/session-ending-reminder.js';

/** Which MFA session the reminder is for, and what it says. */
const NOW = Date.UTC(2026, 11, 2, 9, 0);
const session = (identityId: string, minutesLeft: number, issuedAt = '2026-12-02T08:00:00Z'): EndingSession => ({
  identityId,
  identityLabel: identityId,
  endsAt: NOW + minutesLeft * 60_000,
  issuedAt,
});

describe('the session-ending reminder', () => {
  it('reminds of the session that ends first', () => {
    expect(nextToRemind([session('work', 90), session('client', 30)], NOW, new Set())?.identityId).toBe('client');
  });

  it('skips a session already reminded of, and one that has ended', () => {
    const reminded = new Set([reminderKey(session('client', 30))]);
    expect(nextToRemind([session('work', 90), session('client', 30), session('old', -5)], NOW, reminded)?.identityId).toBe('work');
    expect(nextToRemind([session('old', -5)], NOW, new Set())).toBeUndefined();
  });

  it('a new sign-in of the same identity is a new session to remind of', () => {
    const reminded = new Set([reminderKey(session('work', 30))]);
    expect(nextToRemind([session('work', 720, '2026-12-02T09:00:00Z')], NOW, reminded)?.issuedAt).toBe('2026-12-02T09:00:00Z');
  });

  it('says when, in clock time and minutes, and what a click does', () => {
    expect(reminderText(session('security', 10), NOW, () => '09:10')).toEqual({
      title: 'MFA session ends in 10 min',
      body: "security's MFA session ends at 09:10. Click to renew it now with one MFA code; your terminals keep working.",
    });
  });
});
