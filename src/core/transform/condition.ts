import type { ExchangeContext } from '../model/exchange-context.js';
import { statusRange } from './status-range.js';
import { collect, getValue, isRecord, parseFieldPath } from './path.js';
import { compileReference, type Reader } from './reference.js';
import { compileTemplate, hasPlaceholder, templateReferences, type Template } from './template.js';

/**
 * `when:` conditions, compiled once into closures.
 *
 *     when: { request.query.embed: { hasItem: reviews } }          # a test per reference
 *     when: { status: ">=400", request.headers.accept: { matches: "json" } }   # several: all hold
 *     when: { any: [ { request.query.page: { exists: true } }, { not: { request.query.limit: 10 } } ] }
 *
 * A test is a value (equality; for `status`, also `404`, `">=400"`, `"4xx"`, `"500-599"`) or an
 * object of operators that must all hold: exists, empty, eq, ne, in, notIn, gt, gte, lt, lte,
 * matches (a regular expression), contains, startsWith, endsWith, hasItem (an element of a list,
 * or of a comma-separated string), hasAll (every one of several), type (object, array, string,
 * number, boolean, null, missing), with `caseInsensitive: true`. Operands may be templates
 * (`gte: "${request.query.price_gte}"`); an operand that yields nothing makes its operator hold,
 * so a v1 filter parameter the client did not send filters nothing. When a reference yields a
 * list (an array, a path with `[]`, or `*`), a test holds when it holds for some element
 * (`ne` and `notIn`: for every element).
 */
export interface CompiledCondition {
  /** Whether the condition holds for this message in this exchange. */
  test(message: unknown, context?: ExchangeContext): boolean;
  /**
   * For list ops: operands resolved once for the exchange, then a predicate per element, whose
   * keys are field paths of the element (`price`, `vendor.name`, `*` for any field).
   */
  bind(message: unknown, context?: ExchangeContext): (element: unknown) => boolean;
  /** Every reference the condition reads (keys and operand templates). */
  reads: string[];
  /** The condition as one line, for traces and guides. */
  text: string;
}

export class ConditionError extends Error {
  constructor(
    /** JSON pointer below the condition where the problem is, e.g. `/any/0/request.query.x`. */
    readonly at: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConditionError';
  }
}

/** Keys are exchange references (`request.query.x`, `body.total`) or, for list ops, element field paths. */
export type ConditionSubject = 'exchange' | 'element';

const OPERATORS = ['exists', 'empty', 'eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'matches', 'contains', 'startsWith', 'endsWith', 'hasItem', 'hasAll', 'type'] as const;
type Operator = (typeof OPERATORS)[number];
const MODIFIERS = ['caseInsensitive'];
/** Operators whose meaning is about the whole value, not each element of a list. */
const WHOLE_VALUE: ReadonlySet<Operator> = new Set(['exists', 'empty', 'hasAll', 'type']);
/** Operators that hold only if they hold for every element. */
const EVERY_ELEMENT: ReadonlySet<Operator> = new Set(['ne', 'notIn']);

/** A test with its operands resolved for one exchange. */
type BoundTest = (value: unknown) => boolean;
/** A compiled node: resolve operands for the exchange, then test subjects. */
type Node = (message: unknown, context: ExchangeContext | undefined) => (subject: unknown, context: ExchangeContext | undefined) => boolean;

export function compileCondition(document: unknown, subject: ConditionSubject = 'exchange'): CompiledCondition {
  const reads: string[] = [];
  const node = compileNode(document, '', subject, reads);
  const text = JSON.stringify(document);
  return {
    test: (message, context) => node(message, context)(message, context),
    bind: (message, context) => {
      const predicate = node(message, context);
      return (element) => predicate(element, context);
    },
    reads,
    text,
  };
}

function compileNode(document: unknown, at: string, subject: ConditionSubject, reads: string[]): Node {
  if (!isRecord(document) || Object.keys(document).length === 0) {
    throw new ConditionError(at, 'a condition is an object such as { request.query.embed: { exists: true } }, or all/any/not of conditions');
  }
  const parts: Node[] = [];
  for (const [key, value] of Object.entries(document)) {
    const where = `${at}/${escapePointer(key)}`;
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(value) || value.length === 0) throw new ConditionError(where, `"${key}" takes a non-empty list of conditions`);
      const children = value.map((child, i) => compileNode(child, `${where}/${i}`, subject, reads));
      parts.push(combine(children, key === 'all'));
    } else if (key === 'not') {
      const child = compileNode(value, where, subject, reads);
      parts.push((message, context) => {
        const bound = child(message, context);
        return (target, ctx) => !bound(target, ctx);
      });
    } else {
      parts.push(compileLeaf(key, value, where, subject, reads));
    }
  }
  return parts.length === 1 ? parts[0]! : combine(parts, true);
}

