import { CATALOG_SEED, type ProductRow, type ReviewRow, type VendorRow } from './seed.js';

/*
 * The in-memory catalog database behind each example service (each service has its own instance,
 * as each version would have its own deployment). Ids come from per-table sequences that continue
 * after the seed and are never reused, so the same create on v1 and on v2 from the same state gets
 * the same id. Tables are Maps: they iterate in insertion order, and ids only grow, so iteration
 * order is id order.
 */

export type NewProductRow = Omit<ProductRow, 'id' | 'created_at' | 'updated_at'>;
export type NewReviewRow = Omit<ReviewRow, 'id' | 'created_at'>;

export class CatalogStore {
  vendors = new Map<number, VendorRow>();
  products = new Map<number, ProductRow>();
  reviews = new Map<number, ReviewRow>();
  private nextProductId = 1;
  private nextReviewId = 1;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.vendors = new Map(CATALOG_SEED.vendors.map((row) => [row.id, structuredClone(row)]));
    this.products = new Map(CATALOG_SEED.products.map((row) => [row.id, structuredClone(row)]));
    this.reviews = new Map(CATALOG_SEED.reviews.map((row) => [row.id, structuredClone(row)]));
    this.nextProductId = Math.max(0, ...this.products.keys()) + 1;
    this.nextReviewId = Math.max(0, ...this.reviews.keys()) + 1;
  }

  addProduct(fields: NewProductRow): ProductRow {
    const now = new Date().toISOString();
    const row: ProductRow = { id: this.nextProductId++, ...fields, tags: [...fields.tags], created_at: now, updated_at: now };
    this.products.set(row.id, row);
    return row;
  }

  /** Replaces the writable fields of a product and stamps updated_at. */
  updateProduct(row: ProductRow, fields: NewProductRow): void {
    Object.assign(row, fields, { tags: [...fields.tags], updated_at: new Date().toISOString() });
  }

  deleteProduct(id: number): void {
    this.products.delete(id);
  }

  deleteReviewsOf(productId: number): void {
    for (const review of [...this.reviews.values()]) {
      if (review.product_id === productId) this.reviews.delete(review.id);
    }
  }

  reviewsOf(productId: number): ReviewRow[] {
    return [...this.reviews.values()].filter((review) => review.product_id === productId);
  }

  addReview(fields: NewReviewRow): ReviewRow {
    const row: ReviewRow = { id: this.nextReviewId++, ...fields, created_at: new Date().toISOString() };
    this.reviews.set(row.id, row);
    return row;
  }
}

/**
 * Orders strings by Unicode code point, which is also UTF-8 byte order and what a database with a
 * binary collation does. JavaScript's `<` compares UTF-16 code units, which puts characters above
 * U+FFFF (emoji) before U+E000-U+FFFF; iterating a string yields whole code points instead.
 */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const difference = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
}

export interface SortKey<T> {
  field: string;
  descending: boolean;
  value: (row: T) => string | number;
}

/** Sorts by the keys in order, then by id ascending, so every order is total and repeatable. */
export function sortRows<T extends { id: number }>(rows: T[], keys: readonly SortKey<T>[]): T[] {
  return [...rows].sort((a, b) => {
    for (const key of keys) {
      const x = key.value(a);
      const y = key.value(b);
      const order = typeof x === 'string' && typeof y === 'string' ? compareCodePoints(x, y) : (x as number) - (y as number);
      if (order !== 0) return key.descending ? -order : order;
    }
    return a.id - b.id;
  });
}
