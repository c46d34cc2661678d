import { compileMapping } from '../../src/core/mapping/compile.js';
import type { MappingDocument } from '../../src/core/model/mapping.js';
import { startGateway } from '../../src/server/gateway.js';

/*
 * A gateway in its own process, for tests that measure its memory: its RSS is then its own,
 * not the test's (which also runs the client and the upstream). Started by startGatewayProcess
 * in gateway-streaming.test.ts with the mapping, upstream and body limit as JSON in argv[2];
 * says where it listens and answers RSS questions over IPC; exits when the test disconnects.
 */

interface Settings {
  mapping: MappingDocument;
  upstreamUrl: string;
  bodyLimit: number;
}

const settings = JSON.parse(process.argv[2]!) as Settings;
const { table, diagnostics } = compileMapping(settings.mapping);
if (!table) throw new Error(`test mapping does not compile: ${JSON.stringify(diagnostics)}`);
const running = await startGateway({ table, upstreamUrl: settings.upstreamUrl, upstreamOptions: { bodyLimit: settings.bodyLimit } });
process.on('message', (message: { type: string; id: number }) => {
  if (message.type === 'rss') process.send!({ type: 'rss', id: message.id, rss: process.memoryUsage.rss() });
});
process.on('disconnect', () => void running.close().finally(() => process.exit(0)));
process.send!({ type: 'ready', url: running.url });
