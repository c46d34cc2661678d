import { Hono } from 'hono';
import { listen, type ListeningServer } from '../../src/server/listen.js';

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as they arrived on the wire. */
  rawTarget: string;
  headers: Record<string, string>;
  body: string;
}

/** A v2 stand-in on loopback that records what the gateway sent and answers as told. */
export async function startRecordingUpstream(answer: (request: RecordedRequest) => Response | Promise<Response>): Promise<ListeningServer & { received: RecordedRequest[] }> {
  const received: RecordedRequest[] = [];
  const app = new Hono<{ Bindings: { incoming: { url: string } } }>();
  app.all('*', async (c) => {
    // Null prototype: a field named `__proto__` is recorded as the field it is.
    const headers = Object.create(null) as Record<string, string>;
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const recorded = { method: c.req.method, rawTarget: c.env.incoming.url, headers, body: await c.req.text() };
    received.push(recorded);
    return answer(recorded);
  });
  const server = await listen(app);
  return Object.assign(server, { received });
}

export function json(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}
