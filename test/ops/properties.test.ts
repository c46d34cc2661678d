import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledOp } from '../../src/core/transform/op.js';
import { collect, getValue, parseFieldPath, removeValue, setValue, updateEach, type Segment } from '../../src/core/transform/path.js';
import { compileResources, forward, inverse, OpArgumentError, requestStep, resourceRule, responseStep, roundTrip } from './compile-op.js';

/*
 * Properties over generated JSON documents. Every run is bounded (numRuns ≤ 200) so the suite
 * stays fast; a failure prints the smallest counterexample fast-check found.
 */
const runs = { numRuns: 200 };

/** Field names, including ones Object.prototype also has, which must never be read from it. */
const name = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), fc.constantFrom('constructor', 'valueOf', 'hasOwnProperty'));
const json = fc.jsonValue({ maxDepth: 2 });

/** An object with generated fields other than `reserved`, plus the optional `fields` given. */
function resource(reserved: readonly string[], fields: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const others = fc.dictionary(
    name.filter((key) => !reserved.includes(key)),
    json,
    { maxKeys: 4 },
  );
  return fc.tuple(others, fc.record(fields, { requiredKeys: [] })).map(([rest, own]) => ({ ...rest, ...own }));
}

const integerOrNull = fc.oneof(fc.integer(), fc.constant(null));

interface RuleCase {
  rule: string;
  op: CompiledOp;
  v1: fc.Arbitrary<unknown>;
}

const statusMap = { pending: 'PENDING', running: 'RUNNING', done: 'COMPLETED' };

const invertibleRules: RuleCase[] = [
  {
    rule: 'rename content → body',
    op: resourceRule('rename', { v1: 'content', v2: 'body' }),
    v1: resource(['content', 'body'], { content: json }),
  },
  {
    rule: 'rename inside list elements',
    op: resourceRule('rename', { v1: 'lines[].qty', v2: 'lines[].quantity' }),
    v1: resource(['lines'], { lines: fc.array(fc.record({ qty: json, sku: json }, { requiredKeys: [] }), { maxLength: 4 }) }),
  },
  {
    rule: 'move tags → metadata.tags (nest)',
    op: resourceRule('move', { v1: 'tags', v2: 'metadata.tags' }),
    v1: resource(['tags', 'metadata'], {
      tags: json,
      metadata: fc.dictionary(
        name.filter((key) => key !== 'tags'),
        json,
        { minKeys: 1, maxKeys: 3 },
      ),
    }),
  },
  {
    rule: 'move metadata.timeout_seconds → timeout_seconds (promote)',
    op: resourceRule('move', { v1: 'metadata.timeout_seconds', v2: 'timeout_seconds' }),
    v1: resource(['metadata', 'timeout_seconds'], { metadata: resource(['timeout_seconds'], { timeout_seconds: json }) }),
  },
  {
    rule: 'move items[].name → names[] (pluck a list)',
    op: resourceRule('move', { v1: 'items[].name', v2: 'names[]' }),
    v1: resource(['items', 'names'], { items: fc.array(resource(['name'], { name: json }), { maxLength: 4 }) }),
  },
  {
    rule: 'coerce id integer ↔ string',
    op: resourceRule('coerce', { field: 'id', v1: 'integer', v2: 'string' }),
    v1: resource(['id'], { id: integerOrNull }),
  },
  {
    rule: 'coerce related_ids[] integer ↔ string',
    op: resourceRule('coerce', { field: 'related_ids[]', v1: 'integer', v2: 'string' }),
    v1: resource(['related_ids'], { related_ids: fc.array(integerOrNull, { maxLength: 5 }) }),
  },
  {
    rule: 'coerce amount number ↔ string',
    op: resourceRule('coerce', { field: 'amount', v1: 'number', v2: 'string' }),
    v1: resource(['amount'], { amount: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)) }),
  },
  {
    rule: 'coerce active boolean ↔ string',
    op: resourceRule('coerce', { field: 'active', v1: 'boolean', v2: 'string' }),
    v1: resource(['active'], { active: fc.oneof(fc.boolean(), fc.constant(null)) }),
  },
  {
    rule: 'enum status',
    op: resourceRule('enum', { field: 'status', map: statusMap }),
    v1: resource(['status'], {
      status: fc.oneof(
        fc.constantFrom(...Object.keys(statusMap)),
        fc.constant(null),
        fc.string().filter((text) => !Object.values(statusMap).includes(text)),
      ),
    }),
  },
  {
    rule: 'scale priority [1, 5] → [1, 10]',
    op: resourceRule('scale', { field: 'priority', v1: [1, 5], v2: [1, 10] }),
    v1: resource(['priority'], { priority: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(null)) }),
  },
  {
    rule: 'wrap location.coordinates',
    op: resourceRule('wrap', 'location.coordinates'),
    v1: resource(['location'], { location: json }),
  },
  {
    rule: 'unwrap location.coordinates',
    op: resourceRule('unwrap', 'location.coordinates'),
    v1: resource(['location'], { location: fc.record({ coordinates: json }) }),
  },
];

