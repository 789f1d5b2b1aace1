import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Caller } from './caller.js';
import { requestId as newRequestId } from './credential-material.js';
import { validateInput, validationMessage } from './input-validator.js';
import { QueryError, queryErrors } from './query-errors.js';
import { decodeQueryInput } from './query-input.js';
import { chooseService } from './query-services.js';
import { authenticate, signedForService } from './sigv4-authenticator.js';
import type { StsEmulator } from './sts-emulator.js';
import { errorXml, successXml } from './xml-response.js';

/**
 * One STS or IAM request over HTTP, the way AWS's Query protocol front door handles it:
 * parameters from the query string and the form-encoded body, the service the request was signed
 * for, injected faults, the action and version, authentication (recording the use of a long-term
 * key), parameter validation against the service's model, the operation, and an XML answer in
 * the service's namespace with a request id in the body and the `x-amzn-RequestId` header.
 */

/** STS and IAM requests are small; anything bigger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw queryErrors.requestTooLarge();
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

export async function handleQueryRequest(emulator: StsEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const receivedAt = emulator.clock.now().toISOString();
  const url = new URL(req.url ?? '/', 'http://sts.emulator');
  const signedFor = signedForService({ headers: req.headers, query: url.searchParams });
  let service = chooseService(emulator.services, signedFor, url.searchParams.get('Version'));
  let action: string | null = null;
  let caller: Caller | null = null;

  const record = (status: number, outcome: string): void => {
    emulator.log.record({
      requestId,
      at: receivedAt,
      service: service.name,
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
    if (req.method !== 'GET' && req.method !== 'POST') throw queryErrors.methodNotAllowed(req.method ?? '');
    const body = await readBody(req);
    const params = requestParameters(url, req, body);
    service = chooseService(emulator.services, signedFor, params.get('Version'));
    action = params.get('Action');

    if (emulator.faults.latencyMs > 0) await delay(emulator.faults.latencyMs);
    const fault = emulator.faults.take(action);
    if (fault === 'drop') {
      record(0, 'ConnectionDropped');
      req.socket.destroy();
      return;
    }
    if (fault === 'throttle') throw queryErrors.throttling();
    if (fault === 'internal-failure') throw queryErrors.internalFailure();

    if (action === null || action === '') throw queryErrors.missingAction();
    const version = params.get('Version') ?? '';
    const { model, operations } = service;
    const operation = model.operation(action);
    const handler = Object.hasOwn(operations, action) ? operations[action] : undefined;
    if (!operation?.input || !handler || version !== model.apiVersion) throw queryErrors.invalidAction(action, version);

    const authenticated = await authenticate(
      { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body },
      emulator,
      service.scope,
    );
    caller = authenticated.caller;
    // IAM records the use of a long-term key (not of the sessions made from it) on every
    // authenticated request, whatever the operation then answers.
    if (caller.kind === 'user') {
      emulator.directory.recordKeyUse(caller.accessKeyId, { at: emulator.clock.now(), serviceName: authenticated.service, region: authenticated.region });
    }

    const { input, problems } = decodeQueryInput(model, operation.input.shape, params);
    problems.push(...validateInput(model, operation.input.shape, input));
    if (problems.length > 0) throw queryErrors.validation(validationMessage(problems));

    const result = handler(caller, input, emulator);
    send(200, successXml(model, action, result, requestId));
    record(200, 'Success');
  } catch (error) {
    if (!(error instanceof QueryError)) console.error('STS emulator: unexpected failure in', action ?? 'a request', error);
    const queryError = error instanceof QueryError ? error : queryErrors.internalFailure();
    send(queryError.status, errorXml(service.model, queryError, requestId));
    record(queryError.status, queryError.code);
  }
}
