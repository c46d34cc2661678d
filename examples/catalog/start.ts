import { listen, type ListeningServer } from '../../src/server/listen.js';
import type { ExampleServices } from '../knowledge/start.js';
import { createV1Service, type V1ServiceOptions } from './v1-service.js';
import { createV2Service } from './v2-service.js';

/** The same shape as the knowledge example's, so anything that starts one can start the other. */
export type CatalogServices = ExampleServices;

/** Starts the catalog v1 and v2 services, each with a fresh seeded store; port 0 picks a free port. */
export async function startCatalogServices(
  opts: { v1Port?: number; v2Port?: number; host?: string; v1?: V1ServiceOptions } = {},
): Promise<CatalogServices> {
  const v1 = await listen(createV1Service(opts.v1).app, { port: opts.v1Port, host: opts.host });
  let v2: ListeningServer;
  try {
    v2 = await listen(createV2Service().app, { port: opts.v2Port, host: opts.host });
  } catch (error) {
    await v1.close();
    throw error;
  }
  return {
    v1,
    v2,
    close: async () => {
      await Promise.all([v1.close(), v2.close()]);
    },
  };
}
