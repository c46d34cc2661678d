import { startServicePair, type ExampleServices } from '../service-pair.js';
import { createV1Service } from './v1-service.js';
import { createV2Service } from './v2-service.js';

export type { ExampleServices } from '../service-pair.js';

/** Starts the example v1 and v2 services, each with a fresh seeded store; port 0 picks a free port. */
export function startExampleServices(opts: { v1Port?: number; v2Port?: number; host?: string } = {}): Promise<ExampleServices> {
  return startServicePair(createV1Service().app, createV2Service().app, opts);
}