describe('every invertible resource rule round-trips v1 → v2 → v1', () => {
  it.each(invertibleRules)('$rule', ({ op, v1 }) => {
    fc.assert(
      fc.property(v1, (document) => {
        expect(roundTrip(op, document)).toEqual(document);
      }),
      runs,
    );
  });

  it('a whole resource (the example Knowledge rules) round-trips', () => {
    const knowledge = compileResources({
      Knowledge: [
        { coerce: { field: 'id', v1: 'integer', v2: 'string' } },
        { rename: { v1: 'content', v2: 'body' } },
        { rename: { v1: 'type', v2: 'knowledge_type' } },
        { move: { v1: 'tags', v2: 'metadata.tags' } },
        { coerce: { field: 'related_ids[]', v1: 'integer', v2: 'string' } },
      ],
    }).get('Knowledge')!;
    const v1 = resource(['id', 'content', 'body', 'type', 'knowledge_type', 'tags', 'metadata', 'related_ids'], {
      id: fc.integer({ min: 0 }),
      content: json,
      type: fc.constantFrom('note', 'document'),
      tags: fc.array(fc.string(), { maxLength: 3 }),
      related_ids: fc.array(fc.integer({ min: 0 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(v1, (document) => {
        expect(knowledge.toV1(knowledge.toV2(structuredClone(document)))).toEqual(document);
      }),
      runs,
    );
  });
});

describe('onMismatch: keep', () => {
  it('coerce gives back every v2 id, an integer\'s text or a string that is none, through v2 → v1 → v2', () => {
    const ids = resourceRule('coerce', { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'keep' });
    // Padded digits (" 5", "007") read as integers and come back normalised, with or without keep.
    const notAnInteger = fc.string().filter((text) => !/^\s*-?\d+\s*$/.test(text));
    const v2Id = fc.oneof(fc.integer().map(String), notAnInteger, fc.constant(null));
    fc.assert(
      fc.property(v2Id, (id) => {
        expect(forward(ids, inverse(ids, { id }))).toEqual({ id });
      }),
      runs,
    );
  });

  it('enum gives back every value that is not spelled like a listed value of the other version', () => {
    const rule = resourceRule('enum', { field: 'status', map: statusMap, onMismatch: 'keep' });
    const v1Status = fc.oneof(fc.constantFrom(...Object.keys(statusMap)), json.filter((value) => !Object.values(statusMap).includes(value as string)));
    fc.assert(
      fc.property(v1Status, (status) => {
        expect(roundTrip(rule, { status })).toEqual({ status });
      }),
      runs,
    );
  });
});

describe('deep resources', () => {
  /*
   * A v1 document of any shape in which every object is a valid v1 object of the resource: `id`
   * an integer, no `title` (the v2 name of `name`), and `timeout` never beside a `meta` key.
   */
  const deepResources = compileResources({
    Entity: [
      { coerce: { field: 'id', v1: 'integer', v2: 'string', onMismatch: 'keep' } },
      { rename: { v1: 'name', v2: 'title' } },
      { move: { v1: 'timeout', v2: 'meta.timeout' } },
    ],
  });
  const reserved = ['id', 'name', 'title', 'timeout', 'meta'];
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, json, tie('list'), tie('entity')),
    list: fc.array(tie('tree'), { maxLength: 3 }),
    entity: fc
      .tuple(
        fc.dictionary(name.filter((key) => !reserved.includes(key)), tie('tree'), { maxKeys: 3 }),
        fc.record({ id: fc.oneof(fc.integer(), fc.constant(null)), name: json, timeout: json }, { requiredKeys: [] }),
      )
      .map(([rest, own]) => ({ ...rest, ...own })),
  }));
  /** jsonValue may put reserved keys inside its own objects; drop them so every object stays valid v1. */
  const asV1 = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(asV1);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value).map(([key, child]) => [key, asV1(child)] as const);
    const valid = entries.filter(([key, child]) => (key === 'id' ? child === null || Number.isInteger(child) : key !== 'title' && key !== 'meta'));
    return Object.fromEntries(valid);
  };
  const request = requestStep('resource', { at: 'body', is: 'Entity', deep: true }, { resources: deepResources });
  const response = responseStep('resource', { at: 'body', is: 'Entity', deep: true }, { resources: deepResources });

  it('v1 → v2 → v1 gives back every document whose objects are all valid v1 objects', () => {
    fc.assert(
      fc.property(tree.map(asV1), (body) => {
        expect(roundTrip(request, { body })).toEqual({ body });
      }),
      runs,
    );
  });

  it('a response step is the exact inverse of the request step', () => {
    fc.assert(
      fc.property(tree.map(asV1), (body) => {
        expect(forward(response, forward(request, { body }))).toEqual({ body });
        expect(inverse(response, { body })).toEqual(forward(request, { body }));
      }),
      runs,
    );
  });
});

