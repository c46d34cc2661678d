import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/core/compare/compile-matcher.js';
import { diffJson, type MatcherLookup } from '../../src/core/compare/diff-json.js';
import { explainDifference, type ExplainContext } from '../../src/core/compare/explain.js';
import { labelDifference } from '../../src/core/compare/label.js';
import { MatcherArgumentError } from '../../src/core/compare/matcher.js';
import { NoiseModel } from '../../src/core/compare/noise.js';
import { covers, matchesExactly, parsePattern, PatternSyntaxError, toPointer } from '../../src/core/compare/path-pattern.js';
import { comparedView } from '../../src/core/compare/view.js';
import { compileMapping } from '../../src/core/mapping/compile.js';
import { buildRuleInventory } from '../../src/core/mapping/rule-inventory.js';
import type { MappingDocument } from '../../src/core/model/mapping.js';
import { emptyMessage, type HttpMessage } from '../../src/core/model/http-message.js';
import { translateResponse } from '../../src/core/pipeline/response.js';
import type { TraceEntry } from '../../src/core/pipeline/trace.js';

const pointers = (v1: unknown, actual: unknown, matcherAt?: MatcherLookup) => diffJson(v1, actual, matcherAt).map((d) => toPointer(d.segments));
const matcherFor = (text: string, document: unknown): MatcherLookup => {
  const pattern = parsePattern(text);
  const matcher = compileMatcher(document);
  return (segments) => (matchesExactly(pattern, segments) ? matcher : undefined);
};

