import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` on a fresh loopback connection and returns everything read until the server
 * closes it (or `timeoutMs` passes). With `firstAnswerOnly`, it stops as soon as one whole answer
 * with a Content-Length has arrived, rather than waiting for a kept-alive connection to close.
 */
export function rawExchange(port: number, bytes: string, timeoutMs = 5_000, options: { firstAnswerOnly?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.firstAnswerOnly && holdsWholeAnswer(Buffer.concat(chunks).toString('latin1'))) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Buffer.concat(chunks).toString('latin1'));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (chunks.length) resolve(Buffer.concat(chunks).toString('latin1'));
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.write(bytes, 'latin1');
  });
}

/** Whether `text` starts with a complete answer whose body length its Content-Length gives. */
function holdsWholeAnswer(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end + 2))?.[1];
  return length !== undefined && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length);
}

/** Splits a raw HTTP/1.1 answer into status, lower-case headers and body. */
export function parseRawAnswer(text: string): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine?.split(' ')[1] ?? 0), headers, body: end < 0 ? '' : text.slice(end + 4) };
}

/**
 * Sends a request whose body may be refused before it is all sent: the answer is what counts,
 * and a write cut short by the server (EPIPE, reset) after it answered is not a failure.
 */
export function sendBody(url: string, method: string, path: string, headers: Record<string, string>, body: Buffer | Iterable<Buffer>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(path, url);
    const outgoing = request(target, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name] = String(value);
        resolve({ status: response.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', reject);
    });
    outgoing.on('error', (error: Error & { code?: string }) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    const parts = Buffer.isBuffer(body) ? [body] : body;
    const iterator = parts[Symbol.iterator]();
    const writeNext = () => {
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          outgoing.end();
          return;
        }
        if (outgoing.destroyed) return;
        if (!outgoing.write(next.value)) {
          outgoing.once('drain', writeNext);
          return;
        }
      }
    };
    writeNext();
  });
}
