/**
 * How the bench talks to a server it started in a child process: the child says where it
 * listens, then answers usage questions, so CPU time and memory are read inside the process
 * that spent them (on a shared 2-core machine that is steadier than any throughput figure).
 */

export interface ProcessUsage {
  /** User plus system CPU time since the process started, in microseconds. */
  cpuMicros: number;
  rssBytes: number;
}

export type ChildMessage = { type: 'ready'; url: string } | ({ type: 'usage'; id: number } & ProcessUsage);
export type ParentMessage = { type: 'usage'; id: number };

/** Child side: announce the URL, answer usage questions, and exit with the bench. */
export function serveMeasurements(url: string): void {
  if (!process.send) throw new Error('start this file from the bench (it needs an IPC channel): npm run bench');
  process.on('message', (message: ParentMessage) => {
    if (message.type !== 'usage') return;
    const cpu = process.cpuUsage();
    const reply: ChildMessage = { type: 'usage', id: message.id, cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage.rss() };
    process.send!(reply);
  });
  // The bench closes the channel when it ends, crashes or is interrupted: never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready', url } satisfies ChildMessage);
}

/** `--name value` from argv, or a clear failure. */
export function requiredArgument(name: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (!value) throw new Error(`missing --${name}`);
  return value;
}