function combine(children: Node[], every: boolean): Node {
  return (message, context) => {
    const bound = children.map((child) => child(message, context));
    return every ? (target, ctx) => bound.every((test) => test(target, ctx)) : (target, ctx) => bound.some((test) => test(target, ctx));
  };
}

function compileLeaf(key: string, test: unknown, at: string, subject: ConditionSubject, reads: string[]): Node {
  const read = compileSubject(key, at, subject, reads);
  if (!isRecord(test)) {
    if (key === 'status' && subject === 'exchange' && (typeof test === 'string' || typeof test === 'number')) {
      const range = statusRange(String(test));
      if (!range) throw new ConditionError(at, `"${test}" is not a status condition; write 404, ">=400", "4xx" or "500-599"`);
      return () => (target, context) => range(Number(read(target, context)));
    }
    return compileLeaf(key, { eq: test }, at, subject, reads);
  }
  const caseInsensitive = test.caseInsensitive === true;
  const operators: Array<{ operator: Operator; operand: (message: unknown, context?: ExchangeContext) => unknown }> = [];
  for (const [name, operand] of Object.entries(test)) {
    if (MODIFIERS.includes(name)) continue;
    if (!OPERATORS.includes(name as Operator)) {
      throw new ConditionError(`${at}/${name}`, `unknown operator "${name}"; operators: ${OPERATORS.join(', ')}, with caseInsensitive: true`);
    }
    operators.push({ operator: name as Operator, operand: compileOperand(name as Operator, operand, `${at}/${name}`, reads) });
  }
  if (operators.length === 0) throw new ConditionError(at, `"${key}" needs at least one operator, e.g. { exists: true }`);
  return (message, context) => {
    const bound = operators.map(({ operator, operand }) => boundTest(operator, operand(message, context), caseInsensitive));
    return (target, ctx) => {
      const value = read(target, ctx);
      return bound.every((check) => check(value));
    };
  };
}

function compileSubject(key: string, at: string, subject: ConditionSubject, reads: string[]): Reader {
  try {
    if (subject === 'element') {
      reads.push(`item.${key}`);
      if (key === '*') return (element) => leaves(element);
      const path = parseFieldPath(key);
      if (path.wildcards === 0) return (element) => getValue(element, path);
      return (element) => collect(element, path).map((found) => found.value);
    }
    const reference = compileReference(key);
    reads.push(reference.text);
    return reference.read;
  } catch (error) {
    throw new ConditionError(at, (error as Error).message);
  }
}

/** Every string, number and boolean inside a value: what a full-text `*` test looks at. */
function leaves(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (isRecord(value)) for (const key in value) leaves(value[key], out);
  else if (value !== undefined && value !== null) out.push(value);
  return out;
}

const NOTHING = Symbol('no operand');

