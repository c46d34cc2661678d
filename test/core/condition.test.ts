import { describe, expect, it } from 'vitest';
import { newContext, snapshotRequest } from '../../src/core/model/exchange-context.js';
import { emptyMessage } from '../../src/core/model/http-message.js';
import { compileCondition, ConditionError } from '../../src/core/transform/condition.js';

const request = snapshotRequest(
  emptyMessage({
    method: 'GET',
    path: '/products',
    query: { embed: 'reviews,vendor', limit: '20', tag: ['a', 'b'], q: 'Kaffee', empty: '' },
    headers: { 'if-none-match': '"abc"', origin: 'https://app.test' },
  }),
  'https://api.test/products?embed=reviews,vendor',
  false,
);
const context = newContext('list', request);
const response = { status: 404, headers: { 'content-type': 'application/problem+json' }, body: { total: 3, items: [{ price: 3 }, { price: 12 }], code: 'route-not-found' } };

const holds = (condition: unknown, message: unknown = response) => compileCondition(condition).test(message, context);

function conditionError(condition: unknown): { at: string; message: string } {
  try {
    compileCondition(condition);
  } catch (error) {
    if (error instanceof ConditionError) return { at: error.at, message: error.message };
    throw error;
  }
  throw new Error('the condition compiled');
}

describe('conditions over the request, the response and the status', () => {
  it('test presence and absence', () => {
    expect(holds({ 'request.headers.if-none-match': { exists: true } })).toBe(true);
    expect(holds({ 'request.headers.if-match': { exists: true } })).toBe(false);
    expect(holds({ 'request.query.page': { exists: false } })).toBe(true);
    expect(holds({ 'request.query.empty': { exists: true } })).toBe(true);
    expect(holds({ 'request.query.empty': { empty: true } })).toBe(true);
    expect(holds({ 'request.query.limit': { empty: false } })).toBe(true);
  });

  it('compare query strings with numbers and values as a client means them', () => {
    expect(holds({ 'request.query.limit': 20 })).toBe(true);
    expect(holds({ 'request.query.limit': { gt: 10, lte: 20 } })).toBe(true);
    expect(holds({ 'request.query.limit': { lt: 20 } })).toBe(false);
    expect(holds({ 'request.query.q': { gt: 1 } })).toBe(false);
    expect(holds({ 'request.query.missing': { gte: 0 } })).toBe(false);
    expect(holds({ 'request.method': { in: ['GET', 'HEAD'] } })).toBe(true);
    expect(holds({ 'request.method': { notIn: 'POST,PUT' } })).toBe(true);
    expect(holds({ 'request.method': { ne: 'GET' } })).toBe(false);
  });

  it('match text: regex, contains, prefixes, case-insensitively when asked', () => {
    expect(holds({ 'request.headers.origin': { matches: '^https://[a-z]+\\.test$' } })).toBe(true);
    expect(holds({ 'request.query.q': { contains: 'kaf' } })).toBe(false);
    expect(holds({ 'request.query.q': { contains: 'kaf', caseInsensitive: true } })).toBe(true);
    expect(holds({ 'request.query.q': { startsWith: 'Ka', endsWith: 'ee' } })).toBe(true);
    expect(holds({ 'request.query.q': { matches: 'KAFFEE', caseInsensitive: true } })).toBe(true);
  });

  it('find an item in a comma list or a repeated parameter', () => {
    expect(holds({ 'request.query.embed': { hasItem: 'vendor' } })).toBe(true);
    expect(holds({ 'request.query.embed': { hasItem: 'view' } })).toBe(false);
    expect(holds({ 'request.query.tag': 'b' })).toBe(true);
    expect(holds({ 'request.query.tag': { ne: 'c' } })).toBe(true);
    expect(holds({ 'request.query.tag': { ne: 'a' } })).toBe(false);
  });

  it('read status ranges, the response body and earlier stages', () => {
    expect(holds({ status: '4xx' })).toBe(true);
    expect(holds({ status: '>=500' })).toBe(false);
    expect(holds({ status: 404, 'body.code': 'route-not-found' })).toBe(true);
    expect(holds({ 'body.items[].price': { gt: 10 } })).toBe(true);
    expect(holds({ 'body.items[].price': { gt: 20 } })).toBe(false);
  });

  it('combine with all, any and not', () => {
    expect(holds({ any: [{ 'request.query.page': { exists: true } }, { 'request.query.limit': { exists: true } }] })).toBe(true);
    expect(holds({ all: [{ 'request.query.page': { exists: true } }, { 'request.query.limit': { exists: true } }] })).toBe(false);
    expect(holds({ not: { 'request.query.page': { exists: true } } })).toBe(true);
    expect(holds({ not: { any: [{ status: 404 }, { status: 410 }] } })).toBe(false);
  });

  it('take operands from the exchange; an operand that yields nothing holds', () => {
    expect(holds({ 'body.total': { lte: '${request.query.limit}' } })).toBe(true);
    expect(holds({ 'body.total': { gte: '${request.query.limit}' } })).toBe(false);
    expect(holds({ 'body.total': { gte: '${request.query.not_sent}' } })).toBe(true);
  });

  it('read nothing as absent when there is no exchange, rather than reading the message', () => {
    expect(compileCondition({ 'request.query.limit': { exists: true } }).test({ query: { limit: '1' } })).toBe(false);
  });

  it('bind once and test each element of a list by its fields, any field with *', () => {
    const filter = compileCondition({ price: { gte: '${request.query.limit}' }, '*': { contains: 'kaffee', caseInsensitive: true } }, 'element');
    const keep = filter.bind(response, context);
    expect(keep({ price: 25, name: 'Kaffee Bohnen' })).toBe(true);
    expect(keep({ price: 25, name: 'Tee', description: { text: 'kein Kaffee' } })).toBe(true);
    expect(keep({ price: 25, name: 'Tee' })).toBe(false);
    expect(keep({ price: 5, name: 'Kaffee' })).toBe(false);
    expect(filter.reads).toEqual(['item.price', 'request.query.limit', 'item.*']);
  });
});

describe('condition errors name the place and the fix', () => {
  it('rejects unknown operators, wrong operand types and empty conditions', () => {
    expect(conditionError({ 'request.query.a': { equals: 1 } })).toEqual({ at: '/request.query.a/equals', message: expect.stringContaining('unknown operator "equals"') });
    expect(conditionError({ 'request.query.a': { gt: 'many' } })).toMatchObject({ at: '/request.query.a/gt' });
    expect(conditionError({ 'request.query.a': { exists: 'yes' } })).toMatchObject({ at: '/request.query.a/exists', message: '"exists" takes true or false' });
    expect(conditionError({ 'request.query.a': { matches: '(' } })).toMatchObject({ message: expect.stringContaining('not a valid regular expression') });
    expect(conditionError({})).toMatchObject({ at: '' });
    expect(conditionError({ any: [] })).toMatchObject({ at: '/any', message: '"any" takes a non-empty list of conditions' });
    expect(conditionError({ status: 'server errors' })).toMatchObject({ at: '/status', message: expect.stringContaining('not a status condition') });
  });

  it('never lets a client choose a regular expression', () => {
    expect(conditionError({ 'body.name': { matches: '${request.query.pattern}' } }).message).toContain('fixed regular expression');
  });

  it('rejects malformed references', () => {
    expect(conditionError({ 'body..x': { exists: true } }).at).toBe('/body..x');
    expect(conditionError({ 'v2request': { exists: true } }).message).toContain('v2request.query.limit');
  });
});
