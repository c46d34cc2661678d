import { getRequestListener, RequestError } from '@hono/node-server';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProblemCode } from '../core/errors.js';
import { PROBLEMS } from '../core/errors.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';

/** Anything with a WHATWG fetch handler: a Hono app, or a hand-written one. */
export interface FetchHandler {
  fetch: (request: Request) => Response | Promise<Response>;
}

export interface ListenOptions {
  port?: number;
  host?: string;
}

export interface ListeningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

/** The port is taken, or the address is not this machine's: a configuration error, said in one line. */
export class ListenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ListenError';
  }
}

function problemText(code: ProblemCode, detail: string): string {
  return JSON.stringify(problemBody(code, detail));
}

/** A problem written on a response object the app never saw. */
function writeProblem(outgoing: ServerResponse, code: ProblemCode, detail: string, headers: Record<string, string> = {}): void {
  const body = problemText(code, detail);
  outgoing.writeHead(PROBLEMS[code].status, { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(body)), connection: 'close' });
  outgoing.end(body);
}

/** A problem written straight onto a socket that node:http could not parse a request from. */
function writeRawProblem(socket: Duplex, code: ProblemCode, detail: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status = PROBLEMS[code].status;
  const body = problemText(code, detail);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, `content-type: ${PROBLEM_CONTENT_TYPE}`, `content-length: ${Buffer.byteLength(body)}`, 'connection: close'];
  for (const name in headers) lines.push(`${name}: ${headers[name]}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * The answer node is writing on this socket, if any. `_httpMessage` is node:http's own link from
 * a socket to its current ServerResponse, the one its default clientError handling consults too
 * (https://github.com/nodejs/node/blob/v20.x/lib/_http_server.js, socketOnError): reading it here,
 * only when a client sent something broken, costs well-formed requests nothing.
 */
function inFlightAnswer(socket: Duplex): ServerResponse | undefined {
  const answer = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  return answer && !answer.writableFinished ? answer : undefined;
}

/** Runs `then` once no answer is in flight on the socket: pipelined answers are attached one after the other. */
function afterInFlightAnswers(socket: Duplex, then: () => void): void {
  const answer = inFlightAnswer(socket);
  if (!answer) {
    then();
    return;
  }
  // 'close' follows 'finish' and an abort alike; the next queued answer is attached by then.
  answer.once('close', () => setImmediate(() => (socket.destroyed ? undefined : afterInFlightAnswers(socket, then))));
}

/**
 * Request targets a gateway serves: origin-form only (RFC 9112 section 3.2.1). The asterisk form
 * (`OPTIONS *`) asks about the server, not a v1 endpoint; the absolute form (`GET http://x/`) is
 * for forward proxies, which a gateway is not. Both get a problem rather than a guess.
 */
function refusedTarget(incoming: IncomingMessage): string | undefined {
  const target = incoming.url ?? '';
  if (target.startsWith('/')) return undefined;
  if (target === '*') return 'the asterisk-form target (OPTIONS *) is not served; ask a v1 endpoint';
  return `the request target must be a path (origin-form, RFC 9112 section 3.2.1); this gateway is not a forward proxy`;
}

/**
 * Serves a fetch handler over node:http. Binds to loopback unless told otherwise: nothing this
 * tool starts for a demo or a test should be reachable from another machine. Every answer the
 * gateway makes itself is problem+json, including those to requests too broken to reach the app.
 */
export function listen(handler: FetchHandler, options: ListenOptions = {}): Promise<ListeningServer> {
  const host = options.host ?? '127.0.0.1';
  const appListener = getRequestListener(handler.fetch, {
    // A request node parsed but a Request cannot be built from: bad or missing Host, a
    // backslash in the path. The RequestError's message says which.
    errorHandler: (error) => {
      if (error instanceof RequestError) return problemResponse('bad-request', `the request cannot be served: ${error.message.toLowerCase()}`);
      return problemResponse('internal-error', 'the gateway failed unexpectedly');
    },
  });
  // requireHostHeader off: node would answer a missing Host with an empty 400 of its own.
  const server = createServer({ requireHostHeader: false }, (incoming, outgoing) => {
    const refused = refusedTarget(incoming);
    if (refused) {
      writeProblem(outgoing, 'bad-request', refused);
      return;
    }
    // HTTP/1.1 requires Host (RFC 9112 section 3.2); without one, node-server would invent it.
    if (incoming.headers.host === undefined && incoming.httpVersionMajor === 1 && incoming.httpVersionMinor === 1) {
      writeProblem(outgoing, 'bad-request', 'the request has no Host header, which HTTP/1.1 requires (RFC 9112 section 3.2)');
      return;
    }
    void appListener(incoming, outgoing);
  });
  // CONNECT opens a tunnel (RFC 9110 section 9.3.6); a gateway opens none.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    writeRawProblem(socket, 'method-not-allowed', 'CONNECT is not served: this gateway opens no tunnels', { allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' });
  });
  // Bytes node:http cannot parse as a request: answered in problem+json, then the connection closes.
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // Bytes after a request that said `Connection: close`: the server must not process them
    // (RFC 9112 section 9.6, https://www.rfc-editor.org/rfc/rfc9112#section-9.6), and they are
    // no reason to spoil the answer to that request, which may already have run upstream. They
    // are read and dropped (not left unread: closing over unread bytes sends a reset, which can
    // destroy the answer at the client), and node closes the connection once the answer is out.
    if (error.code === 'HPE_CLOSED_CONNECTION') {
      if (!inFlightAnswer(socket)) socket.end();
      return;
    }
    const detail =
      error.code === 'HPE_HEADER_OVERFLOW' ? 'the request headers are larger than this gateway accepts' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'the request was not received in time' : 'the request is not valid HTTP/1.1';
    // Answers go out in request order (RFC 9112 section 9.3.2): the problem about a broken
    // pipelined request waits for the answers to the requests before it.
    afterInFlightAnswers(socket, () => writeRawProblem(socket, 'bad-request', detail));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'EADDRINUSE') reject(new ListenError(`port ${options.port ?? 0} on ${host} is already in use; stop what holds it or choose another port`, error.code));
      else if (error.code === 'EADDRNOTAVAIL') reject(new ListenError(`address ${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its interfaces`, error.code));
      else if (error.code === 'EACCES') reject(new ListenError(`not allowed to listen on port ${options.port ?? 0}; ports below 1024 need privileges, choose a higher one`, error.code));
      else reject(error);
    });
    server.listen(options.port ?? 0, host, () => {
      const info = server.address() as AddressInfo;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${info.port}`,
        port: info.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive sockets would hold close() open until they time out: close each one as
            // soon as it is idle, that is, once its in-flight request has been answered.
            const closeIdle = () => server.closeIdleConnections();
            const sweeper = setInterval(closeIdle, 50);
            server.close(() => {
              clearInterval(sweeper);
              done();
            });
            closeIdle();
          }),
      });
    });
  });
}

function problemResponse(code: ProblemCode, detail: string): Response {
  // The connection closes: what follows a request that could not be read cannot be trusted either.
  return new Response(problemText(code, detail), { status: PROBLEMS[code].status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, connection: 'close' } });
}