function compileOperand(operator: Operator, operand: unknown, at: string, reads: string[]): (message: unknown, context?: ExchangeContext) => unknown {
  if (operator === 'exists' || operator === 'empty') {
    if (typeof operand !== 'boolean') throw new ConditionError(at, `"${operator}" takes true or false`);
    return () => operand;
  }
  if (operator === 'type') {
    if (typeof operand !== 'string' || !JSON_TYPES.includes(operand)) throw new ConditionError(at, `"type" is one of ${JSON_TYPES.join(', ')}`);
    return () => operand;
  }
  if (operator === 'matches') {
    if (typeof operand !== 'string') throw new ConditionError(at, '"matches" takes a regular expression as a string');
    if (hasPlaceholder(operand)) throw new ConditionError(at, '"matches" takes a fixed regular expression: a pattern built from request values would let a client choose it');
    try {
      new RegExp(operand, 'u');
    } catch (error) {
      throw new ConditionError(at, `not a valid regular expression: ${(error as Error).message}`);
    }
    return () => operand;
  }
  if (['gt', 'gte', 'lt', 'lte'].includes(operator) && typeof operand !== 'number' && !(typeof operand === 'string' && (hasPlaceholder(operand) || Number.isFinite(Number(operand))))) {
    throw new ConditionError(at, `"${operator}" takes a number or a template such as "\${request.query.min}"`);
  }
  if ((operator === 'in' || operator === 'notIn' || operator === 'hasAll') && !Array.isArray(operand) && typeof operand !== 'string') {
    throw new ConditionError(at, `"${operator}" takes a list, a comma-separated string or a template`);
  }
  if (operand === null || (typeof operand === 'object' && !Array.isArray(operand))) {
    if (operator === 'eq' || operator === 'ne') return () => operand;
    throw new ConditionError(at, `"${operator}" takes a value, not an object`);
  }
  reads.push(...templateReferences(operand));
  const template: Template = compileTemplate(operand);
  return (message, context) => {
    const value = template(message, context);
    return value === undefined || value === '' ? (hasPlaceholder(operand) ? NOTHING : value) : value;
  };
}

function boundTest(operator: Operator, operand: unknown, caseInsensitive: boolean): BoundTest {
  if (operand === NOTHING) return () => true;
  const single = singleTest(operator, operand, caseInsensitive);
  if (WHOLE_VALUE.has(operator)) return single;
  const every = EVERY_ELEMENT.has(operator);
  return (value) => {
    if (!Array.isArray(value)) return single(value);
    return every ? value.every(single) : value.some(single);
  };
}

function singleTest(operator: Operator, operand: unknown, caseInsensitive: boolean): BoundTest {
  const fold = (value: unknown) => (caseInsensitive && typeof value === 'string' ? value.toLowerCase() : value);
  switch (operator) {
    case 'exists':
      return (value) => (value !== undefined) === operand;
    case 'empty':
      return (value) => isEmpty(value) === operand;
    case 'eq':
      return (value) => sameValue(fold(value), fold(operand));
    case 'ne':
      return (value) => !sameValue(fold(value), fold(operand));
    case 'in':
    case 'notIn': {
      const options = listOf(operand).map(fold);
      const wanted = operator === 'in';
      return (value) => options.some((option) => sameValue(fold(value), option)) === wanted;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = Number(operand);
      return (value) => {
        const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
        if (Number.isNaN(number) || Number.isNaN(bound)) return false;
        return operator === 'gt' ? number > bound : operator === 'gte' ? number >= bound : operator === 'lt' ? number < bound : number <= bound;
      };
    }
    case 'matches': {
      const pattern = new RegExp(String(operand), caseInsensitive ? 'iu' : 'u');
      return (value) => scalar(value) && pattern.test(String(value));
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const needle = String(fold(String(operand)));
      return (value) => {
        if (!scalar(value)) return false;
        const text = String(fold(String(value)));
        return operator === 'contains' ? text.includes(needle) : operator === 'startsWith' ? text.startsWith(needle) : text.endsWith(needle);
      };
    }
    case 'type':
      return (value) => jsonType(value) === operand;
    case 'hasAll': {
      // Every wanted item is in the list (or comma list) the value holds: `tag=a&tag=b` means both.
      const wanted = listOf(operand).map(fold);
      return (value) => {
        const items = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((item) => item.trim()) : [value]).map(fold);
        return wanted.every((item) => items.some((candidate) => sameValue(candidate, item)));
      };
    }
    case 'hasItem':
      return (value) => {
        const items = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : [value];
        return items.some((item) => sameValue(fold(item), fold(operand)));
      };
  }
}

const JSON_TYPES = ['object', 'array', 'string', 'number', 'boolean', 'null', 'missing'];

function jsonType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function scalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.keys(value).length === 0;
}

function listOf(operand: unknown): unknown[] {
  if (Array.isArray(operand)) return operand;
  if (typeof operand === 'string') return operand.split(',').map((item) => item.trim());
  return [operand];
}

/** Query values are strings: `"5"` equals 5 and `"true"` equals true. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (scalar(a) && scalar(b)) return String(a) === String(b);
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
