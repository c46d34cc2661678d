import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';
import type { Readable } from 'node:stream';
import { knowledgeListToV1 } from '../knowledge-by-hand.js';
import type { KnowledgeListV2 } from '../payloads.js';
import { requiredArgument, serveMeasurements } from './protocol.js';

/*
 * The Node peer: what a team writes without this tool. @fastify/http-proxy (undici underneath)
 * forwards /api/v1/knowledge to /api/v2/knowledge, and an onResponse hook reads the v2 body and
 * translates it with the hand-written function (the same translation the gateway's translated
 * endpoint does from its mapping).
 */

const upstream = requiredArgument('upstream');
const app = Fastify({ logger: false });

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

await app.register(proxy, {
  upstream,
  prefix: '/api/v1/knowledge',
  rewritePrefix: '/api/v2/knowledge',
  replyOptions: {
    onResponse: (_request, reply, response) => {
      readAll(response.stream as Readable).then(
        (text) => {
          if (reply.statusCode !== 200) return reply.send(text);
          const { totalCount, items } = knowledgeListToV1(JSON.parse(text) as KnowledgeListV2);
          reply.removeHeader('content-length');
          reply.header('x-total-count', totalCount);
          return reply.send(JSON.stringify(items));
        },
        (error: unknown) => reply.code(502).send(String(error)),
      );
    },
  },
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('fastify did not bind a TCP port');
serveMeasurements(`http://127.0.0.1:${address.port}`);
