import { CompatError } from '../../errors.js';
import { listPath, readList, writeList } from '../list-target.js';
import type { CompileContext, OpSpec } from '../op.js';
import { requireRecord } from '../op-args.js';
import { getValue, isRecord, parseFieldPath, type ValuePath } from '../path.js';
import { compileTemplate, hasPlaceholder, templateReferences } from '../template.js';
import type { ExchangeContext } from '../../model/exchange-context.js';

type Collation = 'code-point' | 'locale' | 'case-insensitive' | 'numeric';
const COLLATIONS: readonly Collation[] = ['code-point', 'locale', 'case-insensitive', 'numeric'];

interface SortKey {
  path: ValuePath;
  descending: boolean;
}

/**
 * Orders a list by one or more keys, from the request (`sort=price,-name`: a comma list, `-`
 * for descending) or fixed. Numbers compare as numbers; strings by the collation: `code-point`
 * (the default, what most v1 databases did with a binary collation), `locale`, `case-insensitive`
 * or `numeric` ("item 9" before "item 10"). Elements without the key go last. The sort is stable.
 */
export const sort: OpSpec = {
  id: 'sort',
  summary: 'Orders a list by several keys (`by: "${request.query.sort}"` as "price,-name", or fixed), with code-point, locale, case-insensitive or numeric collation.',
  example: 'sort: { at: body, by: "${request.query.sort}", keys: { price: price, name: name }, default: id }',
  levels: ['step'],
  compile(args: unknown, context: CompileContext) {
    const record = requireRecord(args, context);
    const at = listPath(record, context);
    const collation = (record.collation ?? 'code-point') as Collation;
    if (!COLLATIONS.includes(collation)) context.fail(`"collation" is one of ${COLLATIONS.join(', ')}`);
    if (record.locale !== undefined && typeof record.locale !== 'string') context.fail('"locale" is a BCP 47 tag such as "en" or "de-DE"');
    if (record.missing !== undefined && record.missing !== 'first' && record.missing !== 'last') context.fail('"missing" is first or last');
    const compare = comparer(collation, typeof record.locale === 'string' ? record.locale : undefined, record.missing === 'first' ? -1 : 1);
    const keys = compileKeyMap(record.keys, context);
    if (record.unknownKey !== undefined && typeof record.unknownKey !== 'string') context.fail('"unknownKey" is the message for a key clients may not sort by; {key} stands for it');
    const unknownKey = record.unknownKey as string | undefined;
    if (record.by === undefined) context.fail('needs "by": the sort keys, e.g. "${request.query.sort}", "price,-name" or [price, -name]');
    const by = specOf(record.by, context);
    const fallback = record.default === undefined ? undefined : specOf(record.default, context);
    const plan = (spec: string | undefined): SortKey[] =>
      (spec ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const descending = part.startsWith('-');
          const name = descending || part.startsWith('+') ? part.slice(1) : part;
          if (keys && !keys.has(name)) {
            const message = unknownKey ? unknownKey.split('{key}').join(name) : `cannot sort by "${name}"; sort keys: ${[...keys.keys()].join(', ')}`;
            throw new CompatError('invalid-query-value', message, { parameter: 'sort', value: name });
          }
          return { path: keys ? keys.get(name)! : parseFieldPath(name), descending };
        });
    const staticPlan = !hasPlaceholder(record.by) && !(fallback && hasPlaceholder(record.default)) ? plan(by({}) ?? fallback?.({})) : undefined;
    return {
      op: 'sort',
      description: `\`${at.text}\` is ordered by ${JSON.stringify(record.by)}${record.default !== undefined ? ` (default ${JSON.stringify(record.default)})` : ''}, ${collation} collation.`,
      apply: (root, exchange) => {
        const list = readList(root, at);
        if (!list) return root;
        const sortKeys = staticPlan ?? plan(by(root, exchange) ?? fallback?.(root, exchange));
        if (sortKeys.length === 0) return root;
        const sorted = list
          .map((element, index) => ({ element, index }))
          .sort((a, b) => {
            for (const key of sortKeys) {
              const order = compare(getValue(a.element, key.path), getValue(b.element, key.path), key.descending);
              if (order !== 0) return order;
            }
            return a.index - b.index;
          })
          .map(({ element }) => element);
        return writeList(root, at, sorted);
      },
      lossy: false,
      reads: [at.text, ...templateReferences([record.by, record.default])],
      writes: [at.text],
    };
  },
};

/** `by` as a function of the exchange giving "a,-b", from a template, a string or a list. */
function specOf(value: unknown, context: CompileContext): (root: unknown, exchange?: ExchangeContext) => string | undefined {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    const text = value.join(',');
    return () => text;
  }
  if (typeof value !== 'string') context.fail('"by" and "default" take "price,-name", [price, -name] or a template');
  const template = compileTemplate(value);
  return (root, exchange) => {
    const result = template(root, exchange);
    if (result === undefined || result === null || result === '') return undefined;
    return Array.isArray(result) ? result.join(',') : String(result);
  };
}

function compileKeyMap(value: unknown, context: CompileContext): Map<string, ValuePath> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return new Map(value.map((name) => [name, parseFieldPath(name)]));
  if (!isRecord(value)) context.fail('"keys" lists the sort keys clients may use: [price, name], or { price: price, vendor: vendor.name }');
  return new Map(
    Object.entries(value).map(([name, path]) => {
      if (typeof path !== 'string') context.fail(`keys.${name} is the element field it sorts by, e.g. vendor.name`);
      return [name, parseFieldPath(path)];
    }),
  );
}

function comparer(collation: Collation, locale: string | undefined, missingOrder: 1 | -1) {
  const collator =
    collation === 'locale' ? new Intl.Collator(locale) : collation === 'case-insensitive' ? new Intl.Collator(locale, { sensitivity: 'base' }) : collation === 'numeric' ? new Intl.Collator(locale, { numeric: true }) : undefined;
  const compareText = collator ? (a: string, b: string) => collator.compare(a, b) : (a: string, b: string) => codePointCompare(a, b);
  return (a: unknown, b: unknown, descending: boolean): number => {
    const aMissing = a === undefined || a === null;
    const bMissing = b === undefined || b === null;
    if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? missingOrder : -missingOrder;
    let order: number;
    if (typeof a === 'number' && typeof b === 'number') order = a - b;
    else if (typeof a === 'boolean' && typeof b === 'boolean') order = Number(a) - Number(b);
    else order = compareText(String(a), String(b));
    return descending ? -order : order;
  };
}

/** Compares by Unicode code point, not UTF-16 unit (a supplementary character sorts after U+FFFF). */
function codePointCompare(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const difference = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
}
