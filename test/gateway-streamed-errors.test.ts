import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { createApp } from '../src/server/create-app.js';
import { UpstreamClient } from '../src/upstream/upstream-client.js';
import { tempDir } from './support/cli-harness.js';
import { startRecordingUpstream } from './support/recording-upstream.js';

/**
 * An endpoint without body steps streams its 2xx bodies; its error answers are still read and
 * translated. Those reads must fail the way the buffered path does, and cope with compression
 * the client asked for.
 */
const MAPPING = `
name: streamed
upstream: http://127.0.0.1:9
endpoints:
  - id: get-file
    v1: GET /v1/files/{id}
    v2: GET /v2/files/{id}
errors:
  - when: { status: ">=400" }
    response:
      - set: { path: body, value: { error: "\${body.detail}" } }
      - set: { path: headers.x-v1-request, value: "\${request.method} \${request.path} id=\${request.params.id} q=\${request.query.q} v2=\${v2request.path}" }
`;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function gatewayFor(answer: () => Response | Promise<Response>, options: { bodyTimeout?: number } = {}) {
  const workspace = await tempDir();
  cleanups.push(workspace.remove);
  const { table } = await loadMappingFile(await workspace.write('mapping.yaml', MAPPING));
  expect(table.endpoints[0]!.readsResponseBody).toBe(false);
  const upstream = await startRecordingUpstream(answer);
  cleanups.push(() => upstream.close());
  const client = new UpstreamClient(upstream.url, { bodyTimeout: options.bodyTimeout });
  cleanups.push(() => client.close());
  return createApp({ table, upstream: client });
}

describe('error answers on a streamed endpoint', () => {
  it('translates a gzip-compressed v2 error the client accepted compressed', async () => {
    const app = await gatewayFor(
      () =>
        new Response(gzipSync(JSON.stringify({ status: 404, detail: 'file 7 not found' })), {
          status: 404,
          headers: { 'content-type': 'application/problem+json', 'content-encoding': 'gzip' },
        }),
    );
    const response = await app.request('/v1/files/7', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.json()).toEqual({ error: 'file 7 not found' });
  });

  it('lets error rules read the v1 request as received and the v2 request', async () => {
    const app = await gatewayFor(() => new Response(JSON.stringify({ detail: 'gone' }), { status: 410, headers: { 'content-type': 'application/problem+json' } }));
    const response = await app.request('/v1/files/7?q=x');
    expect(response.status).toBe(410);
    expect(response.headers.get('x-v1-request')).toBe('GET /v1/files/7 id=7 q=x v2=/v2/files/7');
    expect(await response.json()).toEqual({ error: 'gone' });
  });

  it('answers 504 upstream-timeout when the error body stalls', async () => {
    const app = await gatewayFor(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"detail":'));
              // ...and never finishes.
            },
          }),
          { status: 500, headers: { 'content-type': 'application/problem+json' } },
        ),
      { bodyTimeout: 200 },
    );
    const response = await app.request('/v1/files/7');
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ code: 'upstream-timeout' });
  });

  it('streams a 2xx body through untouched', async () => {
    const app = await gatewayFor(() => new Response('{"id":"7","size":3}', { headers: { 'content-type': 'application/json' } }));
    const response = await app.request('/v1/files/7');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"id":"7","size":3}');
  });
});
