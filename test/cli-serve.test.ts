import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleServices, type ExampleServices } from '../examples/knowledge/start.js';
import { main } from '../src/cli/main.js';
import { memoryIo, runCli, tempDir } from './support/cli-harness.js';
import { call, KNOWLEDGE_MAPPING } from './support/example-stack.js';
import { json, startRecordingUpstream } from './support/recording-upstream.js';

let services: ExampleServices;
beforeAll(async () => {
  services = await startExampleServices();
});
afterAll(() => services.close());

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts `api-compat serve` in-process and returns its URLs once it logs that it listens. */
async function serve(args: string[]) {
  const terminal = memoryIo({ env: { V2_URL: services.v2.url } });
  const exit = main(['serve', '--port', '0', ...args], terminal.io);
  const listening = await waitFor(() => {
    const line = terminal.output.stderr.split('\n').find((entry) => entry.includes('"gateway listening"'));
    return line ? (JSON.parse(line) as { url: string; admin?: string }) : undefined;
  }, 'the gateway to listen');
  return { ...listening, terminal, exit };
}

describe('api-compat serve', () => {
  it('serves v1 from v2, exposes metrics per endpoint and client, and drains on stop', async () => {
    const gateway = await serve(['--mapping', KNOWLEDGE_MAPPING, '--admin-port', '0', '--no-watch', '--metrics-clients', 'billing-batch']);
    const task = await call(gateway.url, 'GET', '/tasks/3', undefined, { 'x-client-id': 'billing-batch' });
    expect(task).toMatchObject({ status: 200, body: { id: 3, priority: 5, status: 'done' } });

    const metrics = await (await fetch(`${gateway.admin}/metrics`)).text();
    expect(metrics).toContain('api_compat_legacy_requests_total{endpoint="get-task",client="billing-batch",status="200"} 1');
    expect(metrics).toMatch(/api_compat_request_duration_seconds_count\{endpoint="get-task"\} 1/);
    const routes = (await (await fetch(`${gateway.admin}/routes`)).json()) as { endpoints: Array<{ id: string; v2: string | null }> };
    expect(routes.endpoints.map((endpoint) => endpoint.id)).toContain('search');
    expect((await fetch(`${gateway.admin}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.admin}/readyz`)).status).toBe(200);

    gateway.terminal.stop();
    expect(await gateway.exit).toBe(0);
    expect(gateway.terminal.output.stderr).toContain('"stopped"');
  });

  it('lets a request in flight finish when it is stopped (SIGTERM drain)', async () => {
    const slowV2 = await startRecordingUpstream(async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return json({ id: '1', name: 'slow', priority: 1, status: 'PENDING', timeout_seconds: 60, created_at: '2026-01-01T00:00:00.000Z' });
    });
    try {
      const gateway = await serve(['--mapping', KNOWLEDGE_MAPPING, '--upstream', slowV2.url, '--no-watch']);
      const inFlight = call(gateway.url, 'GET', '/tasks/1');
      await waitFor(() => (slowV2.received.length > 0 ? true : undefined), 'the request to reach v2');
      gateway.terminal.stop();
      expect(await inFlight).toMatchObject({ status: 200, body: { name: 'slow' } });
      expect(await gateway.exit).toBe(0);
      expect(gateway.terminal.output.stderr).toContain('draining in-flight requests');
    } finally {
      await slowV2.close();
    }
  });

  it('counts upstream failures as problems in the metrics', async () => {
    const gateway = await serve(['--mapping', KNOWLEDGE_MAPPING, '--admin-port', '0', '--no-watch', '--upstream', 'http://127.0.0.1:9']);
    expect((await call(gateway.url, 'GET', '/tasks/1')).status).toBe(502);
    const metrics = await (await fetch(`${gateway.admin}/metrics`)).text();
    expect(metrics).toContain('api_compat_problems_total{endpoint="get-task",code="upstream-unreachable"} 1');
    gateway.terminal.stop();
    await gateway.exit;
  });

  it('logs how many upstream calls each answer took', async () => {
    const gateway = await serve(['--mapping', KNOWLEDGE_MAPPING, '--no-watch', '--log-level', 'info']);
    expect((await call(gateway.url, 'GET', '/api/v1/knowledge/1')).status).toBe(200);
    expect((await call(gateway.url, 'GET', '/tasks/3')).status).toBe(200);
    expect((await call(gateway.url, 'GET', '/nowhere')).status).toBe(404);
    const requests = () => gateway.terminal.output.stderr.split('\n').filter((line) => line.includes('"msg":"request"')).map((line) => JSON.parse(line) as { path: string; upstreamCalls: number });
    await waitFor(() => (requests().length === 3 ? true : undefined), 'three access-log lines');
    // get-knowledge makes its main call and the related one; a 404 the gateway answers makes none.
    expect(requests().map(({ path, upstreamCalls }) => [path, upstreamCalls])).toEqual([['/api/v1/knowledge/1', 2], ['/tasks/3', 1], ['/nowhere', 0]]);
    gateway.terminal.stop();
    await gateway.exit;
  });

  it('passes unmapped routes to --legacy', async () => {
    const gateway = await serve(['--mapping', KNOWLEDGE_MAPPING, '--legacy', services.v1.url, '--no-watch']);
    const answer = await call(gateway.url, 'GET', '/not-mapped?x=1');
    // The real v1 answered (its own 404 shape), with the lifecycle headers added.
    expect(answer.body).toEqual({ error: { code: 'not_found', message: 'no route for GET /not-mapped' } });
    expect(answer.headers.get('deprecation')).toMatch(/^@\d+$/);
    gateway.terminal.stop();
    await gateway.exit;
  });

  it('reloads a changed mapping, and keeps serving the old one when the new file is invalid', async () => {
    const workspace = await tempDir();
    try {
      const original = await readFile(KNOWLEDGE_MAPPING, 'utf8');
      const file = await workspace.write('mapping.yaml', original);
      const gateway = await serve(['--mapping', file, '--admin-port', '0']);
      expect((await call(gateway.url, 'POST', '/execute', {})).status).toBe(410);

      await workspace.write('mapping.yaml', original.replace('removed: { status: 410, replacement: POST /api/v2/tasks }', 'removed: { status: 404, replacement: POST /api/v2/tasks }'));
      await waitFor(() => (gateway.terminal.output.stderr.includes('"mapping reloaded"') ? true : undefined), 'the reload');
      expect((await call(gateway.url, 'POST', '/execute', {})).status).toBe(404);

      await workspace.write('mapping.yaml', original.replace('endpoints:', 'endpoints: [oops'));
      await waitFor(() => (gateway.terminal.output.stderr.includes('mapping reload rejected') ? true : undefined), 'the rejection');
      expect((await call(gateway.url, 'POST', '/execute', {})).status).toBe(404);
      expect(await (await fetch(`${gateway.admin}/metrics`)).text()).toContain('api_compat_mapping_reloads_total{result="rejected"} 1');
      gateway.terminal.stop();
      expect(await gateway.exit).toBe(0);
    } finally {
      await workspace.remove();
    }
  });
});

