import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { requiredArgument, serveMeasurements } from './protocol.js';

/*
 * The Node floor: the least a Node reverse proxy can do per request. node:http in, an undici
 * Pool out (kept alive, as the gateway's), headers forwarded minus the connection-level ones,
 * the body streamed both ways. No framework, no routing, no translation: whatever the gateway
 * costs above this is the price of hono, the mapping and its manners.
 */

const upstream = requiredArgument('upstream');
const pool = new Pool(upstream, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
const CONNECTION_LEVEL = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection']);

function endToEnd(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !CONNECTION_LEVEL.has(name)) kept[name] = value;
  }
  return kept;
}

const server = createServer(async (request, response) => {
  try {
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const answer = await pool.request({
      method: request.method as Dispatcher.HttpMethod,
      path: request.url ?? '/',
      headers: endToEnd(request.headers),
      body: hasBody ? request : null,
    });
    response.writeHead(answer.statusCode, endToEnd(answer.headers));
    // pipe() with both ends tied rather than stream.pipeline(), which costs more CPU than the
    // rest of this proxy put together (it builds an AbortController per call).
    answer.body.once('error', () => response.destroy());
    response.once('close', () => {
      if (!answer.body.readableEnded) answer.body.destroy();
    });
    answer.body.pipe(response);
  } catch {
    if (!response.headersSent) response.writeHead(502).end();
    else response.destroy();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => serveMeasurements(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
