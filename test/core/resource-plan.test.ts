import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../src/core/mapping/compile.js';
import type { CompiledResource } from '../../src/core/transform/op.js';
import { plannedResourceTransform } from '../../src/core/transform/resource-plan.js';
import type { StepDocument } from '../../src/core/model/mapping.js';
import { mappingDocument } from './mapping-builders.js';

/*
 * Resource rules run through a plan per object shape (resource-plan.ts) must give exactly what
 * running them op by op gives: the same keys in the same order, the same values, the same
 * error when a value cannot be converted. Generated rule lists over a small set of names (so
 * that rules meet each other) and generated objects (which often, but not always, have the
 * shapes the rules expect).
 */

const KEYS = ['a', 'b', 'c', 'd'];
const key = fc.constantFrom(...KEYS);
const fieldPath = fc.oneof(key, fc.tuple(key, key).map(([outer, inner]) => `${outer}.${inner}`));

const rule: fc.Arbitrary<StepDocument> = fc.oneof(
  fc.tuple(fc.constantFrom('', 'a.', 'b.'), key, key).filter(([, from, to]) => from !== to).map(([parent, from, to]) => ({ rename: { v1: parent + from, v2: parent + to } })),
  fc.tuple(fieldPath, fieldPath).filter(([from, to]) => from !== to).map(([v1, v2]) => ({ move: { v1, v2 } })),
  fc.tuple(fc.oneof(fieldPath, key.map((name) => `${name}[]`)), fc.boolean()).map(([field, toString]) => ({
    coerce: { field, v1: toString ? 'integer' : 'string', v2: toString ? 'string' : 'integer' },
  })),
  fieldPath.map((field) => ({ enum: { field, map: { x: 'X', y: 'Y' } } })),
  fieldPath.map((field) => ({ scale: { field, v1: [1, 5], v2: [1, 10] } })),
  fc.tuple(key, key).map(([outer, inner]) => ({ wrap: `${outer}.${inner}` })),
  fc.tuple(key, key).map(([outer, inner]) => ({ unwrap: `${outer}.${inner}` })),
);

const scalar = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom('1', '7', 'x', 'y', 'X', 'text', ' 3 ', null, true));
const member = fc.oneof(key, fc.constantFrom('z', 'constructor'), fc.constantFrom('0', '12'));
const value: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.dictionary(member, tie('node'), { maxKeys: 4 }),
  ),
})).node;
const object = fc.dictionary(member, value, { maxKeys: 5 });

function compiledResource(rules: StepDocument[]): CompiledResource | undefined {
  const { table } = compileMapping(mappingDocument({ resources: { R: rules } }));
  return table?.resources.get('R');
}

type Outcome = { result: string } | { error: string };

function outcome(transform: (value: unknown) => unknown, input: unknown): Outcome {
  try {
    // Undefined members are kept visible: they are still keys of the result.
    return { result: JSON.stringify(transform(structuredClone(input)), (_key, member: unknown) => (member === undefined ? '<undefined>' : member)) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe('resource rules run through a plan per shape', () => {
  it('give exactly what the rules give op by op, in both directions, for every object of a list', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 5 }), fc.array(object, { minLength: 1, maxLength: 6 }), (rules, objects) => {
        const resource = compiledResource(rules);
        fc.pre(resource !== undefined);
        for (const [direction, opByOp] of [['to-v2', resource!.toV2], ['to-v1', resource!.toV1]] as const) {
          // One planned transform for the whole list: later objects reuse the plans of earlier ones.
          const planned = plannedResourceTransform(resource!.rules, direction, opByOp);
          // Each object twice, so every shape is met once unplanned and once planned.
          for (const input of [...objects, ...objects]) expect(outcome(planned, input)).toEqual(outcome(opByOp, input));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('plans the example Knowledge rules and builds plain objects with the v1 keys in the op-by-op order', () => {
    const resource = compiledResource([
      { coerce: { field: 'id', v1: 'integer', v2: 'string' } },
      { rename: { v1: 'content', v2: 'body' } },
      { rename: { v1: 'type', v2: 'knowledge_type' } },
      { move: { v1: 'tags', v2: 'metadata.tags' } },
      { coerce: { field: 'related_ids[]', v1: 'integer', v2: 'string' } },
    ])!;
    const toV1 = plannedResourceTransform(resource.rules, 'to-v1', resource.toV1);
    const item = (id: string) => ({ id, title: 't', body: 'b', knowledge_type: 'note', metadata: { tags: ['x'] }, related_ids: ['2'] });
    const expected = resource.toV1(item('7'));
    expect(Object.keys(expected as object)).toEqual(['id', 'title', 'related_ids', 'tags', 'type', 'content']);
    expect(toV1(item('7'))).toEqual(expected);
    expect(JSON.stringify(toV1(item('8')))).toBe(JSON.stringify(resource.toV1(item('8'))));
    expect(() => toV1(item('eight'))).toThrow(/expected an integer at id/);
  });

  it('leaves rules that are not field edits to the op-by-op transform', () => {
    const opByOp = (value: unknown) => value;
    const notAnEdit = { op: 'fn', description: '', apply: opByOp, undo: opByOp, lossy: false, reads: [], writes: [] };
    expect(plannedResourceTransform([notAnEdit], 'to-v2', opByOp)).toBe(opByOp);
  });
});
