import type { CompiledJoin } from '../mapping/compiled.js';
import { collect, getValue, isRecord, parseFieldPath, parseMessagePath, PathSyntaxError, type ValuePath } from './path.js';

/**
 * `join:` puts each child from a call's response under its parent in the main response, by
 * matching keys: one-to-many (a product's reviews) or many-to-one (a product's vendor).
 *
 *     join: { parents: body.data[], children: body.data[], on: { parent: id, child: product_id }, as: reviews }
 *     join: { parents: body.data[], children: body.data[], on: { parent: vendor_id, child: id }, as: vendor, many: false }
 *
 * Keys match by their text (`1` matches `"1"`), since v2 often changed id types. Parents
 * without children get `otherwise` (default: `[]` for many, nothing for one).
 */
export interface JoinDocument {
  parents: string;
  children: string;
  on: { parent: string; child: string };
  as: string;
  many?: boolean;
  otherwise?: unknown;
}

export function compileJoin(document: unknown, callId: string): CompiledJoin {
  if (!isRecord(document)) throw new PathSyntaxError('join', 'expects { parents, children, on: { parent, child }, as }');
  const { parents, children, on, as } = document as Partial<JoinDocument>;
  if (typeof parents !== 'string' || typeof children !== 'string' || !isRecord(on) || typeof on.parent !== 'string' || typeof on.child !== 'string' || typeof as !== 'string') {
    throw new PathSyntaxError('join', 'needs parents (a list path in the main response), children (a list path in the call response), on: { parent, child } (key fields) and as (the field that receives the children)');
  }
  const parentsPath = parseMessagePath(parents);
  const childrenPath = parseMessagePath(children);
  const parentKey = parseFieldPath(on.parent);
  const childKey = parseFieldPath(on.child);
  const target = parseFieldPath(as);
  if (target.wildcards > 0 || parentKey.wildcards > 0 || childKey.wildcards > 0) throw new PathSyntaxError(as, 'keys and "as" are plain fields (no [])');
  const many = document.many !== false;
  const hasOtherwise = 'otherwise' in document;
  const otherwise = document.otherwise;
  return {
    description: `Each of \`${parents}\` gets ${many ? 'the' : 'its'} \`${children}\` of "${callId}" whose \`${on.child}\` matches its \`${on.parent}\`, as \`${as}\`.`,
    apply(responses, main) {
      const byKey = new Map<string, unknown[]>();
      for (const response of responses) {
        for (const { value: child } of collect(response, childrenPath)) {
          const key = keyText(getValue(child, childKey));
          if (key === undefined) continue;
          const list = byKey.get(key);
          if (list) list.push(child);
          else byKey.set(key, [child]);
        }
      }
      for (const { value: parent } of collect(main, parentsPath)) {
        if (!isRecord(parent)) continue;
        const key = keyText(getValue(parent, parentKey));
        const found = key === undefined ? undefined : byKey.get(key);
        const value = many ? (found ? found.map(copyOf) : hasOtherwise ? copyOf(otherwise) : []) : found ? copyOf(found[0]) : hasOtherwise ? copyOf(otherwise) : undefined;
        if (value !== undefined) writeField(parent, target, value);
      }
    },
  };
}

function keyText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** Each parent gets its own copy: later steps that change one child must not change another parent's. */
function copyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

function writeField(parent: Record<string, unknown>, path: ValuePath, value: unknown): void {
  let current: Record<string, unknown> = parent;
  const keys = path.segments.map((segment) => (segment.kind === 'key' ? segment.key : ''));
  keys.slice(0, -1).forEach((key) => {
    if (!isRecord(current[key])) current[key] = {};
    current = current[key] as Record<string, unknown>;
  });
  current[keys[keys.length - 1]!] = value;
}
