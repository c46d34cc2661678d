import { spawn } from 'node:child_process';
import type { ResetHook, Side } from '../core/model/scenario.js';
import { RunAborted, TargetFailure, type HttpTarget } from './http-target.js';

export interface ResetContext {
  /** Where each side's HTTP reset goes: v1's base URL, and v2's (not the gateway's). */
  targets: Partial<Record<Side, HttpTarget>>;
  /** Working directory and environment of reset commands (the suite's folder). */
  cwd: string;
  env: Record<string, string | undefined>;
}

const OUTPUT_TAIL = 400;

/**
 * Runs a side's reset hook (before every run of a scenario that says `reset: true`): an HTTP
 * call to the side's own base URL, or a shell command with V1_URL and V2_URL in its environment.
 * Any failure is a TargetFailure naming the hook, so the scenario ends as `error`.
 */
export async function runReset(side: Side, hook: ResetHook, context: ResetContext, stop: AbortSignal): Promise<void> {
  const label = `reset ${side} (${hook.text})`;
  if (hook.kind === 'http') {
    const target = context.targets[side];
    if (!target) throw new TargetFailure(label, `${label}: no ${side} base URL is known; pass --${side}`);
    try {
      const answer = await target.send({ method: hook.method, target: hook.target, headers: hook.headers }, stop);
      if (answer.status < 200 || answer.status >= 300) throw new TargetFailure(label, `${label} answered ${answer.status}, expected 2xx`);
    } catch (error) {
      if (error instanceof TargetFailure && !error.message.startsWith(label)) {
        throw new TargetFailure(label, `${label} failed: ${error.message.replace(`${hook.method} ${hook.target}: `, '')}`);
      }
      throw error;
    }
    return;
  }
  await runCommand(label, hook.command, hook.timeoutMs, context, stop);
}

function runCommand(label: string, command: string, timeoutMs: number, context: ResetContext, stop: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.reject(new RunAborted());
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...context.env, V1_URL: context.targets.v1?.baseUrl ?? '', V2_URL: context.targets.v2?.baseUrl ?? '' };
    const child = spawn(command, { shell: true, cwd: context.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], signal: stop, timeout: timeoutMs });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => {
      if (stop.aborted) reject(new RunAborted());
      else reject(new TargetFailure(label, `${label} could not run: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (stop.aborted) return reject(new RunAborted());
      if (code === 0) return resolve();
      const why = signal ? `was stopped (${signal}${signal === 'SIGTERM' ? `; timeout ${timeoutMs} ms?` : ''})` : `exited with ${code}`;
      reject(new TargetFailure(label, `${label} ${why}${output.trim() ? `: ${output.trim()}` : ''}`));
    });
  });
}