describe('the README\'s sample scrape', () => {
  /** `name{label="v",...} value` lines of the Metrics section's sample, as metric name and label names. */
  async function readmeSample(): Promise<Array<{ line: string; name: string; labels: string[] }>> {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Metrics'));
    const block = /```\n([\s\S]*?)```/.exec(section)![1]!;
    return block.trim().split('\n').map((line) => {
      const [, name, labels] = /^(\w+)(?:\{([^}]*)\})? \S+$/.exec(line)!;
      return { line, name: name!, labels: [...(labels ?? '').matchAll(/(\w+)="/g)].map((match) => match[1]!).sort() };
    });
  }

  it('shows metric names and labels that a real scrape has', async () => {
    const workspace = await tempDir();
    try {
      const original = await readFile(KNOWLEDGE_MAPPING, 'utf8');
      // get-task in shadow mode, as in the README's rollout, so comparisons are counted.
      const file = await workspace.write('mapping.yaml', original.replace('    v1: GET /tasks/{id}\n', '    v1: GET /tasks/{id}\n    mode: shadow\n'));
      const gateway = await serve(['--mapping', file, '--admin-port', '0', '--legacy', services.v1.url, '--metrics-clients', 'billing-batch']);
      expect((await call(gateway.url, 'GET', '/tasks/3', undefined, { 'x-client-id': 'billing-batch' })).status).toBe(200);
      expect((await call(gateway.url, 'GET', '/api/v1/search?q=vector&limit=abc')).status).toBe(422);
      await workspace.write('mapping.yaml', `${await readFile(file, 'utf8')}# touched\n`);
      await waitFor(() => (gateway.terminal.output.stderr.includes('"mapping reloaded"') ? true : undefined), 'the reload');
      const scrape = async () => (await fetch(`${gateway.admin}/metrics`)).text();
      let metrics = await scrape();
      for (let tries = 0; !metrics.includes('api_compat_shadow_comparisons_total{') && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        metrics = await scrape();
      }
      const scraped = metrics.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
        const [, name, labels] = /^(\w+)(?:\{([^}]*)\})? /.exec(line)!;
        return `${name!} ${[...(labels ?? '').matchAll(/(\w+)="/g)].map((match) => match[1]!).sort().join(',')}`;
      });
      for (const sample of await readmeSample()) expect(scraped, sample.line).toContain(`${sample.name} ${sample.labels.join(',')}`);
      expect(metrics).toContain('api_compat_legacy_requests_total{endpoint="get-task",client="billing-batch",status="200"} 1');
      gateway.terminal.stop();
      expect(await gateway.exit).toBe(0);
    } finally {
      await workspace.remove();
    }
  });
});

