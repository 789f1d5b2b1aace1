export { StsEmulator, startStsEmulator, type StsEmulatorOptions, type MfaCodeReading } from './sts-emulator.js';
export { EmulatorClock, type ClockState } from './emulator-clock.js';
export { loadFixtureFile, parseFixture, FixtureError, type Fixture, type FixtureUser, type FixtureRole } from './fixture.js';
export type { AccessKeyRecord, AccessKeyStatus, AccessKeyUse } from './iam-directory.js';
export { totpCode, TOTP_PERIOD_SECONDS } from './mfa-verifier.js';
export type { FaultKind, FaultRequest } from './fault-injector.js';
export type { RequestLogEntry, RequestLogFilter } from './request-log.js';
export type { ServiceName } from './query-services.js';
