import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { knowledgeDetail, knowledgeList, PAYLOAD_SIZES, type PayloadSize } from '../payloads.js';
import { serveMeasurements } from './protocol.js';

/*
 * The v2 upstream of every proxy benchmark: fixed, precomputed JSON answers and no framework, so
 * that the upstream costs as little and varies as little as possible, and the differences the
 * bench reports are the proxies'.
 *
 *   GET /api/v2/knowledge?size=1kb|100kb          a { data, meta } list page of about that size
 *   GET /api/v2/knowledge/{id}?size=1kb|100kb     one item of about that size
 *   GET /api/v2/knowledge/{id}/related            { data: [{ id }] } (the second call of the two-call endpoint)
 */

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const lists = new Map<string, Buffer>(PAYLOAD_SIZES.map((size) => [size, json(knowledgeList(size))]));
const details = new Map<string, Buffer>(PAYLOAD_SIZES.map((size) => [size, json(knowledgeDetail(size, '7'))]));
const related = json({ data: [{ id: '3' }, { id: '5' }] });
const notFound = json({ type: 'https://api.example.com/problems/not-found', title: 'Not Found', status: 404, detail: 'no such bench route' });

function send(response: ServerResponse, status: number, body: Buffer, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': body.length });
  response.end(body);
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const size = (/[?&]size=([^&]+)/.exec(url)?.[1] ?? '1kb') as PayloadSize;
  // Request bodies are not used; drain them so the connection stays reusable.
  request.resume();
  if (path === '/api/v2/knowledge' && lists.has(size)) return send(response, 200, lists.get(size)!);
  if (/^\/api\/v2\/knowledge\/\d+\/related$/.test(path)) return send(response, 200, related);
  if (/^\/api\/v2\/knowledge\/\d+$/.test(path) && details.has(size)) return send(response, 200, details.get(size)!);
  send(response, 404, notFound, 'application/problem+json');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => serveMeasurements(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
