import { listen, type FetchHandler, type ListeningServer } from '../src/server/listen.js';

/** A bundled example's v1 and v2 services, listening. */
export interface ExampleServices {
  v1: ListeningServer;
  v2: ListeningServer;
  close(): Promise<void>;
}

/** Starts v1 then v2 (port 0 picks a free port); if v2 cannot listen, v1 is stopped again. */
export async function startServicePair(v1App: FetchHandler, v2App: FetchHandler, opts: { v1Port?: number; v2Port?: number; host?: string } = {}): Promise<ExampleServices> {
  const v1 = await listen(v1App, { port: opts.v1Port, host: opts.host });
  let v2: ListeningServer;
  try {
    v2 = await listen(v2App, { port: opts.v2Port, host: opts.host });
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
