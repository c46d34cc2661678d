import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadMappingFile } from '../src/io/load-mapping.js';

/*
 * What ships beside the code: the licence the package declares, a container image definition
 * and Kubernetes manifests that match the gateway's flags, ports and probes.
 */

const read = (file: string) => readFile(new URL(`../${file}`, import.meta.url), 'utf8');

/** A parsed manifest, read by known paths: the assertions below are its type check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = Record<string, any>;

async function manifest(file: string): Promise<Manifest> {
  const [document] = parseAllDocuments(await read(`deploy/kubernetes/${file}`));
  return document!.toJS() as Manifest;
}

describe('licence', () => {
  it('LICENSE is the MIT licence package.json declares', async () => {
    const pkg = JSON.parse(await read('package.json')) as { license: string };
    expect(pkg.license).toBe('MIT');
    const text = await read('LICENSE');
    expect(text.split('\n')[0]).toBe('MIT License');
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });
});

describe('Dockerfile', () => {
  it('runs node bin/api-compat.js as a non-root user, with a health check on the admin port', async () => {
    const text = await read('Dockerfile');
    expect(text).toMatch(/^FROM node:20-alpine$/m);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "bin\/api-compat.js"\]$/m);
    expect(text).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(text).toContain('npm ci --omit=dev');
  });
});

describe('Kubernetes manifests', () => {
  it('the Deployment probes the admin port, drains after a preStop pause, and has limits', async () => {
    const deployment = await manifest('deployment.yaml');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.filter((entry: { value?: string }) => entry.value !== undefined).map((entry: { name: string; value: string }) => [entry.name, entry.value]));
    const adminPort = container.ports.find((port: { name: string }) => port.name === 'admin').containerPort;
    expect(String(adminPort)).toBe(env.API_COMPAT_ADMIN_PORT);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'admin' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'admin' });
    expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(preStop + Number(env.API_COMPAT_DRAIN_TIMEOUT) / 1000).toBeLessThan(pod.terminationGracePeriodSeconds);
    expect(container.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    // The admin port listens on the pod network for the kubelet's probes, so its token is required.
    expect(env.API_COMPAT_ADMIN_HOST).toBe('0.0.0.0');
    const token = container.env.find((entry: { name: string }) => entry.name === 'API_COMPAT_ADMIN_TOKEN');
    expect(token.valueFrom.secretKeyRef).toEqual({ name: 'api-compat-admin', key: 'token' });
    // Every API_COMPAT_* variable names a real serve flag.
    const help = await read('src/cli/commands/serve.ts');
    for (const name of Object.keys(env).filter((key) => key.startsWith('API_COMPAT_'))) expect(help).toContain(`'${name.slice('API_COMPAT_'.length)}'`);
  });

  it('the Service exposes the traffic port only', async () => {
    const service = await manifest('service.yaml');
    expect(service.spec.ports.map((port: { targetPort: string }) => port.targetPort)).toEqual(['http']);
  });

  it('the HorizontalPodAutoscaler scales the Deployment', async () => {
    const hpa = await manifest('hpa.yaml');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'api-compat' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('the ConfigMap holds the bundled mapping, unchanged and valid', async () => {
    const configMap = await manifest('configmap.yaml');
    const mapping = configMap.data['mapping.yaml'] as string;
    const original = (await read('mappings/knowledge.yaml')).replace(/^# yaml-language-server:.*\n/, '');
    expect(mapping).toBe(original);
    const dir = await mkdtemp(join(tmpdir(), 'api-compat-configmap-'));
    try {
      const file = join(dir, 'mapping.yaml');
      await writeFile(file, mapping);
      const loaded = await loadMappingFile(file, { env: {} });
      expect(loaded.table.endpoints.length).toBeGreaterThan(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
