import { describe, expect, it } from 'vitest';
import {
  collect,
  getValue,
  parseFieldPath,
  parseMessagePath,
  PathSyntaxError,
  removeValue,
  sectionOf,
  setValue,
  updateEach,
  type Segment,
} from '../../src/core/transform/path.js';

const key = (name: string): Segment => ({ kind: 'key', key: name });
const each: Segment = { kind: 'each' };

function syntaxError(parse: () => unknown): PathSyntaxError {
  try {
    parse();
  } catch (error) {
    if (error instanceof PathSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a PathSyntaxError');
}

describe('message paths', () => {
  it('address the top-level parts of a message', () => {
    for (const section of ['method', 'path', 'status', 'body', 'query', 'params', 'headers']) {
      expect(parseMessagePath(section).segments).toEqual([key(section)]);
    }
  });

  it('take the rest after params., query. and headers. as one key, brackets and dots included', () => {
    expect(parseMessagePath('query.page[number]').segments).toEqual([key('query'), key('page[number]')]);
    expect(parseMessagePath('query.filter.name').segments).toEqual([key('query'), key('filter.name')]);
    expect(parseMessagePath('params.id').segments).toEqual([key('params'), key('id')]);
    expect(parseMessagePath('query.page[number]').wildcards).toBe(0);
  });

  it('lower-case header names, and only header names', () => {
    expect(parseMessagePath('headers.X-Total-Count').segments).toEqual([key('headers'), key('x-total-count')]);
    expect(parseMessagePath('query.pageSize').segments).toEqual([key('query'), key('pageSize')]);
    expect(parseMessagePath('body.totalCount').segments).toEqual([key('body'), key('totalCount')]);
  });

  it('walk into the body with dots and [] and count the wildcards', () => {
    const path = parseMessagePath('body.groups[].items[].id');
    expect(path.segments).toEqual([key('body'), key('groups'), each, key('items'), each, key('id')]);
    expect(path.wildcards).toBe(2);
    expect(path.text).toBe('body.groups[].items[].id');
  });

  it('accept a body that is itself a list', () => {
    expect(parseMessagePath('body[]').segments).toEqual([key('body'), each]);
    expect(parseMessagePath('body[].id').segments).toEqual([key('body'), each, key('id')]);
  });

  it('never prune a message section: pruning starts below it', () => {
    expect(parseMessagePath('body.a.b').pruneFrom).toBe(2);
  });

  it('tell which part of the message they address', () => {
    expect(sectionOf(parseMessagePath('headers.etag'))).toBe('headers');
    expect(sectionOf(parseMessagePath('body[].id'))).toBe('body');
  });
});

describe('field paths', () => {
  it('address inside one resource, with no message section', () => {
    expect(parseFieldPath('title').segments).toEqual([key('title')]);
    expect(parseFieldPath('metadata.tags').segments).toEqual([key('metadata'), key('tags')]);
    expect(parseFieldPath('query.page').segments).toEqual([key('query'), key('page')]);
    expect(parseFieldPath('Headers.X').segments).toEqual([key('Headers'), key('X')]);
  });

  it('visit list elements with [], several times for lists of lists', () => {
    expect(parseFieldPath('related_ids[]').segments).toEqual([key('related_ids'), each]);
    expect(parseFieldPath('matrix[][]').segments).toEqual([key('matrix'), each, each]);
    expect(parseFieldPath('[].id').segments).toEqual([each, key('id')]);
  });

  it('may prune any object below the resource itself', () => {
    expect(parseFieldPath('a.b').pruneFrom).toBe(1);
  });
});

describe('path syntax errors', () => {
  it.each([
    ['', 'a path cannot be empty'],
    ['   ', 'a path cannot be empty'],
    ['bdy.x', 'a message path starts with one of method, path, status, params, query, headers, body'],
    ['Body.x', 'a message path starts with one of method, path, status, params, query, headers, body'],
    ['status.code', '"status" has no parts below it'],
    ['method.name', '"method" has no parts below it'],
    ['body-x', 'expected "." after "body"'],
    ['body.', 'empty name between dots'],
    ['body..x', 'empty name between dots'],
    ['body.a.[]', 'empty name between dots'],
    ['body.items[0]', '"items[0]" is not a name optionally followed by []'],
    ['body.a[]b', '"a[]b" is not a name optionally followed by []'],
    ['query.', 'expected "query.<name>"'],
    ['headers-x', 'expected "headers.<name>"'],
  ])('rejects the message path %j: %s', (text, reason) => {
    const error = syntaxError(() => parseMessagePath(text));
    expect(error.message).toBe(`invalid path "${text}": ${reason}`);
    expect(error.pathText).toBe(text);
  });

  it.each([
    ['', 'a path cannot be empty'],
    ['a..b', 'empty name between dots'],
    ['.a', 'empty name between dots'],
    ['a[1]', '"a[1]" is not a name optionally followed by []'],
  ])('rejects the field path %j: %s', (text, reason) => {
    expect(syntaxError(() => parseFieldPath(text)).message).toBe(`invalid path "${text}": ${reason}`);
  });
});

describe('reading paths', () => {
  const document = { body: { items: [{ id: 1 }, { name: 'no id' }, { id: null }, { id: 3 }], meta: 'x' } };

  it('collect every value under [], with the index taken at each []', () => {
    expect(collect(document, parseMessagePath('body.items[].id'))).toEqual([
      { value: 1, indices: [0] },
      { value: null, indices: [2] },
      { value: 3, indices: [3] },
    ]);
  });

  it('collect indices through nested lists', () => {
    const nested = { rows: [[1, 2], [], [3]] };
    expect(collect(nested, parseFieldPath('rows[][]'))).toEqual([
      { value: 1, indices: [0, 0] },
      { value: 2, indices: [0, 1] },
      { value: 3, indices: [2, 0] },
    ]);
  });

  it('find nothing where the shape does not fit', () => {
    expect(collect(document, parseMessagePath('body.meta[]'))).toEqual([]);
    expect(collect(document, parseMessagePath('body.meta.x'))).toEqual([]);
    expect(collect(null, parseMessagePath('body'))).toEqual([]);
  });

  it('get a single value, or undefined for missing values and [] paths', () => {
    expect(getValue(document, parseMessagePath('body.meta'))).toBe('x');
    expect(getValue(document, parseMessagePath('body.none.deeper'))).toBeUndefined();
    expect(getValue(document, parseMessagePath('body.items[]'))).toBeUndefined();
  });

  it('never read members of Object.prototype as if they were fields', () => {
    expect(getValue({ body: {} }, parseMessagePath('body.constructor'))).toBeUndefined();
    expect(collect({ items: [{}] }, parseFieldPath('items[].toString'))).toEqual([]);
    expect(getValue({ body: { constructor: 'Ada' } }, parseMessagePath('body.constructor'))).toBe('Ada');
  });
});

describe('writing paths', () => {
  it('create the objects and arrays on the way', () => {
    expect(setValue({}, parseMessagePath('body.a.b'), 1)).toEqual({ body: { a: { b: 1 } } });
    expect(setValue({}, parseFieldPath('list[].id'), 'x', [1])).toEqual({ list: [undefined, { id: 'x' }] });
  });

  it('replace a scalar in the way by a container', () => {
    expect(setValue({ body: 'text' }, parseMessagePath('body.a'), 1)).toEqual({ body: { a: 1 } });
  });

  it('start a list, not an object, for a path that begins with []', () => {
    expect(setValue(undefined, parseFieldPath('[].id'), 1, [0])).toEqual([{ id: 1 }]);
  });

  it('update every value a path reaches, null included', () => {
    const document = { items: [{ n: 1 }, { n: null }, {}] };
    expect(updateEach(document, parseFieldPath('items[].n'), (value) => (value === null ? 'null' : 'set'))).toEqual({
      items: [{ n: 'set' }, { n: 'null' }, {}],
    });
  });

  it('remove values and the objects a removal empties, but not message sections', () => {
    const field = { meta: { tags: ['a'] }, id: 1 };
    removeValue(field, parseFieldPath('meta.tags'));
    expect(field).toEqual({ id: 1 });
    const message = { query: { q: 'x' } };
    removeValue(message, parseMessagePath('query.q'));
    expect(message).toEqual({ query: {} });
  });

  it('change nothing when removing an absent field named like an Object.prototype member', () => {
    const document = { meta: {} };
    removeValue(document, parseFieldPath('meta.constructor'));
    expect(document).toStrictEqual({ meta: {} });
  });
});
