import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';

/**
 * What a person reads when the STS endpoint is not AWS STS, or not answering: a sentence that
 * names the endpoint and says what to do, never a raw `TypeError`, an OpenSSL error string, the
 * SDK's advice to "inspect the hidden field {error}.$response", or a bare "Unknown (HTTP 501)".
 * The command line runs as users run it, against small local servers that misbehave on purpose.
 */

interface Closable {
  port: number;
  close(): Promise<void>;
}

async function httpServer(handler: RequestListener): Promise<Closable> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Accepts connections and never answers: STS frozen behind a proxy or a dead VPN. */
async function frozenServer(): Promise<Closable> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const CAPTIVE_PORTAL = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hotel Wi-Fi</title></head><body>Accept the terms<br></body></html>';

describe('aws-auth-tray: STS failures as sentences', () => {
  let cli: CliSandbox;
  let servers: Closable[];

  beforeEach(async () => {
    // The emulator is not needed: every test points STS somewhere else.
    cli = cliSandbox('http://127.0.0.1:9');
    servers = [];
    const out = await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys']);
    expect(out.exitCode).toBe(0);
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    cli.cleanup();
  });

  const serve = async (server: Promise<Closable>): Promise<number> => {
    const started = await server;
    servers.push(started);
    return started.port;
  };
  const login = (endpoint: string, env: Record<string, string> = {}) => cli.run(['login', '--mfa-code', '123456'], { env: { AWS_ENDPOINT_URL_STS: endpoint, ...env } });

  it.each(['not a url', 'localhost:4599'])('an invalid endpoint URL (%j) is named, with how to write one, not "TypeError: Invalid URL"', async (endpoint) => {
    const out = await login(endpoint);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: The STS endpoint "${endpoint}" (from AWS_ENDPOINT_URL_STS) is not a web address. Write it in full, like https://sts.eu-west-1.amazonaws.com (or http://127.0.0.1:4599 for the local STS emulator), or unset AWS_ENDPOINT_URL_STS to use AWS's own endpoint.\n`,
    );
  });

  it('TLS to a plain-HTTP port says the server does not speak TLS, not "EPROTO … wrong version number"', async () => {
    const port = await serve(httpServer((_req, res) => res.end('plain http')));
    const out = await login(`https://127.0.0.1:${port}`);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: Cannot make a secure (https) connection to the STS endpoint https://127.0.0.1:${port}: the server there does not speak TLS. If it is a plain-HTTP server, such as the local STS emulator, write its address with http:// instead; otherwise a proxy or firewall is in the way.\n`,
    );
  });

  it('an HTML page instead of XML is called a web page, not "XML parse error … inspect the hidden field {error}.$response"', async () => {
    const port = await serve(
      httpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(CAPTIVE_PORTAL);
      }),
    );
    const out = await login(`http://127.0.0.1:${port}`);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: The STS endpoint http://127.0.0.1:${port} did not answer like AWS STS (HTTP 200, a web page): a proxy, a Wi-Fi sign-in page or a wrong AWS_ENDPOINT_URL_STS is answering instead. Sign in to the network in a browser, or correct the endpoint, then try again.\n`,
    );
  });

  it('a well-formed <html> page that the SDK parses without error is not taken for credentials either', async () => {
    const port = await serve(
      httpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>ok</body></html>');
      }),
    );
    const out = await login(`http://127.0.0.1:${port}`);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: The STS endpoint http://127.0.0.1:${port} did not answer like AWS STS (HTTP 200): a proxy, a Wi-Fi sign-in page or a wrong AWS_ENDPOINT_URL_STS is answering instead. Sign in to the network in a browser, or correct the endpoint, then try again.\n`,
    );
  });

  it.each([
    [501, 'Not Implemented', 'not implemented'],
    [502, 'Bad Gateway', ''],
  ])('HTTP %i (%s) without an STS error is named with its status, not "Unknown (HTTP …)"', async (status, text, body) => {
    const port = await serve(
      httpServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(body);
      }),
    );
    const out = await login(`http://127.0.0.1:${port}`);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toMatch(
      new RegExp(
        `^aws-auth-tray: AWS STS is not answering at http://127\\.0\\.0\\.1:${port}: the server there failed with HTTP ${status} \\(${text}\\) and no STS error( after \\d attempts)?\\. If it is a proxy or a custom endpoint \\(AWS_ENDPOINT_URL_STS\\), check it; otherwise try again in a minute\\.\\n$`,
      ),
    );
    expect(out.stderr).not.toContain('Unknown');
  });

  it('a frozen STS: one overall deadline for the action (AWS_AUTH_TRAY_STS_DEADLINE_MS), and the sentence names the endpoint', async () => {
    const port = await serve(frozenServer());
    const started = Date.now();
    const out = await login(`http://127.0.0.1:${port}`, { AWS_AUTH_TRAY_STS_DEADLINE_MS: '700' });
    const elapsed = Date.now() - started;
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(`aws-auth-tray: AWS STS is not answering at http://127.0.0.1:${port}: no response within 700 ms. Check your network connection or VPN, then try again.\n`);
    // Node's start and the vault's key derivation included; never 3 attempts of 15 s.
    expect(elapsed).toBeLessThan(8_000);
  }, 40_000);

  it('AWS_AUTH_TRAY_STS_DEADLINE_MS that is not a number of milliseconds is refused with a sentence', async () => {
    const out = await login('http://127.0.0.1:9', { AWS_AUTH_TRAY_STS_DEADLINE_MS: 'soon' });
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe("aws-auth-tray: AWS_AUTH_TRAY_STS_DEADLINE_MS is how long getting one profile's credentials may wait on STS, every request and retry included, in milliseconds (1 to 600000); 'soon' is not that. Fix or unset it.\n");
  });

  it('the deadline is documented in the help', async () => {
    const out = await cli.run(['--help']);
    expect(out.stdout).toContain('AWS_AUTH_TRAY_STS_DEADLINE_MS');
  });
});
