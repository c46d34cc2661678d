import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/create-app.js';
import { loadMappingFile } from '../src/io/load-mapping.js';
import { SourceLoadError } from '../src/io/yaml-source.js';
import { UpstreamClient } from '../src/upstream/upstream-client.js';
import { tempDir } from './support/cli-harness.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

/** `fn:` steps call a named export of a TypeScript module next to the mapping: plain code, no eval. */
let workspace: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  workspace = await tempDir();
});
afterEach(() => workspace.remove());

const TRANSFORMS = `
import type { HttpMessage } from '${new URL('../src/core/model/http-message.ts', import.meta.url).pathname}';

/** v2 paginates with a cursor; v1 clients expect an RFC 8288 Link header to the next page. */
export function linkHeader(message: HttpMessage): void {
  const next = (message.body as { next_cursor?: string }).next_cursor;
  if (next) message.headers.link = '</api/v1/items?cursor=' + encodeURIComponent(next) + '>; rel="next"';
  delete (message.body as { next_cursor?: string }).next_cursor;
}

export const notAFunction = 42;
`;

function mapping(step: string): string {
  return ['name: fn test', 'upstream: http://127.0.0.1:9', 'endpoints:', '  - id: items', '    v1: GET /api/v1/items', '    v2: GET /api/v2/items', '    response:', `      - fn: ${step}`, ''].join('\n');
}

describe('fn steps', () => {
  it('run the named export of a TypeScript module beside the mapping', async () => {
    await workspace.write('transforms.ts', TRANSFORMS);
    const file = await workspace.write('mapping.yaml', mapping('./transforms.ts#linkHeader'));
    const { table } = await loadMappingFile(file);
    const upstream = await startRecordingUpstream(() => json({ items: [1, 2], next_cursor: 'abc/def' }));
    const client = new UpstreamClient(upstream.url);
    try {
      const response = await createApp({ table, upstream: client }).request('/api/v1/items');
      expect(response.headers.get('link')).toBe('</api/v1/items?cursor=abc%2Fdef>; rel="next"');
      expect(await response.json()).toEqual({ items: [1, 2] });
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  it.each([
    ['a missing export', './transforms.ts#nope', /has no exported function "nope"; exports: linkHeader, notAFunction/],
    ['an export that is not a function', './transforms.ts#notAFunction', /has no exported function "notAFunction"/],
    ['a missing module', './missing.ts#linkHeader', /cannot import \.\/missing\.ts/],
    ['a bare package name', 'some-package#fn', /must be a relative path/],
  ])('reject %s at load time with the line of the step', async (_name, reference, message) => {
    await workspace.write('transforms.ts', TRANSFORMS);
    const file = await workspace.write('mapping.yaml', mapping(reference));
    const error = await loadMappingFile(file).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(SourceLoadError);
    expect((error as SourceLoadError).message).toMatch(message);
    expect((error as SourceLoadError).diagnostics[0]).toMatchObject({ line: 8, pointer: '/endpoints/0/response/0/fn' });
  });
});
