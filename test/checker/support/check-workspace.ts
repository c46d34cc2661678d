import type { Hono } from 'hono';
import { listen, type ListeningServer } from '../../../src/server/listen.js';
import { tempDir } from './cli.js';

export interface CheckWorkspace {
  v1: ListeningServer;
  v2: ListeningServer;
  /** A temporary folder for the test's mapping, suites and reports. */
  folder: { dir: string; remove: () => Promise<void> };
  close(): Promise<void>;
}

/** A small v1 and v2 on loopback and a folder beside them: what most checker tests run against. */
export async function startCheckWorkspace(v1App: Hono, v2App: Hono): Promise<CheckWorkspace> {
  const [v1, v2] = await Promise.all([listen(v1App), listen(v2App)]);
  const folder = await tempDir();
  return {
    v1,
    v2,
    folder,
    close: async () => {
      await Promise.all([v1.close(), v2.close()]);
      await folder.remove();
    },
  };
}
