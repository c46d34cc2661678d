/**
 * Limits on the shape of a JSON body the gateway parses to translate, checked chunk by chunk
 * while the body arrives, before `JSON.parse` sees any of it. A body past a limit is refused at
 * the chunk that crosses it, so a hostile document (5,000 levels deep, 600,000 keys, one 9 MiB
 * string) costs a linear scan of its first bytes rather than a parse and a translation of all of
 * them, and never a stack overflow in a recursive step.
 *
 * The scanner does not validate JSON (JSON.parse does that afterwards, RFC 8259); it only
 * tracks what it needs to count: whether it is inside a string, and the open containers.
 */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most members in one object. */
  maxKeys: number;
  /** Most elements in one array. */
  maxArrayLength: number;
  /** Longest string, and longest bare token (number, literal), in bytes as sent (escapes included). */
  maxStringBytes: number;
  /** Most members and elements in the whole document. */
  maxValues: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = {
  maxDepth: 64,
  maxKeys: 1_000,
  maxArrayLength: 10_000,
  maxStringBytes: 1024 * 1024,
  maxValues: 100_000,
};

/** A body past one of the limits: which one, and the byte offset where it was crossed. */
export class JsonLimitError extends Error {
  constructor(
    readonly limit: keyof JsonLimits,
    readonly value: number,
    readonly offset: number,
  ) {
    super(`${DESCRIPTIONS[limit]} is over the limit of ${value} (at byte ${offset})`);
    this.name = 'JsonLimitError';
  }
}

const DESCRIPTIONS: Record<keyof JsonLimits, string> = {
  maxDepth: 'nesting depth',
  maxKeys: 'the number of members of one object',
  maxArrayLength: 'the number of elements of one array',
  maxStringBytes: 'the length of one string or number',
  maxValues: 'the number of values in the document',
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Feeds chunks in order; `push` throws a JsonLimitError at the first limit crossed. */
export class JsonLimitScanner {
  private offset = 0;
  private inString = false;
  private escaped = false;
  private stringBytes = 0;
  private tokenBytes = 0;
  private values = 0;
  /** Per open container: true for an object. */
  private readonly isObject: boolean[] = [];
  /** Per open container: members or elements counted so far (separators seen + 1 once non-empty). */
  private readonly counts: number[] = [];
  private readonly empty: boolean[] = [];

  constructor(private readonly limits: JsonLimits = DEFAULT_JSON_LIMITS) {}

  push(chunk: Uint8Array): void {
    const limits = this.limits;
    const length = chunk.length;
    let i = 0;
    while (i < length) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const byte = chunk[i]!;
      if (byte === QUOTE) {
        this.noteValueStart(i);
        this.inString = true;
        this.stringBytes = 0;
        this.tokenBytes = 0;
        i++;
        continue;
      }
      if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        this.noteValueStart(i);
        if (this.isObject.length >= limits.maxDepth) this.fail('maxDepth', limits.maxDepth, i);
        this.isObject.push(byte === OPEN_OBJECT);
        this.counts.push(0);
        this.empty.push(true);
        this.tokenBytes = 0;
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        this.isObject.pop();
        this.counts.pop();
        this.empty.pop();
        this.tokenBytes = 0;
      } else if (byte === COMMA) {
        this.tokenBytes = 0;
        this.separator(i);
      } else if (byte === COLON) {
        this.tokenBytes = 0;
      } else if (isWhitespace(byte)) {
        this.tokenBytes = 0;
      } else {
        // A bare token: a number or a literal. Its first byte starts a value.
        if (this.tokenBytes === 0) this.noteValueStart(i);
        if (++this.tokenBytes > limits.maxStringBytes) this.fail('maxStringBytes', limits.maxStringBytes, i);
      }
      i++;
    }
    this.offset += length;
  }

  /** Inside a string: jump to the next quote natively, then decide whether it is escaped. */
  private scanString(chunk: Uint8Array, from: number): number {
    const limits = this.limits;
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      this.stringBytes++;
      i++;
    }
    while (i < chunk.length) {
      const quote = chunk.indexOf(QUOTE, i);
      const end = quote < 0 ? chunk.length : quote;
      // The backslashes directly in front of the quote decide: an odd run escapes it. A run
      // never spans a quote, and one begun in the previous chunk was settled by `escaped`.
      this.stringBytes += end - i;
      if (this.stringBytes > limits.maxStringBytes) this.fail('maxStringBytes', limits.maxStringBytes, end);
      if (quote < 0) {
        // The chunk ends inside the string; an odd run of trailing backslashes escapes the next byte.
        this.escaped = trailingBackslashes(chunk, chunk.length, i) % 2 === 1;
        return chunk.length;
      }
      if (trailingBackslashes(chunk, quote, i) % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      this.stringBytes++;
      i = quote + 1;
    }
    return i;
  }

  /** The first member or element of a container is counted here; the others at their comma. */
  private noteValueStart(at: number): void {
    const top = this.counts.length - 1;
    if (top < 0 || !this.empty[top]) return;
    this.empty[top] = false;
    this.counts[top] = 1;
    this.countValue(at);
    this.checkCount(top, at);
  }

  private separator(at: number): void {
    const top = this.counts.length - 1;
    if (top < 0) return;
    this.counts[top]!++;
    this.countValue(at);
    this.checkCount(top, at);
  }

  private countValue(at: number): void {
    if (++this.values > this.limits.maxValues) this.fail('maxValues', this.limits.maxValues, at);
  }

  private checkCount(top: number, at: number): void {
    const count = this.counts[top]!;
    if (this.isObject[top]) {
      if (count > this.limits.maxKeys) this.fail('maxKeys', this.limits.maxKeys, at);
    } else if (count > this.limits.maxArrayLength) this.fail('maxArrayLength', this.limits.maxArrayLength, at);
  }

  private fail(limit: keyof JsonLimits, value: number, index: number): never {
    throw new JsonLimitError(limit, value, this.offset + index);
  }
}

/** Backslashes directly before `end`, not looking before `from`. */
function trailingBackslashes(chunk: Uint8Array, end: number, from: number): number {
  let count = 0;
  for (let j = end - 1; j >= from && chunk[j] === BACKSLASH; j--) count++;
  return count;
}

/** Scans a whole body at once (for bodies that were not read chunk by chunk). */
export function checkJsonLimits(body: Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): void {
  new JsonLimitScanner(limits).push(body);
}
