import type { CompiledOp, FieldEdit } from './op.js';
import { isRecord, updateEach, type Segment, type ValuePath } from './path.js';

/*
 * Resource rules as one plan per object shape.
 *
 * Run op by op, the rules of a resource rename and move fields with `delete`, which turns every
 * object of a list into a slow dictionary-mode object (slower to change, and to serialise). But
 * what moves where depends only on the object's shape: which keys its objects have, in which
 * order. So the first object of each shape is simulated op by op on a model of that shape, with
 * exactly the semantics of path.ts and transfer.ts, and the result is kept as a plan: which input
 * value ends up under which key, and which conversions run on it, in which order. Objects of the
 * same shape are then built directly, as fresh objects with their final keys in their final
 * order, the way a hand-written translation would build them.
 *
 * A plan records everything it assumed about the shape and is only used for objects that match
 * it; anything the model does not cover (array-index keys, `__proto__`, a conversion of a whole
 * object, walking into a converted value) leaves that shape to the op-by-op rules. The property
 * test in test/core/resource-plan.test.ts holds the two to the same results.
 */

type Transform = (value: unknown) => unknown;
/** Keys from the root of the resource object down to a value of the input. */
type Location = readonly string[];

interface RecordNode {
  kind: 'record';
  entries: Map<string, ModelNode>;
}

/** A value of the input taken as a whole: it is read once and put wherever it ends up. */
interface LeafNode {
  kind: 'leaf';
  source: Location;
  /** Set once a conversion is queued for it: its shape is no longer the input's. */
  converted: boolean;
  /** Where a plan keeps this value while it builds an object. */
  slot: number;
}

type ModelNode = RecordNode | LeafNode;

/**
 * An assumption a plan rests on: the object in `parentSlot` (-1: the resource object itself)
 * has exactly these keys, in this order, none undefined; their values go to consecutive slots
 * from `firstSlot`.
 */
interface RecordCheck {
  parentSlot: number;
  keys: readonly string[];
  firstSlot: number;
}

interface QueuedConversion {
  leaf: LeafNode;
  /** Below the leaf, for paths with `[]` (the leaf is the array, or holds it). */
  below?: ValuePath;
  convert: Transform;
}

interface Plan {
  /** Checks the object against the plan's shape, filling `values` on the way; false if it does not fit. */
  read(value: Record<string, unknown>, values: unknown[]): boolean;
  /** The translated object, from the values read. */
  build(values: unknown[]): unknown;
}

/**
 * Shapes planned per resource direction, and objects the model may fail to plan, before no new
 * plans are derived (the plans made stay in use): past either, objects share no common shape
 * and deriving would only add cost.
 */
const MAX_PLANS = 16;
const MAX_UNPLANNABLE = 16;

class Unplannable extends Error {}

/**
 * The resource's rules in one direction (`apply` in rule order for v1 -> v2, `undo` in reverse
 * for v2 -> v1) as a planned transform, or `opByOp` itself when some rule is not a field edit.
 */
export function plannedResourceTransform(rules: readonly CompiledOp[], direction: 'to-v2' | 'to-v1', opByOp: Transform): Transform {
  const ordered = direction === 'to-v2' ? rules : [...rules].reverse();
  const edits: FieldEdit[] = [];
  for (const rule of ordered) {
    const edit = direction === 'to-v2' ? rule.edit : rule.undoEdit;
    if (!edit || !plannable(edit)) return opByOp;
    edits.push(edit);
  }
  if (edits.length === 0) return opByOp;
  const plans: Plan[] = [];
  let unplannable = 0;
  return (value) => {
    if (!isRecord(value)) return opByOp(value);
    const values: unknown[] = [];
    for (let i = 0; i < plans.length; i++) if (plans[i]!.read(value, values)) return plans[i]!.build(values);
    if (plans.length >= MAX_PLANS || unplannable >= MAX_UNPLANNABLE) return opByOp(value);
    const plan = derivePlan(edits, value);
    if (!plan?.read(value, values)) {
      unplannable++;
      return opByOp(value);
    }
    plans.push(plan);
    return plan.build(values);
  };
}

