/** Where the core reads the time; tests pass the STS emulator's clock so both agree. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
