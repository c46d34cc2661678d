import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Diagnostic } from '../core/model/diagnostic.js';
import { closestWord } from '../core/spelling.js';

export type SchemaName = 'mapping' | 'scenario' | 'report';

const validators = new Map<SchemaName, ValidateFunction>();

export function schemaPath(name: SchemaName): string {
  return fileURLToPath(new URL(`../../schemas/${name}.schema.json`, import.meta.url));
}

function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false });
    addFormats.default(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath(name), 'utf8')));
    validators.set(name, validate);
  }
  return validate;
}

/** Validates against a shipped JSON Schema; errors are phrased for a person editing the file. */
export function validateAgainstSchema(name: SchemaName, value: unknown): Diagnostic[] {
  const validate = validatorFor(name);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const diagnostics = new Map<string, Diagnostic>();
  // oneOf/anyOf/if summaries repeat what their branches say; keep them only when alone.
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  for (const error of specific.length ? specific : errors) {
    const diagnostic = describe(error);
    const key = `${diagnostic.pointer}\u0000${diagnostic.message}`;
    if (!diagnostics.has(key)) diagnostics.set(key, diagnostic);
  }
  return [...diagnostics.values()];
}

function describe(error: ErrorObject): Diagnostic {
  const schema = (error.parentSchema ?? {}) as { description?: string; examples?: unknown[]; properties?: Record<string, unknown> };
  const hint = schema.examples?.length ? ` (e.g. ${JSON.stringify(schema.examples[0])})` : '';
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { severity: 'error', pointer: at, message: `missing required property "${(error.params as { missingProperty: string }).missingProperty}"${hint}` };
    case 'additionalProperties': {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schema.properties ?? {});
      const suggestion = closestWord(name, allowed);
      return {
        severity: 'error',
        pointer: `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `unknown property "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ''} Allowed here: ${allowed.join(', ')}`,
      };
    }
    case 'enum':
      return { severity: 'error', pointer: at, message: `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { severity: 'error', pointer: at, message: `must be ${(error.params as { type: string }).type}${schema.description ? `: ${schema.description}` : ''}${hint}` };
    default:
      return { severity: 'error', pointer: at, message: `${error.message ?? 'is invalid'}${schema.description ? ` (${schema.description})` : ''}${hint}` };
  }
}
