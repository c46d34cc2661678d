import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How the faulty v2 answers, for every request while it is set:
 * - `ok`: 200 `{"data": {...}}`, JSON;
 * - `hang`: accepts the request and never answers;
 * - `trickle`: 200 headers at once, then the JSON body one byte every 400 ms;
 * - `reset-mid-body`: 200 headers and the first bytes of the body, then the connection is reset;
 * - `invalid-json`: 200 `application/json` whose body is cut off;
 * - `html`: 200 `text/html` (a maintenance page);
 * - `status-503`: 503 `application/problem+json`, as a service shedding load answers.
 */
export type Fault = 'ok' | 'hang' | 'trickle' | 'reset-mid-body' | 'invalid-json' | 'html' | 'status-503';

export const TRICKLE_INTERVAL_MS = 400;

export interface HeldRequest {
  path: string;
  /** performance.now() when the gateway closed the connection; undefined while it is open. */
  closedAt?: number;
}

export interface FaultyUpstream {
  url: string;
  port: number;
  /** What the next requests meet; change it at any time. */
  fault: Fault;
  /** Requests received, whatever they met. */
  readonly received: number;
  /** Requests met by `hang`, and when the gateway let go of each. */
  readonly held: HeldRequest[];
  /** Refuses connections from now on and cuts every open one, as a v2 going down does. */
  stop(): Promise<void>;
  /** Listens again on the same port (after `stop`), as a restarted v2 does. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const OK_BODY = JSON.stringify({ data: { id: '7', name: 'seven' } });

/** A v2 on 127.0.0.1 that fails as real services do, one fault at a time, told which by the test. */
export async function startFaultyUpstream(initial: Fault = 'ok'): Promise<FaultyUpstream> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const held: HeldRequest[] = [];
  let received = 0;
  let server: Server | undefined;
  let port = 0;

  const handle = (incoming: IncomingMessage, response: ServerResponse) => {
    received++;
    incoming.resume();
    const fault = upstream.fault;
    if (fault === 'hang') {
      const entry: HeldRequest = { path: incoming.url ?? '' };
      held.push(entry);
      incoming.socket.once('close', () => (entry.closedAt = performance.now()));
      return;
    }
    if (fault === 'trickle') {
      response.writeHead(200, { 'content-type': 'application/json' });
      let at = 0;
      const timer = setInterval(() => {
        if (at >= OK_BODY.length) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(OK_BODY[at++]!);
      }, TRICKLE_INTERVAL_MS);
      timers.add(timer);
      response.once('close', () => clearInterval(timer));
      return;
    }
    if (fault === 'reset-mid-body') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(OK_BODY.length) });
      response.write(OK_BODY.slice(0, 10));
      const timer = setTimeout(() => incoming.socket.resetAndDestroy(), 20);
      timers.add(timer);
      return;
    }
    const [status, contentType, body] =
      fault === 'invalid-json'
        ? [200, 'application/json', OK_BODY.slice(0, -5)]
        : fault === 'html'
          ? [200, 'text/html; charset=utf-8', '<html><body>down for maintenance</body></html>']
          : fault === 'status-503'
            ? [503, 'application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'shedding load' })]
            : [200, 'application/json', OK_BODY];
    response.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) });
    response.end(body);
  };

  const start = async () => {
    const next = createServer(handle);
    next.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };

  const stop = async () => {
    const current = server;
    server = undefined;
    for (const timer of timers) clearInterval(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  const upstream: FaultyUpstream = {
    url: '',
    port: 0,
    fault: initial,
    get received() {
      return received;
    },
    held,
    stop,
    start,
    close: stop,
  };
  await start();
  upstream.port = port;
  upstream.url = `http://127.0.0.1:${port}`;
  return upstream;
}
