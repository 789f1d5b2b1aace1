import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { FAULT_KINDS } from './fault-injector.js';
import type { StsEmulator } from './sts-emulator.js';
import { readBody } from './query-protocol.js';

/**
 * The emulator's control surface over HTTP, under a path no STS client ever calls
 * (`/__emulator/`), so tests in another process (and the demo) can drive it. JSON in, JSON out.
 * Requests from a browser (any `Origin` header) are refused.
 *
 *   GET    /__emulator/state                  clock, latency, key propagation delay, pending faults
 *   GET    /__emulator/requests[?service=&action=&outcome=]   request log; DELETE clears it
 *   PUT    /__emulator/latency                {"ms": 50}
 *   PUT    /__emulator/key-propagation-delay  {"ms": 10000}: new IAM access keys are refused this long
 *   POST   /__emulator/faults                 {"kind": "throttle"|"internal-failure"|"drop", "count": 1, "action": "AssumeRole"}
 *   DELETE /__emulator/faults
 *   GET    /__emulator/clock                  POST with {"offsetMs"?, "advanceMs"?, "freeze"?: boolean}
 *   PUT    /__emulator/access-keys/<id>       {"status": "Active"|"Inactive"} (fixture keys and created ones)
 *   GET    /__emulator/mfa-code?serialNumber=<arn>   the code the device shows now
 *   POST   /__emulator/reset
 */
export const CONTROL_PATH_PREFIX = '/__emulator/';

const latencyBody = z.object({ ms: z.number().min(0).max(600_000) });
const propagationBody = z.object({ ms: z.number().min(0).max(86_400_000) });
const services = z.enum(['sts', 'iam']);
const faultBody = z.object({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().min(1).optional(),
  action: z.string().min(1).optional(),
});
const clockBody = z.object({
  offsetMs: z.number().optional(),
  advanceMs: z.number().min(0).optional(),
  freeze: z.boolean().optional(),
});
const accessKeyBody = z.object({ status: z.enum(['Active', 'Inactive']) });

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const text = (await readBody(req)).toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ControlError(400, 'The request body is not JSON.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ControlError(400, `Invalid request body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

function state(emulator: StsEmulator): Record<string, unknown> {
  return {
    clock: emulator.clock.state(),
    latencyMs: emulator.latencyMs,
    keyPropagationDelayMs: emulator.keyPropagationDelayMs,
    pendingFaults: emulator.pendingFaults(),
  };
}

async function route(emulator: StsEmulator, req: IncomingMessage, url: URL): Promise<unknown> {
  const path = url.pathname.slice(CONTROL_PATH_PREFIX.length);
  const method = req.method ?? 'GET';
  const key = `${method} ${path}`;

  if (key === 'GET state') return state(emulator);
  if (key === 'GET requests') {
    const rawService = url.searchParams.get('service');
    const service = rawService ? services.safeParse(rawService) : undefined;
    if (service?.success === false) throw new ControlError(400, `service must be sts or iam, not '${rawService}'.`);
    const action = url.searchParams.get('action') ?? undefined;
    const outcome = url.searchParams.get('outcome') ?? undefined;
    return {
      requests: emulator.requests({
        ...(service?.success ? { service: service.data } : {}),
        ...(action ? { action } : {}),
        ...(outcome ? { outcome } : {}),
      }),
    };
  }
  if (key === 'DELETE requests') {
    emulator.clearRequests();
    return { cleared: true };
  }
  if (key === 'PUT latency') {
    emulator.setLatency((await jsonBody(req, latencyBody)).ms);
    return state(emulator);
  }
  if (key === 'PUT key-propagation-delay') {
    emulator.setKeyPropagationDelay((await jsonBody(req, propagationBody)).ms);
    return state(emulator);
  }
  if (key === 'POST faults') {
    const fault = await jsonBody(req, faultBody);
    emulator.injectFault({ kind: fault.kind, ...(fault.count ? { count: fault.count } : {}), ...(fault.action ? { action: fault.action } : {}) });
    return state(emulator);
  }
  if (key === 'DELETE faults') {
    emulator.clearFaults();
    return state(emulator);
  }
  if (key === 'GET clock') return emulator.clock.state();
  if (key === 'POST clock') {
    const change = await jsonBody(req, clockBody);
    if (change.offsetMs !== undefined) emulator.clock.setOffset(change.offsetMs);
    if (change.freeze === true) emulator.clock.freeze();
    if (change.freeze === false) emulator.clock.unfreeze();
    if (change.advanceMs !== undefined) emulator.clock.advance(change.advanceMs);
    return emulator.clock.state();
  }
  if (method === 'PUT' && path.startsWith('access-keys/')) {
    const accessKeyId = decodeURIComponent(path.slice('access-keys/'.length));
    const { status } = await jsonBody(req, accessKeyBody);
    if (!emulator.setAccessKeyStatus(accessKeyId, status)) throw new ControlError(404, `There is no access key ${accessKeyId} (not in the fixture, not created, or deleted).`);
    return { accessKeyId, status };
  }
  if (key === 'GET mfa-code') {
    const serialNumber = url.searchParams.get('serialNumber');
    if (!serialNumber) throw new ControlError(400, 'Give the MFA device as ?serialNumber=<arn>.');
    const reading = emulator.mfaCode(serialNumber);
    if (!reading) throw new ControlError(404, `The fixture has no MFA device ${serialNumber}.`);
    return reading;
  }
  if (key === 'POST reset') {
    emulator.reset();
    return state(emulator);
  }
  throw new ControlError(404, `No control route ${method} ${url.pathname}. See test/sts-emulator/README.md.`);
}

export async function handleControlRequest(emulator: StsEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let status = 200;
  let body: unknown;
  try {
    if (req.headers.origin !== undefined) throw new ControlError(403, 'The emulator control API does not answer browsers.');
    body = await route(emulator, req, new URL(req.url ?? '/', 'http://sts.emulator'));
  } catch (error) {
    status = error instanceof ControlError ? error.status : 400;
    body = { error: error instanceof Error ? error.message : String(error) };
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
