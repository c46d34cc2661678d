import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isRecord, type Schema } from './model.js';

/**
 * ajv validators for dereferenced OpenAPI schemas. ajv needs a tree, and dereferenced circular
 * `$ref`s are cycles, so every object met again on its own path is lifted into `$defs` and
 * referenced. OpenAPI 3.0's boolean `exclusiveMaximum` becomes the 2020-12 number form.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true, logger: false });
addFormats.default(ajv);
const textAjv = new Ajv2020({ allErrors: false, strict: false, coerceTypes: true, logger: false });
addFormats.default(textAjv);

const cache = new WeakMap<Schema, ValidateFunction>();
const textCache = new WeakMap<Schema, ValidateFunction>();

export interface SchemaProblem {
  /** JSON pointer into the validated value. */
  pointer: string;
  message: string;
}

/** Problems of `value` against `schema`; `onTheWire` reads text values as their schema's type first (parameters, headers). */
export function validateValue(schema: Schema, value: unknown, onTheWire = false): SchemaProblem[] {
  const validator = compile(schema, onTheWire);
  const copy = onTheWire ? structuredClone({ value }).value : value;
  if (validator(copy)) return [];
  return (validator.errors ?? []).map((error: ErrorObject) => {
    const pointer = pointerOf(error);
    const allowed = error.params && 'allowedValues' in error.params ? ` ${JSON.stringify(error.params.allowedValues)}` : '';
    return { pointer, message: `${pointer || '/'}: ${error.message ?? 'is invalid'}${allowed}` };
  });
}

function compile(schema: Schema, onTheWire: boolean): ValidateFunction {
  const store = onTheWire ? textCache : cache;
  let validator = store.get(schema);
  if (!validator) {
    validator = (onTheWire ? textAjv : ajv).compile(toTree(schema) as object);
    store.set(schema, validator);
  }
  return validator;
}

export function toTree(schema: Schema): Schema {
  const cyclic = new Set<object>();
  const findCycles = (node: unknown, path: Set<object>) => {
    if (!isRecord(node) && !Array.isArray(node)) return;
    if (path.has(node)) {
      cyclic.add(node);
      return;
    }
    path.add(node);
    for (const child of Object.values(node)) findCycles(child, path);
    path.delete(node);
  };
  findCycles(schema, new Set());
  const names = new Map<object, string>();
  [...cyclic].forEach((node, i) => names.set(node, `cycle${i}`));
  const defs: Record<string, unknown> = {};
  const copy = (node: unknown, top: boolean): unknown => {
    if (Array.isArray(node)) return node.map((child) => copy(child, false));
    if (!isRecord(node)) return node;
    const name = names.get(node);
    if (name && !top) {
      if (!(name in defs)) {
        defs[name] = {};
        defs[name] = copy(node, true);
      }
      return { $ref: `#/$defs/${name}` };
    }
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === '$id' || key === 'discriminator' || key === 'xml' || key === 'example' || key === 'examples') continue;
      result[key] = copy(value, false);
    }
    for (const [bound, exclusive] of [['maximum', 'exclusiveMaximum'], ['minimum', 'exclusiveMinimum']] as const) {
      if (typeof result[exclusive] === 'boolean') {
        if (result[exclusive] === true && typeof result[bound] === 'number') result[exclusive] = result[bound];
        else delete result[exclusive];
        if (typeof result[exclusive] === 'number') delete result[bound];
      }
    }
    return result;
  };
  const root = copy(schema, !names.has(schema)) as Schema;
  if (names.has(schema)) return { $defs: defs, ...(root as object) };
  return Object.keys(defs).length ? { ...root, $defs: { ...(isRecord(root.$defs) ? root.$defs : {}), ...defs } } : root;
}

/** Where the problem is: a missing or unexpected property is placed at that property. */
function pointerOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const key = params.missingProperty ?? params.additionalProperty;
  return key === undefined ? error.instancePath : `${error.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
