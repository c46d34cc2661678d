import { listen, type ListeningServer } from '../../src/server/listen.js';
import { createV1Service } from './v1-service.js';
import { createV2Service } from './v2-service.js';

export interface ExampleServices {
  v1: ListeningServer;
  v2: ListeningServer;
  close(): Promise<void>;
}

/** Starts the example v1 and v2 services, each with a fresh seeded store; port 0 picks a free port. */
export async function startExampleServices(
  opts: { v1Port?: number; v2Port?: number; host?: string } = {},
): Promise<ExampleServices> {
  const v1 = await listen(createV1Service().app, { port: opts.v1Port, host: opts.host });
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