describe('scale', () => {
  const integersOf = ([a, b]: readonly [number, number]): number[] => Array.from({ length: Math.abs(b - a) + 1 }, (_, i) => Math.min(a, b) + i);
  const through = (op: CompiledOp, run: typeof forward, value: number) => (run(op, { p: value }) as { p: number }).p;
  const range = (low: number, width: number, flip: boolean): [number, number] => (flip ? [low + width, low] : [low, low + width]);

  it('compiles for any integer v2 range at least as wide as v1, and v1 → v2 → v1 is exact for every v1 integer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (low1, width1, low2, extra, flip) => {
          const v1 = range(low1, width1, false);
          const rule = resourceRule('scale', { field: 'p', v1, v2: range(low2, width1 + extra, flip) });
          for (const value of integersOf(v1)) expect(through(rule, inverse, through(rule, forward, value))).toBe(value);
        },
      ),
      runs,
    );
  });

  it('flags lossy exactly when some v2 integer does not survive v2 → v1 → v2', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 30 }), (low1, width1, low2, width2) => {
        let rule: CompiledOp;
        try {
          rule = resourceRule('scale', { field: 'p', v1: range(low1, width1, false), v2: range(low2, width2, false) });
        } catch (error) {
          if (error instanceof OpArgumentError) return; // rejected ranges are checked by the test above and scale.test.ts
          throw error;
        }
        const survivors = integersOf(range(low2, width2, false)).map((value) => through(rule, forward, through(rule, inverse, value)) === value);
        expect(rule.lossy).toBe(survivors.includes(false));
      }),
      runs,
    );
  });
});

describe('path laws', () => {
  const segment: fc.Arbitrary<Segment> = fc.oneof({ weight: 3, arbitrary: name.map((key): Segment => ({ kind: 'key', key })) }, { weight: 1, arbitrary: fc.constant<Segment>({ kind: 'each' }) });
  /** Field path text for segments, e.g. `a.b[][].c`. */
  const render = (segments: readonly Segment[]): string =>
    segments.reduce((text, part) => (part.kind === 'each' ? `${text}[]` : text === '' ? part.key : `${text}.${part.key}`), '');
  const keyPath = fc.array(name, { minLength: 1, maxLength: 4 }).map((keys) => parseFieldPath(keys.join('.')));
  const anyPath = fc
    .tuple(name, fc.array(segment, { maxLength: 4 }))
    .map(([first, rest]) => parseFieldPath(render([{ kind: 'key', key: first }, ...rest])));
  const record = fc.dictionary(name, json, { maxKeys: 4 });

  it('parsing the text of a field path gives back its segments', () => {
    fc.assert(
      fc.property(fc.tuple(name, fc.array(segment, { maxLength: 5 })), ([first, rest]) => {
        const segments: Segment[] = [{ kind: 'key', key: first }, ...rest];
        const path = parseFieldPath(render(segments));
        expect(path.segments).toEqual(segments);
        expect(path.wildcards).toBe(rest.filter((part) => part.kind === 'each').length);
      }),
      runs,
    );
  });

  it('a value set at a path is the value read there', () => {
    fc.assert(
      fc.property(record, keyPath, json, (root, path, value) => {
        expect(getValue(setValue(structuredClone(root), path, value), path)).toEqual(value);
      }),
      runs,
    );
  });

  it('a value set under [] with given indices is collected at those indices', () => {
    fc.assert(
      fc.property(record, anyPath, json, fc.array(fc.nat(3), { minLength: 4, maxLength: 4 }), (root, path, value, allIndices) => {
        const indices = allIndices.slice(0, path.wildcards);
        const found = collect(setValue(structuredClone(root), path, value, indices), path);
        expect(found).toContainEqual({ value, indices });
      }),
      runs,
    );
  });

  it('after a removal the path reaches nothing', () => {
    fc.assert(
      fc.property(fc.oneof(record, json), anyPath, (root, path) => {
        const document = structuredClone(root);
        removeValue(document, path);
        expect(collect(document, path)).toEqual([]);
      }),
      runs,
    );
  });

  it('setting a path the document lacks, then removing it, gives back the document', () => {
    fc.assert(
      fc.property(record, anyPath, json, (root, path, value) => {
        const first = (path.segments[0] as { key: string }).key;
        const document: Record<string, unknown> = structuredClone(root);
        delete document[first];
        const expected = structuredClone(document);
        const written = setValue(document, path, value, new Array<number>(path.wildcards).fill(0));
        removeValue(written, path);
        expect(written).toEqual(expected);
      }),
      runs,
    );
  });

  it('collect visits list elements in order, skipping elements without the field', () => {
    fc.assert(
      fc.property(fc.array(fc.option(json, { nil: undefined }), { maxLength: 6 }), (values) => {
        const document = { items: values.map((value) => (value === undefined ? {} : { v: value })) };
        const expected = values.flatMap((value, index) => (value === undefined ? [] : [{ value, indices: [index] }]));
        expect(collect(document, parseFieldPath('items[].v'))).toEqual(expected);
      }),
      runs,
    );
  });

  it('updating every value with the identity changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(record, json), anyPath, (root, path) => {
        expect(updateEach(structuredClone(root), path, (value) => value)).toEqual(root);
      }),
      runs,
    );
  });
});
