/*
 * The catalog database both example services start from, and return to on POST /__reset. The rows
 * are in the storage shape (prices in cents, integer ids, an empty description as ""); each service
 * renders them in its own representation, the way two API versions read one database:
 *
 *   v1: price 12.5 (euros, a JSON number), vendor_id 2, in_stock true, description "", author, comment
 *   v2: price { amount: 1250, currency: "EUR" }, vendor_id "2", availability "in_stock",
 *       description null, reviewer { display_name }, text; every id a string
 *
 * Names mix upper case, lower case, accented Latin letters and an emoji on purpose: sorting by name
 * in code-point order ("Zebra" < "apple" < "Ångström" < "🫖") differs from both case-insensitive
 * and locale-aware collation, so a wrong comparison shows.
 */

export interface VendorRow {
  id: number;
  name: string;
  country: string;
  email: string;
  created_at: string;
}

export interface ProductRow {
  id: number;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  vendor_id: number;
  tags: string[];
  in_stock: boolean;
  created_at: string;
  updated_at: string;
}

export interface ReviewRow {
  id: number;
  product_id: number;
  author: string;
  rating: number;
  comment: string;
  created_at: string;
}

export interface CatalogSeed {
  vendors: readonly VendorRow[];
  products: readonly ProductRow[];
  reviews: readonly ReviewRow[];
}

const VENDORS: readonly VendorRow[] = [
  { id: 1, name: 'Nordlicht Küchen GmbH', country: 'DE', email: 'orders@nordlicht.example', created_at: '2025-11-03T09:00:00.000Z' },
  { id: 2, name: 'Café Olé Supplies', country: 'ES', email: 'hola@cafe-ole.example', created_at: '2025-11-10T10:30:00.000Z' },
  { id: 3, name: 'acme kitchenware', country: 'US', email: 'support@acme.example', created_at: '2025-12-01T16:45:00.000Z' },
];

type ProductSeed = [id: number, name: string, description: string, cents: number, vendor: number, tags: string[], inStock: boolean];

/* Three products cost 12.50 so that a secondary sort key decides their order. */
const PRODUCT_SEEDS: readonly ProductSeed[] = [
  [1, 'Espresso Cup', 'Double-walled porcelain cup for a single espresso.', 1250, 2, ['coffee', 'kitchen', 'porcelain'], true],
  [2, 'espresso saucer', 'Matching saucer; fits every espresso cup.', 490, 2, ['coffee', 'porcelain'], true],
  [3, 'Émaille Mug', 'Enamelled steel mug for camping and the office.', 1250, 1, ['kitchen', 'steel', 'outdoor'], true],
  [4, 'Zebra Notebook', 'A5 notebook with a striped cover, 120 pages.', 725, 3, ['office', 'paper'], true],
  [5, 'Ångström Ruler', 'Stainless steel ruler with millimetre marks.', 399, 1, ['office', 'steel'], false],
  [6, 'apple peeler', 'Hand-cranked peeler for apples and pears.', 1990, 3, ['kitchen'], true],
  [7, 'Bread Knife', 'Serrated steel blade, 21 cm.', 2400, 1, ['kitchen', 'steel'], true],
  [8, 'Çay Glass Set', 'Six tulip glasses for Turkish tea.', 1250, 2, ['tea', 'glass', 'kitchen'], true],
  [9, 'cast-iron pan', 'Pre-seasoned cast-iron pan, 26 cm.', 4900, 3, ['kitchen', 'cookware'], false],
  [10, 'Aeropress Filter', 'Pack of 350 paper filters for coffee.', 875, 2, ['coffee', 'paper'], true],
  [11, 'Öko Tote Bag', '', 1500, 1, ['bag'], true],
  [12, '🫖 Glass Teapot', 'Borosilicate teapot with a steel infuser.', 3450, 2, ['tea', 'glass', 'steel'], true],
];

const PRODUCTS: readonly ProductRow[] = PRODUCT_SEEDS.map(([id, name, description, cents, vendor, tags, inStock]) => ({
  id,
  name,
  description,
  price_cents: cents,
  currency: 'EUR',
  vendor_id: vendor,
  tags,
  in_stock: inStock,
  created_at: `2026-02-${String(id).padStart(2, '0')}T08:00:00.000Z`,
  updated_at: `2026-03-${String(id).padStart(2, '0')}T12:30:00.000Z`,
}));

type ReviewSeed = [product: number, author: string, rating: number, comment: string];

const REVIEW_SEEDS: readonly ReviewSeed[] = [
  [1, 'Jürgen', 5, 'Keeps the espresso hot.'],
  [1, 'amélie', 4, 'Lovely, a bit small.'],
  [1, 'Sam', 3, ''],
  [2, 'Lucía', 4, 'Fits the cup perfectly.'],
  [2, 'Tom', 2, 'Chipped after a month.'],
  [3, 'Øyvind', 5, 'Survived three camping trips.'],
  [3, 'kim', 4, 'Handle gets warm.'],
  [4, 'Priya', 5, 'Paper takes fountain pen ink.'],
  [4, 'Ólafur', 3, 'Cover scuffs easily.'],
  [4, 'Mei', 4, 'Good value.'],
  [5, 'Zoë', 5, 'Precise markings.'],
  [5, 'Hugo', 1, 'Arrived bent.'],
  [6, 'Chloé', 4, 'Peels an apple in seconds.'],
  [6, 'ben', 3, 'Suction base is weak.'],
  [7, 'Noah', 5, 'Cuts sourdough cleanly.'],
  [7, 'Élise', 5, 'Still sharp after a year.'],
  [7, 'Ravi', 4, ''],
  [8, 'Ayşe', 5, 'Just like at home.'],
  [8, 'Jonas', 4, 'Thin glass, handle with care.'],
  [9, 'Marta', 5, 'Heavy but perfect sear.'],
  [9, 'Li', 2, 'Rusted when left wet.'],
  [10, 'Ana', 4, 'Fits the AeroPress Go too.'],
  [10, 'Björn', 5, 'A year of coffee.'],
  [11, 'Fatima', 3, 'Straps are short.'],
  [11, 'Oskar', 4, 'Holds a lot.'],
  [12, 'Yuki', 5, 'Beautiful and easy to clean.'],
  [12, 'Émile', 4, 'Lid rattles a little.'],
  [12, 'Grace', 5, 'Makes great oolong.'],
];

const REVIEWS: readonly ReviewRow[] = REVIEW_SEEDS.map(([product, author, rating, comment], index) => ({
  id: index + 1,
  product_id: product,
  author,
  rating,
  comment,
  created_at: new Date(Date.UTC(2026, 3, 1, 9, 0) + index * 3_600_000).toISOString(),
}));

export const CATALOG_SEED: CatalogSeed = deepFreeze({ vendors: VENDORS, products: PRODUCTS, reviews: REVIEWS });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
