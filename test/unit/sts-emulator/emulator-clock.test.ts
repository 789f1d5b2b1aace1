import { describe, expect, it } from 'vitest';
import { EmulatorClock } from '../../sts-emulator/emulator-clock.js';

const START = Date.UTC(2026, 10, 26, 15, 0, 0);

/** A clock on a fake wall clock that the test moves by hand. */
function fakeClock(): { clock: EmulatorClock; wall: { t: number } } {
  const wall = { t: START };
  return { clock: new EmulatorClock(() => wall.t), wall };
}

describe('EmulatorClock', () => {
  it('follows the wall clock by default', () => {
    const { clock, wall } = fakeClock();
    expect(clock.now().getTime()).toBe(START);
    expect(clock.signatureNow().getTime()).toBe(START);
    wall.t += 1_234;
    expect(clock.now().getTime()).toBe(START + 1_234);
    expect(clock.signatureNow().getTime()).toBe(START + 1_234);
  });

  it('setOffset moves both now() and signatureNow()', () => {
    const { clock } = fakeClock();
    clock.setOffset(10 * 60_000);
    expect(clock.offsetMs).toBe(600_000);
    expect(clock.now().getTime()).toBe(START + 600_000);
    expect(clock.signatureNow().getTime()).toBe(START + 600_000);
    clock.setOffset(-60_000);
    expect(clock.now().getTime()).toBe(START - 60_000);
    expect(clock.signatureNow().getTime()).toBe(START - 60_000);
  });

  it('advance moves only now(), not signatureNow()', () => {
    const { clock } = fakeClock();
    clock.advance(3_600_000);
    expect(clock.now().getTime()).toBe(START + 3_600_000);
    expect(clock.signatureNow().getTime()).toBe(START);
    clock.advance(1);
    expect(clock.now().getTime()).toBe(START + 3_600_001);
  });

  it('advance refuses to move backwards', () => {
    const { clock } = fakeClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.setOffset(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(clock.now().getTime()).toBe(START);
    expect(() => clock.advance(0)).not.toThrow();
  });

  it('freeze stops now() while signatureNow() keeps following the wall clock', () => {
    const { clock, wall } = fakeClock();
    clock.freeze();
    wall.t += 45_000;
    expect(clock.now().getTime()).toBe(START);
    expect(clock.signatureNow().getTime()).toBe(START + 45_000);
    expect(clock.state().frozen).toBe(true);
  });

  it('freezing twice keeps the first frozen instant', () => {
    const { clock, wall } = fakeClock();
    clock.freeze();
    wall.t += 10_000;
    clock.freeze();
    expect(clock.now().getTime()).toBe(START);
  });

  it('advance still moves a frozen clock', () => {
    const { clock, wall } = fakeClock();
    clock.freeze();
    wall.t += 5_000;
    clock.advance(30_000);
    expect(clock.now().getTime()).toBe(START + 30_000);
  });

  it('unfreeze continues from the frozen time, not from the wall clock', () => {
    const { clock, wall } = fakeClock();
    clock.freeze();
    clock.advance(1_000);
    wall.t += 60_000;
    clock.unfreeze();
    expect(clock.now().getTime()).toBe(START + 1_000);
    expect(clock.state().frozen).toBe(false);
    wall.t += 5_000;
    expect(clock.now().getTime()).toBe(START + 6_000);
    expect(clock.signatureNow().getTime()).toBe(START + 65_000);
  });

  it('unfreeze on a running clock changes nothing', () => {
    const { clock, wall } = fakeClock();
    clock.unfreeze();
    wall.t += 2_000;
    expect(clock.now().getTime()).toBe(START + 2_000);
  });

  it('reset forgets offset, advance and freeze', () => {
    const { clock, wall } = fakeClock();
    clock.setOffset(1_000);
    clock.advance(2_000);
    clock.freeze();
    wall.t += 3_000;
    clock.reset();
    expect(clock.state()).toEqual({
      now: new Date(START + 3_000).toISOString(),
      signatureNow: new Date(START + 3_000).toISOString(),
      offsetMs: 0,
      advancedMs: 0,
      frozen: false,
    });
  });

  it('reports its state', () => {
    const { clock } = fakeClock();
    clock.setOffset(500);
    clock.advance(1_500);
    expect(clock.state()).toEqual({
      now: new Date(START + 2_000).toISOString(),
      signatureNow: new Date(START + 500).toISOString(),
      offsetMs: 500,
      advancedMs: 1_500,
      frozen: false,
    });
  });
});