function plannable(edit: FieldEdit): boolean {
  if (edit.kind === 'relocate') return keysOnly(edit.from) && keysOnly(edit.to) && edit.from.segments.length > 0 && edit.to.segments.length > 0;
  return edit.path.segments.length > 0 && edit.path.segments[0]!.kind === 'key' && edit.path.segments.every(safeSegment);
}

function keysOnly(path: ValuePath): boolean {
  return path.wildcards === 0 && path.segments.every(safeSegment);
}

/** Keys whose object semantics a Map does not share: numeric keys sort first, `__proto__` is the prototype. */
function safeSegment(segment: Segment): boolean {
  return segment.kind === 'each' || safeKey(segment.key);
}

function safeKey(key: string): boolean {
  return key !== '__proto__' && !(/^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1);
}

function derivePlan(edits: readonly FieldEdit[], input: Record<string, unknown>): Plan | undefined {
  try {
    const model = new ShapeModel(input);
    for (const edit of edits) {
      if (edit.kind === 'relocate') model.relocate(edit.from, edit.to, edit.convert);
      else model.update(edit.path, edit.update);
    }
    return model.plan();
  } catch (error) {
    if (error instanceof Unplannable) return undefined;
    throw error;
  }
}

/** The input object as records (where the edits look inside) and leaves (values taken whole). */
class ShapeModel {
  private readonly leaves: LeafNode[] = [];
  private readonly recordChecks: RecordCheck[] = [];
  /** Slots whose values the model found not to be objects. */
  private readonly notRecords = new Set<number>();
  private readonly conversions: QueuedConversion[] = [];
  private readonly root: RecordNode;

  constructor(private readonly input: Record<string, unknown>) {
    this.root = this.expand(input, [], -1);
  }

  private expand(value: Record<string, unknown>, location: Location, parentSlot: number): RecordNode {
    const keys = Object.keys(value);
    const entries = new Map<string, ModelNode>();
    const firstSlot = this.leaves.length;
    for (const key of keys) {
      // An undefined member reads as absent to the ops but still counts as a key: not modelled.
      if (!safeKey(key) || value[key] === undefined) throw new Unplannable();
      const leaf: LeafNode = { kind: 'leaf', source: [...location, key], converted: false, slot: this.leaves.length };
      this.leaves.push(leaf);
      entries.set(key, leaf);
    }
    this.recordChecks.push({ parentSlot, keys, firstSlot });
    return { kind: 'record', entries };
  }

  /** The record a walk can go into at `parent[key]`, opening an input leaf that holds one. */
  private recordAt(parent: RecordNode, key: string): RecordNode | undefined {
    const node = parent.entries.get(key);
    if (node === undefined) return undefined;
    if (node.kind === 'record') return node;
    if (node.converted) throw new Unplannable();
    const value = valueAt(this.input, node.source);
    if (!isRecord(value)) {
      this.notRecords.add(node.slot);
      return undefined;
    }
    const record = this.expand(value, node.source, node.slot);
    parent.entries.set(key, record);
    return record;
  }

  /** getValue for a path of keys. */
  private get(segments: readonly Segment[], length: number): ModelNode | undefined {
    let current = this.root;
    for (let depth = 0; depth < length - 1; depth++) {
      const next = this.recordAt(current, keyOf(segments[depth]!));
      if (!next) return undefined;
      current = next;
    }
    return current.entries.get(keyOf(segments[length - 1]!));
  }

  /** removeValue for a path of keys: delete, then prune containers left empty below `pruneFrom`. */
  private remove(node: RecordNode, segments: readonly Segment[], depth: number, pruneFrom: number): boolean {
    const key = keyOf(segments[depth]!);
    if (!node.entries.has(key)) return false;
    if (depth === segments.length - 1) {
      node.entries.delete(key);
      return true;
    }
    const child = this.recordAt(node, key);
    if (!child) return false;
    const changed = this.remove(child, segments, depth + 1, pruneFrom);
    if (changed && depth + 1 >= pruneFrom && child.entries.size === 0) node.entries.delete(key);
    return changed;
  }

  /** setValue for a path of keys: missing or non-record containers become new records. */
  private set(segments: readonly Segment[], value: ModelNode): void {
    let current = this.root;
    for (let depth = 0; depth < segments.length - 1; depth++) {
      const key = keyOf(segments[depth]!);
      let next = this.recordAt(current, key);
      if (!next) {
        next = { kind: 'record', entries: new Map() };
        current.entries.set(key, next);
      }
      current = next;
    }
    current.entries.set(keyOf(segments[segments.length - 1]!), value);
  }

