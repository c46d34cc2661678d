import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/core/mapping/http-policy.js';
import { compileUpstreamHeaders } from '../../src/core/mapping/upstream-header-policy.js';

/*
 * The header policy toward v2 as compiled from `upstreamHeaders:`: which client headers a
 * request to v2 keeps, and the load errors for lists that could not mean what they say.
 */

function failure(compile: () => unknown): { at: string; message: string } {
  try {
    compile();
  } catch (error) {
    if (error instanceof PolicyError) return { at: error.at, message: error.message };
    throw error;
  }
  throw new Error('expected a PolicyError');
}

function kept(policy: ReturnType<typeof compileUpstreamHeaders>, names: string[]): string[] {
  const headers = Object.fromEntries(names.map((name) => [name, 'v']));
  policy.strip(headers);
  return Object.keys(headers);
}

describe('compileUpstreamHeaders', () => {
  it('by default keeps every header but the credentials', () => {
    const policy = compileUpstreamHeaders(undefined);
    expect(kept(policy, ['authorization', 'cookie', 'accept', 'x-api-key', '__proto__'])).toEqual(['accept', 'x-api-key', '__proto__']);
  });

  it('no pattern, not even "*", lets a credential through: only its exact name does', () => {
    expect(kept(compileUpstreamHeaders({ allow: ['*'] }), ['authorization', 'cookie', 'accept'])).toEqual(['accept']);
    expect(kept(compileUpstreamHeaders({ allow: ['*', 'Cookie'] }), ['authorization', 'cookie', 'accept'])).toEqual(['cookie', 'accept']);
    expect(kept(compileUpstreamHeaders({ allow: ['a*'] }), ['authorization', 'accept'])).toEqual(['accept']);
  });

  it('always keeps what the gateway sets and what describes the body, whatever allow says', () => {
    const policy = compileUpstreamHeaders({ allow: ['accept'] });
    expect(kept(policy, ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'content-type', 'content-encoding', 'accept-encoding', 'accept', 'user-agent'])).toEqual([
      'x-forwarded-for',
      'x-forwarded-proto',
      'x-forwarded-host',
      'x-request-id',
      'content-type',
      'content-encoding',
      'accept-encoding',
      'accept',
    ]);
  });

  it('lets a deny pattern carve out of an allow pattern', () => {
    expect(kept(compileUpstreamHeaders({ allow: ['x-*'], deny: ['x-debug-*'] }), ['x-tenant', 'x-debug-on', 'accept'])).toEqual(['x-tenant']);
  });

  it('inherits the mapping key by key', () => {
    const mapping = compileUpstreamHeaders({ allow: ['accept', 'x-tenant-*'], deny: ['x-tenant-secret'] });
    const endpoint = compileUpstreamHeaders({ allow: ['*', 'authorization'] }, mapping);
    expect(endpoint.allow).toEqual(['*', 'authorization']);
    expect(endpoint.deny).toEqual(['x-tenant-secret']);
    expect(kept(endpoint, ['authorization', 'x-tenant-secret', 'user-agent'])).toEqual(['authorization', 'user-agent']);
    expect(compileUpstreamHeaders(undefined, mapping)).toBe(mapping);
  });

  it.each([
    [{ allow: ['x tenant'] }, '/allow/0', /"x tenant" is not a header name/],
    [{ allow: ['x-*-id'] }, '/allow/0', /with \* only at the end/],
    [{ deny: ['transfer-encoding'] }, '/deny/0', /never forwarded: it is hop-by-hop/],
    [{ deny: ['accept', 'x-forwarded-for'] }, '/deny/1', /"x-forwarded-for" is set by the gateway on every v2 request/],
    [{ allow: ['cookies'] }, '/allow/0', /did you mean "cookie"\?/],
    [{ allow: ['x-a', 'authorization'], deny: ['authorization'] }, '/allow/1', /allow entry "authorization" is cancelled by deny entry "authorization"/],
    [{ allow: ['x-debug-*'], deny: ['x-*'] }, '/allow/0', /cancelled by deny entry "x-\*"/],
    [{ allow: ['accept'], only: ['x'] }, '/only', /upstreamHeaders takes allow and deny, not "only"/],
    [{ allow: 'accept' }, '/allow', /allow is a list of header names/],
  ])('rejects %j at %s', (document, at, message) => {
    const problem = failure(() => compileUpstreamHeaders(document));
    expect(problem.at).toBe(at);
    expect(problem.message).toMatch(message);
  });

  it('points at the endpoint entry that contradicts what it inherits', () => {
    const mapping = compileUpstreamHeaders({ allow: ['accept', 'x-tenant-id'] });
    const problem = failure(() => compileUpstreamHeaders({ deny: ['x-tenant-*'] }, mapping));
    expect(problem).toEqual({ at: '/deny/0', message: expect.stringMatching(/deny entry "x-tenant-\*" here cancels the mapping's allow entry "x-tenant-id".*give this endpoint its own allow/) });
    const denying = compileUpstreamHeaders({ deny: ['x-tenant-*'] });
    expect(failure(() => compileUpstreamHeaders({ allow: ['x-tenant-id'] }, denying))).toEqual({ at: '/allow/0', message: expect.stringMatching(/cancelled by the mapping's deny entry "x-tenant-\*"/) });
  });
});