describe('api-compat translate', () => {
  it('prints the v2 request and the steps that fired', async () => {
    const run = await runCli(['translate', '--mapping', KNOWLEDGE_MAPPING, '--request', 'GET /api/v1/search?q=vector&limit=2', '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { requests: Array<{ request: { method: string; url: string; body: unknown } }>; steps: Array<{ op: string; changed: boolean }> };
    expect(out.requests[0]!.request).toMatchObject({ method: 'POST', url: '/api/v2/query/advanced-search', body: { query: 'vector', limit: 2 } });
    expect(out.steps.filter((step) => step.changed).map((step) => step.op)).toEqual(['default', 'move', 'move']);
  });

  it('translates a given v2 response of a two-call endpoint back to v1', async () => {
    const workspace = await tempDir();
    try {
      const responses = await workspace.write(
        'v2.yaml',
        ['calls:', '  main: { status: 200, body: { id: "7", title: T, body: B, knowledge_type: note, metadata: { tags: [a] } } }', '  related: { status: 200, body: { data: [{ id: "2" }] } }'].join('\n'),
      );
      const run = await runCli(['translate', '--mapping', KNOWLEDGE_MAPPING, '--request', 'GET /api/v1/knowledge/7', '--response', responses]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('GET /api/v2/knowledge/7/related');
      expect(run.stdout).toContain('"related_ids":[2]');
      expect(run.stdout).toContain('"content":"B"');
    } finally {
      await workspace.remove();
    }
  });

  it('says which request no endpoint maps (exit 1)', async () => {
    const run = await runCli(['translate', '--mapping', KNOWLEDGE_MAPPING, '--request', 'GET /nowhere']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no endpoint');
  });
});

describe('api-compat demo', () => {
  it('starts the example and the gateway, prints URLs and curl lines, and stops cleanly', async () => {
    const terminal = memoryIo();
    const exit = main(['demo', '--port', '0', '--v1-port', '0', '--v2-port', '0'], terminal.io);
    const gatewayUrl = await waitFor(() => /gateway\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(terminal.output.stdout)?.[1], 'the demo');
    expect(terminal.output.stdout).toMatch(/curl -i '.*\/api\/v1\/search\?q=vector&limit=2'/);
    expect((await call(gatewayUrl, 'GET', '/api/v1/knowledge/1')).body).toMatchObject({ id: 1, related_ids: [2, 3] });
    terminal.stop();
    expect(await exit).toBe(0);
  });
});

describe('the installed command', () => {
  it('runs from bin/ with --help, as npx api-compat does after npm ci', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/api-compat.js', '--help'], { cwd: new URL('..', import.meta.url).pathname });
    expect(stdout).toContain('Usage: api-compat');
    expect(stdout).toMatch(/serve \[options\]/);
  });

  it('exits 2 on an unknown option', async () => {
    const run = await runCli(['serve', '--mapping', KNOWLEDGE_MAPPING, '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });
});
