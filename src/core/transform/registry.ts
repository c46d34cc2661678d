import type { OpSpec } from './op.js';
import { coerce } from './ops/coerce.js';
import { copy } from './ops/copy.js';
import { empty } from './ops/empty.js';
import { enumMap } from './ops/enum.js';
import { filter } from './ops/filter.js';
import { fn } from './ops/fn.js';
import { order } from './ops/order.js';
import { reject } from './ops/reject.js';
import { paginate } from './ops/paginate.js';
import { sort } from './ops/sort.js';
import { header } from './ops/header.js';
import { move } from './ops/move.js';
import { remove } from './ops/remove.js';
import { rename } from './ops/rename.js';
import { replace } from './ops/replace.js';
import { resource } from './ops/resource.js';
import { scale } from './ops/scale.js';
import { defaultValue, set } from './ops/set.js';
import { status } from './ops/status.js';
import { unwrap, wrap } from './ops/wrap.js';

/** Every op a mapping may use, keyed by the YAML key that names it. */
export const OPS: ReadonlyMap<string, OpSpec> = new Map(
  [rename, move, copy, enumMap, scale, coerce, empty, wrap, unwrap, set, defaultValue, remove, replace, header, status, resource, filter, sort, paginate, order, reject, fn].map(
    (spec) => [spec.id, spec],
  ),
);