  /** transfer for paths of keys. */
  relocate(from: ValuePath, to: ValuePath, convert?: (value: unknown, where: string) => unknown): void {
    const node = this.get(from.segments, from.segments.length);
    if (node === undefined) return;
    this.remove(this.root, from.segments, 0, from.pruneFrom);
    if (convert) {
      // Converters take scalars; a whole object handed to one stays with the op-by-op rules.
      if (node.kind !== 'leaf') throw new Unplannable();
      this.conversions.push({ leaf: node, convert: (value) => convert(value, from.text) });
      node.converted = true;
    }
    this.set(to.segments, node);
  }

  /** updateEach: a path of keys, then optionally `[]` and more, handled below the leaf it reaches. */
  update(path: ValuePath, update: Transform): void {
    const firstEach = path.segments.findIndex((segment) => segment.kind === 'each');
    const keys = firstEach < 0 ? path.segments.length : firstEach;
    const node = this.get(path.segments, keys);
    if (node === undefined) return;
    if (node.kind === 'record') {
      if (firstEach < 0) throw new Unplannable();
      // `[]` on an object reaches nothing.
      return;
    }
    const below = firstEach < 0 ? undefined : { ...path, segments: path.segments.slice(keys) };
    this.conversions.push({ leaf: node, below, convert: update });
    node.converted = true;
  }

  plan(): Plan {
    const recordChecks = this.recordChecks;
    const notRecords = [...this.notRecords];
    const conversions = this.conversions.map(({ leaf, below, convert }) => ({ slot: leaf.slot, below, convert }));
    const build = recordBuilder(this.root);
    return {
      read: (value, values) => {
        // Parents come before children, so a nested object's slot is filled before it is read.
        for (let r = 0; r < recordChecks.length; r++) {
          const { parentSlot, keys, firstSlot } = recordChecks[r]!;
          const target = parentSlot < 0 ? value : values[parentSlot];
          if (!isRecord(target)) return false;
          // for...in walks the key order without building a key array; inherited keys (there
          // should be none) make it differ, which only means this plan is not used.
          let i = 0;
          for (const key in target) {
            if (key !== keys[i]) return false;
            const member = target[key];
            if (member === undefined) return false;
            values[firstSlot + i] = member;
            i++;
          }
          if (i !== keys.length) return false;
        }
        for (let i = 0; i < notRecords.length; i++) if (isRecord(values[notRecords[i]!])) return false;
        return true;
      },
      build: (values) => {
        // In rule order, so the first value that cannot be converted is the one reported.
        for (let i = 0; i < conversions.length; i++) {
          const { slot, below, convert } = conversions[i]!;
          values[slot] = below ? updateEach(values[slot], below, convert) : convert(values[slot]);
        }
        return build(values);
      },
    };
  }
}

function keyOf(segment: Segment): string {
  if (segment.kind !== 'key') throw new Unplannable();
  return segment.key;
}

function valueAt(root: Record<string, unknown>, location: Location): unknown {
  let value: unknown = root;
  for (const key of location) value = (value as Record<string, unknown>)[key];
  return value;
}

/**
 * Builds a fresh object per record of the final shape: a copy of a template holding the keys
 * in their final order (one allocation, no key added one by one), then the values filled in.
 */
function recordBuilder(node: RecordNode): (values: unknown[]) => Record<string, unknown> {
  const template: Record<string, unknown> = {};
  const leafKeys: string[] = [];
  const leafIds: number[] = [];
  const nestedKeys: string[] = [];
  const nested: Array<(values: unknown[]) => Record<string, unknown>> = [];
  for (const [key, child] of node.entries) {
    template[key] = null;
    if (child.kind === 'leaf') {
      leafKeys.push(key);
      leafIds.push(child.slot);
    } else {
      nestedKeys.push(key);
      nested.push(recordBuilder(child));
    }
  }
  return (values) => {
    const out = { ...template };
    for (let i = 0; i < leafKeys.length; i++) out[leafKeys[i]!] = values[leafIds[i]!];
    for (let i = 0; i < nested.length; i++) out[nestedKeys[i]!] = nested[i]!(values);
    return out;
  };
}
