import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Caller } from './caller.js';
import { requestId as newRequestId } from './credential-material.js';
import { validateInput, validationMessage } from './input-validator.js';
import { decodeQueryInput } from './query-input.js';
import { authenticate } from './sigv4-authenticator.js';
import type { StsEmulator } from './sts-emulator.js';
import { StsError, stsErrors } from './sts-errors.js';
import { stsOperations } from './sts-operations.js';
import { errorXml, successXml } from './xml-response.js';

/**
 * One STS request over HTTP, the way AWS's Query protocol front door handles it: parameters from
 * the query string and the form-encoded body, injected faults, authentication, the action and
 * version, parameter validation against the model, the operation, and an XML answer with a
 * request id in the body and the `x-amzn-RequestId` header.
 */

/** STS requests are small; anything bigger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw stsErrors.requestTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function requestParameters(url: URL, req: IncomingMessage, body: Buffer): URLSearchParams {
  const params = new URLSearchParams(url.search);
  const contentType = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && body.length > 0 && (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded'))) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.append(key, value);
  }
  return params;
}

export async function handleStsRequest(emulator: StsEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const receivedAt = emulator.clock.now().toISOString();
  let action: string | null = null;
  let caller: Caller | null = null;

  const record = (status: number, outcome: string): void => {
    emulator.log.record({
      requestId,
      at: receivedAt,
      action,
      callerArn: caller?.arn ?? null,
      accessKeyId: caller?.accessKeyId ?? null,
      status,
      outcome,
    });
  };

  const send = (status: number, xml: string): void => {
    res.writeHead(status, {
      'Content-Type': 'text/xml',
      'Content-Length': Buffer.byteLength(xml),
      'x-amzn-RequestId': requestId,
      // The SDKs correct their clock from this header when AWS says their signature is skewed.
      Date: emulator.clock.signatureNow().toUTCString(),
    });
    res.end(xml);
  };

  try {
    const url = new URL(req.url ?? '/', 'http://sts.emulator');
    if (req.method !== 'GET' && req.method !== 'POST') throw stsErrors.methodNotAllowed(req.method ?? '');
    const body = await readBody(req);
    const params = requestParameters(url, req, body);
    action = params.get('Action');

    if (emulator.faults.latencyMs > 0) await delay(emulator.faults.latencyMs);
    const fault = emulator.faults.take(action);
    if (fault === 'drop') {
      record(0, 'ConnectionDropped');
      req.socket.destroy();
      return;
    }
    if (fault === 'throttle') throw stsErrors.throttling();
    if (fault === 'internal-failure') throw stsErrors.internalFailure();

    if (action === null || action === '') throw stsErrors.missingAction();
    const version = params.get('Version') ?? '';
    const operation = emulator.model.operation(action);
    const handler = Object.hasOwn(stsOperations, action) ? stsOperations[action] : undefined;
    if (!operation?.input || !handler || version !== emulator.model.apiVersion) {
      throw stsErrors.invalidAction(action, version);
    }

    caller = await authenticate(
      { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body },
      emulator,
    );

    const { input, problems } = decodeQueryInput(emulator.model, operation.input.shape, params);
    problems.push(...validateInput(emulator.model, operation.input.shape, input));
    if (problems.length > 0) throw stsErrors.validation(validationMessage(problems));

    const result = handler(caller, input, emulator);
    send(200, successXml(emulator.model, action, result, requestId));
    record(200, 'Success');
  } catch (error) {
    if (!(error instanceof StsError)) console.error('STS emulator: unexpected failure in', action ?? 'a request', error);
    const stsError = error instanceof StsError ? error : stsErrors.internalFailure();
    send(stsError.status, errorXml(emulator.model, stsError, requestId));
    record(stsError.status, stsError.code);
  }
}
