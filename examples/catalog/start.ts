import { startServicePair, type ExampleServices } from '../service-pair.js';
import { createV1Service, type V1ServiceOptions } from './v1-service.js';
import { createV2Service } from './v2-service.js';

/** The same shape as the knowledge example's, so anything that starts one can start the other. */
export type CatalogServices = ExampleServices;

/** Starts the catalog v1 and v2 services, each with a fresh seeded store; port 0 picks a free port. */
export function startCatalogServices(opts: { v1Port?: number; v2Port?: number; host?: string; v1?: V1ServiceOptions } = {}): Promise<CatalogServices> {
  return startServicePair(createV1Service(opts.v1).app, createV2Service().app, opts);
}
