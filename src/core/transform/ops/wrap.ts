import type { CompileContext, CompiledOp, OpSpec } from '../op.js';
import { isRecord, type ValuePath } from '../path.js';
import { transfer } from '../transfer.js';

/** `body.data` -> the envelope path `body.data` and the enveloped value's path `body`. */
function envelopeOf(args: unknown, context: CompileContext): { inner: ValuePath; outer: ValuePath; text: string } {
  const text = typeof args === 'string' ? args : isRecord(args) && typeof args.path === 'string' ? args.path : undefined;
  if (!text) context.fail('expects a path such as body.data (the value inside the envelope)');
  const inner = context.parsePath(text);
  const last = inner.segments.at(-1);
  if (inner.segments.length < 2 || last?.kind !== 'key') context.fail(`"${text}" must end in the envelope's key, e.g. body.data`);
  const outer: ValuePath = { ...inner, text: text.slice(0, text.lastIndexOf('.')), segments: inner.segments.slice(0, -1) };
  return { inner, outer, text };
}

function compileEnvelope(kind: 'wrap' | 'unwrap', args: unknown, context: CompileContext): CompiledOp {
  const { inner, outer, text } = envelopeOf(args, context);
  const intoEnvelope = (root: unknown) => transfer(root, outer, inner);
  const outOfEnvelope = (root: unknown) => transfer(root, inner, outer);
  const key = text.slice(text.lastIndexOf('.') + 1);
  return {
    op: kind,
    description:
      kind === 'unwrap'
        ? `\`${outer.text}\` loses its \`${key}\` envelope (other envelope fields are dropped).`
        : `\`${outer.text}\` is wrapped in an envelope under \`${key}\`.`,
    apply: kind === 'wrap' ? intoEnvelope : outOfEnvelope,
    undo: kind === 'wrap' ? outOfEnvelope : intoEnvelope,
    edit: kind === 'wrap' ? { kind: 'relocate', from: outer, to: inner } : { kind: 'relocate', from: inner, to: outer },
    undoEdit: kind === 'wrap' ? { kind: 'relocate', from: inner, to: outer } : { kind: 'relocate', from: outer, to: inner },
    // Unwrapping drops the envelope's other members (e.g. `meta`); undo cannot bring them back.
    lossy: kind === 'unwrap',
    reads: [kind === 'wrap' ? outer.text : text],
    writes: [kind === 'wrap' ? text : outer.text],
  };
}

export const wrap: OpSpec = {
  id: 'wrap',
  summary: 'Puts a value inside an envelope object under the given key.',
  example: 'wrap: body.data',
  levels: ['resource', 'step'],
  compile: (args, context) => compileEnvelope('wrap', args, context),
};

export const unwrap: OpSpec = {
  id: 'unwrap',
  summary: 'Replaces an envelope by the value under its key (e.g. `{data, meta}` becomes the data).',
  example: 'unwrap: body.data',
  levels: ['resource', 'step'],
  compile: (args, context) => compileEnvelope('unwrap', args, context),
};