describe('diffJson', () => {
  it('ignores key order and reports each differing place by pointer', () => {
    expect(pointers({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
    expect(pointers({ body: { id: 1, tags: ['a', 'b'] } }, { body: { id: '1', tags: ['a'] } })).toEqual(['/body/id', '/body/tags/1']);
  });

  it('reports a field present on one side only, with the other side undefined', () => {
    const [difference] = diffJson({ body: { content: 'x' } }, { body: { body: 'x' } });
    expect(difference).toEqual({ segments: ['body', 'body'], v1: undefined, actual: 'x' });
    expect(pointers({ body: { content: 'x' } }, { body: { body: 'x' } })).toEqual(['/body/body', '/body/content']);
  });

  it('escapes pointer segments (RFC 6901)', () => {
    expect(pointers({ 'a/b': 1, 'c~d': 1 }, { 'a/b': 2, 'c~d': 2 })).toEqual(['/a~1b', '/c~0d']);
  });

  it('compares arrays as multisets under an unordered matcher, still pinpointing real differences', () => {
    const unordered = matcherFor('body.tags', 'unordered');
    const accepted = diffJson({ body: { tags: ['a', 'b', 'c'] } }, { body: { tags: ['c', 'a', 'b'] } }, unordered);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.accepted).toBe('unordered array');
    expect(pointers({ body: { tags: ['a', 'b'] } }, { body: { tags: ['b', 'x'] } }, unordered)).toEqual(['/body/tags/0']);
    const items = matcherFor('body', 'unordered');
    expect(pointers({ body: [{ id: 1, n: 'a' }, { id: 2, n: 'b' }] }, { body: [{ id: 2, n: 'b' }, { id: 1, n: 'z' }] }, items)).toEqual(['/body/0/n']);
    expect(pointers({ body: [1] }, { body: [1, 2] }, items)).toEqual(['/body/1']);
  });
});

describe('path patterns', () => {
  it('matches indices, single wildcards and any depth', () => {
    const at = (pointer: string) => pointer.slice(1).split('/');
    expect(matchesExactly(parsePattern('body.results[].created_at'), at('/body/results/3/created_at'))).toBe(true);
    expect(matchesExactly(parsePattern('body.results[].created_at'), at('/body/results/x/created_at'))).toBe(false);
    expect(matchesExactly(parsePattern('body[].id'), at('/body/0/id'))).toBe(true);
    expect(matchesExactly(parsePattern('body.*.id'), at('/body/meta/id'))).toBe(true);
    expect(matchesExactly(parsePattern('body.**.created_at'), at('/body/created_at'))).toBe(true);
    expect(matchesExactly(parsePattern('body.**.created_at'), at('/body/a/0/b/created_at'))).toBe(true);
    expect(matchesExactly(parsePattern('headers.X-Total-Count'), at('/headers/x-total-count'))).toBe(true);
    expect(matchesExactly(parsePattern('body.meta'), at('/body/meta/total'))).toBe(false);
    expect(covers(parsePattern('body.meta'), at('/body/meta/total'))).toBe(true);
    expect(covers(parsePattern('status'), at('/body'))).toBe(false);
  });

  it('rejects what cannot name a place in a response, saying why', () => {
    expect(() => parsePattern('query.q')).toThrow(PatternSyntaxError);
    expect(() => parsePattern('body..a')).toThrow(/empty name/);
    expect(() => parsePattern('status.code')).toThrow(/no parts below/);
  });
});

describe('matcher rules', () => {
  const accepts = (document: unknown, v1: unknown, actual: unknown) => compileMatcher(document).accepts!(v1, actual);

  it('type-only compares JSON types', () => {
    expect(accepts('type', 'limit must be 1..100', 'page[size] must be 1..100')).toBe(true);
    expect(accepts('type', 1, '1')).toBe(false);
    expect(accepts({ type: true }, null, null)).toBe(true);
    expect(accepts('type', [], {})).toBe(false);
  });

  it('regex needs both values to be matching strings', () => {
    expect(accepts({ regex: '^/api/v1/knowledge/\\d+$' }, '/api/v1/knowledge/6', '/api/v1/knowledge/7')).toBe(true);
    expect(accepts({ regex: '^\\d+$' }, '6', 'six')).toBe(false);
    expect(accepts({ regex: '^\\d+$' }, 6, '6')).toBe(false);
    expect(() => compileMatcher({ regex: '(' })).toThrow(MatcherArgumentError);
  });

  it('tolerance is absolute or relative to the v1 value', () => {
    expect(accepts({ tolerance: 0.5 }, 10, 10.5)).toBe(true);
    expect(accepts({ tolerance: 0.5 }, 10, 10.6)).toBe(false);
    expect(accepts({ tolerance: '5%' }, 200, 209)).toBe(true);
    expect(accepts({ tolerance: '5%' }, 200, 211)).toBe(false);
    expect(accepts({ tolerance: 1 }, '10', 10)).toBe(false);
    expect(() => compileMatcher({ tolerance: -1 })).toThrow(/non-negative/);
  });

  it('timestamp windows accept ISO, HTTP-date and epoch values', () => {
    expect(accepts({ timestamp: '5s' }, '2026-01-01T00:00:00Z', '2026-01-01T00:00:04.900Z')).toBe(true);
    expect(accepts({ timestamp: '5s' }, '2026-01-01T00:00:00Z', '2026-01-01T00:00:06Z')).toBe(false);
    expect(accepts({ timestamp: '1m' }, 'Thu, 01 Jan 2026 00:00:00 GMT', 1767225630)).toBe(true);
    expect(accepts('timestamp', '2026-01-01T00:00:00Z', 'not a date')).toBe(false);
    expect(() => compileMatcher({ timestamp: 'soon' })).toThrow(/window/);
  });

  it('explains unknown rules and wrong shapes', () => {
    expect(() => compileMatcher('regx')).toThrow(/unknown matcher "regx"; matchers: type, regex/);
    expect(() => compileMatcher('regex')).toThrow(/needs an argument/);
    expect(() => compileMatcher({ type: true, regex: 'a' })).toThrow(/exactly one rule/);
  });
});

describe('the normaliser', () => {
  it('keeps only the chosen headers, with media types and same-origin locations normalised', () => {
    const view = comparedView(
      { status: 201, headers: { 'content-type': 'Application/JSON; Charset=UTF-8', location: 'http://127.0.0.1:9/api/v1/knowledge/6', date: 'now', 'x-total-count': '5' }, body: { id: 6 } },
      { headers: ['content-type', 'location', 'x-total-count'], origin: 'http://127.0.0.1:9' },
    );
    expect(view).toEqual({ status: 201, headers: { 'content-type': 'application/json', location: '/api/v1/knowledge/6', 'x-total-count': '5' }, body: { id: 6 } });
    const other = comparedView({ status: 204, headers: { location: 'https://elsewhere.test/x' }, body: undefined }, { headers: ['location'], origin: 'http://127.0.0.1:9' });
    expect(other).toEqual({ status: 204, headers: { location: 'https://elsewhere.test/x' } });
  });
});

describe('noise learning and labels', () => {
  const noise = new NoiseModel();
  noise.learn(0, { status: 200, headers: {}, body: { id: 1, at: 't1', meta: { took: 3 } } }, { status: 200, headers: {}, body: { id: 1, at: 't2', meta: { took: 4 } } });

  it('learns where two v1 answers disagree, per step, including everything below', () => {
    expect(noise.places(0)).toEqual(['/body/at', '/body/meta/took']);
    expect(noise.isNoise(0, ['body', 'at'])).toBe(true);
    expect(noise.isNoise(0, ['body', 'meta', 'took', 'ms'])).toBe(true);
    expect(noise.isNoise(0, ['body', 'meta'])).toBe(false);
    expect(noise.isNoise(1, ['body', 'at'])).toBe(false);
  });

  it('labels matcher, ignore rule and learnt noise before asking the mapping, and unexplained last', () => {
    const context = { step: 0, endpoint: 'get-thing', ignore: [parsePattern('body.etag')], noise, actor: 'the gateway', explain: () => ({ explained: true as const, reason: 'mapped' }) };
    expect(labelDifference({ segments: ['body', 'x'], v1: 1, actual: 2, accepted: 'type-only' }, context)).toMatchObject({ label: 'noise', reason: 'accepted by matcher: type-only' });
    expect(labelDifference({ segments: ['body', 'etag'], v1: 'a', actual: 'b' }, context)).toMatchObject({ label: 'noise', reason: 'ignore rule body.etag' });
    expect(labelDifference({ segments: ['body', 'at'], v1: 't1', actual: 't3' }, context)).toMatchObject({ label: 'noise', pointer: '/body/at' });
    expect(labelDifference({ segments: ['body', 'x'], v1: 1, actual: 2 }, context)).toMatchObject({ label: 'explained', reason: 'mapped', endpoint: 'get-thing', step: 0 });
    expect(labelDifference({ segments: ['body', 'content'], v1: 'c', actual: undefined }, { ...context, explain: () => undefined })).toEqual({
      pointer: '/body/content',
      v1: 'c',
      label: 'unexplained',
      reason: 'v1 sends this; the gateway does not',
      endpoint: 'get-thing',
      step: 0,
    });
  });
});

describe('explained means produced', () => {
  const document: MappingDocument = {
    name: 'explain',
    upstream: 'http://127.0.0.1:1',
    lifecycle: { deprecation: '2026-06-01', guide: 'https://example.com/migrate' },
    resources: {
      Task: [
        { scale: { field: 'priority', v1: [1, 5], v2: [1, 10] } },
        { rename: { v1: 'content', v2: 'body' } },
      ],
    },
    endpoints: [
      {
        id: 'get-task',
        v1: 'GET /tasks/{id}',
        v2: 'GET /v2/tasks/{id}',
        response: [{ resource: { at: 'body', is: 'Task' } }, { set: { path: 'body.legacy', value: 0 } }, { set: { path: 'body.name', value: '${body.title}' } }, { remove: 'body.internal' }],
      },
      { id: 'execute', v1: 'POST /execute', removed: { status: 410, replacement: 'POST /v2/tasks' } },
    ],
    errors: [{ when: { status: '>=400' }, response: [{ set: { path: 'headers.content-type', value: 'application/json' } }] }],
  };
  const { table } = compileMapping(document);
  const inventory = buildRuleInventory(table!, document);
  /** The trace of translating one v2 answer, as the checker's own run of the exchange records it. */
  const traced = (v2: Partial<HttpMessage>, endpointId = 'get-task') => {
    const endpoint = table!.endpoints.find((e) => e.id === endpointId)!;
    const trace: TraceEntry[] = [];
    translateResponse(table!, endpoint, emptyMessage({ status: 200, ...v2 }), trace);
    return trace.filter((entry) => entry.changed);
  };
  const context = (id: string, extra: Partial<ExplainContext> = {}): ExplainContext => ({
    endpoint: table!.endpoints.find((e) => e.id === id),
    inventory,
    lifecycle: table!.lifecycle,
    gatewayStatus: 200,
    writers: [],
    ...extra,
  });
  const task = { id: '7', priority: 5, body: 'text', title: 't', internal: 'x' };

  it('explains the lifecycle headers the gateway adds, and nothing else in their place', () => {
    expect(explainDifference(['headers', 'link'], undefined, '<https://example.com/migrate>; rel="deprecation"; type="text/html"', context('get-task'))).toMatchObject({ explained: true, reason: expect.stringMatching(/lifecycle/) });
    expect(explainDifference(['headers', 'deprecation'], undefined, '@1780272000', context('get-task'))).toMatchObject({ explained: true, reason: expect.stringMatching(/RFC 9745/) });
    expect(explainDifference(['headers', 'sunset'], undefined, 'Mon, 01 Mar 2027 00:00:00 GMT', context('get-task'))?.explained).toBe(false);
    expect(explainDifference(['headers', 'link'], '</page/2>; rel="next"', '<https://example.com/migrate>; rel="deprecation"', context('get-task'))?.explained).toBe(false);
  });

  it('explains everything about a removed endpoint only when the gateway answers the configured status', () => {
    expect(explainDifference(['status'], 202, 410, context('execute', { gatewayStatus: 410 }))).toMatchObject({ explained: true, reason: expect.stringMatching(/endpoint removed .*replacement: POST \/v2\/tasks/) });
    expect(explainDifference(['status'], 202, 404, context('execute', { gatewayStatus: 404 }))?.explained).toBe(false);
  });

  it('never explains a constant the mapping sets that differs from v1, and names the rule instead', () => {
    const writers = traced({ body: task });
    const legacy = explainDifference(['body', 'legacy'], 42, 0, context('get-task', { writers }));
    expect(legacy).toEqual({ explained: false, hint: expect.stringMatching(/constant or template here \(set at \/endpoints\/0\/response\/1\)/), rule: { pointer: '/endpoints/0/response/1', op: 'set' } });
    expect(explainDifference(['body', 'name'], 'a', 't', context('get-task', { writers }))).toMatchObject({ explained: false, rule: { pointer: '/endpoints/0/response/2' } });
  });

  it('never explains a value by an error rule that did not run for this exchange', () => {
    // A 200: the error rule that sets content-type did not run, whatever it would have written.
    const success = traced({ headers: { 'content-type': 'application/vnd.api+json' }, body: task });
    expect(explainDifference(['headers', 'content-type'], 'application/json', 'application/vnd.api+json', context('get-task', { writers: success }))).toEqual({ explained: false, hint: expect.stringMatching(/v2's own value/) });
    // A 404 it ran for: the constant still differs from v1's, so it is a break with a hint.
    const failure = traced({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: {} });
    expect(explainDifference(['headers', 'content-type'], 'text/plain', 'application/json', context('get-task', { writers: failure, gatewayStatus: 404 }))).toMatchObject({ explained: false, rule: { pointer: '/errors/0/response/0', op: 'set' } });
  });

  it('explains nothing on a route the mapping does not know, or without a trace of the exchange', () => {
    expect(explainDifference(['body', 'error'], undefined, { code: 'x' }, context('none', { gatewayStatus: 404 }))).toEqual({ explained: false, hint: expect.stringMatching(/no mapping endpoint matches/) });
    expect(explainDifference(['body', 'legacy'], 42, 0, context('get-task', { writers: undefined, untraced: 'the floor failed' }))).toEqual({ explained: false, hint: expect.stringMatching(/the floor failed/) });
  });

  it('explains a removal the trace shows, and rounding by a lossy scale within one v1 step where the resource ran', () => {
    const writers = traced({ body: task });
    expect(explainDifference(['body', 'internal'], 'x', undefined, context('get-task', { writers }))).toMatchObject({ explained: true, reason: expect.stringMatching(/removed by the mapping \(remove at \/endpoints\/0\/response\/3\)/) });
    expect(explainDifference(['body', 'priority'], 3, 2, context('get-task', { writers }))).toMatchObject({ explained: true, reason: expect.stringMatching(/lossy \(scale at \/resources\/Task\/0\)/) });
    expect(explainDifference(['body', 'priority'], 3, 5, context('get-task', { writers }))?.explained).toBe(false);
    expect(explainDifference(['body', 'priority'], 3, 2, context('get-task', { writers: [] }))?.explained).toBe(false);
  });

  it('never explains a field a lossless rule should have produced', () => {
    const writers = traced({ body: task });
    expect(explainDifference(['body', 'content'], 'other', 'text', context('get-task', { writers }))).toMatchObject({ explained: false, rule: { op: 'resource' } });
    expect(explainDifference(['body', 'body'], undefined, 'text', context('get-task', { writers: [] }))?.explained).toBe(false);
  });
});

describe('arrays compared as sequences', () => {
  const found = (v1: unknown, actual: unknown) => diffJson(v1, actual).map((d) => ({ at: toPointer(d.segments), ...(d.order ? { order: true } : {}) }));

  it('reports a reordered array once, as "order differs"', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(found({ tags: items }, { tags: [...items].reverse() })).toEqual([{ at: '/tags', order: true }]);
    const [difference] = diffJson({ tags: items }, { tags: [...items].reverse() });
    expect(labelDifference(difference!, { step: 0, endpoint: 'e', ignore: [], noise: new NoiseModel(), actor: 'the gateway' }).reason).toBe('order differs: the gateway sends the same elements in another order');
  });

  it('pairs items by id: a moved item is one finding, a changed field stays at its own place', () => {
    const v1 = [{ id: 1, n: 'a' }, { id: 2, n: 'b' }, { id: 3, n: 'c' }];
    const moved = [{ id: 2, n: 'b' }, { id: 3, n: 'c' }, { id: 1, n: 'a' }];
    expect(diffJson(v1, moved)).toEqual([{ segments: [], v1: ['1', '2', '3'], actual: ['2', '3', '1'], order: true }]);
    expect(found(v1, [{ id: 1, n: 'a' }, { id: 2, n: 'B' }, { id: 3, n: 'c' }])).toEqual([{ at: '/1/n' }]);
    // An id that changed type is one difference per item, not a missing and an extra item.
    expect(found(v1, v1.map((item) => ({ ...item, id: String(item.id) })))).toEqual([{ at: '/0/id' }, { at: '/1/id' }, { at: '/2/id' }]);
    expect(found(v1, [v1[0], v1[2]])).toEqual([{ at: '/1' }]);
  });

  it('aligns arrays without ids on their common elements: one missing element is one finding', () => {
    expect(found(['a', 'b', 'c', 'd'], ['a', 'c', 'd'])).toEqual([{ at: '/1' }]);
    expect(found(['a', 'b', 'c'], ['a', 'x', 'b', 'c'])).toEqual([{ at: '/1' }]);
    expect(found([1, 2, 3], [1, 5, 3])).toEqual([{ at: '/1' }]);
  });
});
