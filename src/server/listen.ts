import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

/** Anything with a WHATWG fetch handler: a Hono app, or a hand-written one. */
export interface FetchHandler {
  fetch: (request: Request) => Response | Promise<Response>;
}

export interface ListeningServer {
  url: string;
  port: number;
  server: ServerType;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

/**
 * Serves a fetch handler over node:http. Binds to loopback unless told otherwise: nothing this
 * tool starts for a demo or a test should be reachable from another machine.
 */
export function listen(
  handler: FetchHandler,
  options: { port?: number; host?: string } = {},
): Promise<ListeningServer> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: handler.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) => {
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${info.port}`,
        port: info.port,
        server,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive sockets would hold close() open until they time out: close each one as
            // soon as it is idle, that is, once its in-flight request has been answered.
            const closeIdle = () => {
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            };
            const sweeper = setInterval(closeIdle, 50);
            server.close(() => {
              clearInterval(sweeper);
              done();
            });
            closeIdle();
          }),
      });
    });
    server.once('error', reject);
  });
}
