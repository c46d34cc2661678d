import type { HttpMessage } from '../src/core/model/http-message.ts';
import type { HandlerContext } from '../src/core/mapping/compiled.ts';

/**
 * GET /reviews/{id}: v1 deleted a product's reviews with it; v2 keeps them. A review whose
 * product no longer exists is answered as v1 would: not found.
 */
export async function reviewOfExistingProduct(v2Request: HttpMessage, context: HandlerContext): Promise<HttpMessage> {
  const review = await context.send(v2Request);
  if (review.status !== 200) return review;
  const productId = (review.body as { data?: { product_id?: string } }).data?.product_id;
  const product = await context.send({ ...v2Request, path: `/v2/products/${encodeURIComponent(String(productId))}`, params: {}, query: {} });
  if (product.status === 404) {
    return { ...product, body: { ...(product.body as object), detail: `review ${v2Request.params.id} does not exist` } };
  }
  return review;
}
