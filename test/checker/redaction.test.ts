import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/core/model/report.js';
import type { ListeningServer } from '../../src/server/listen.js';
import { startCheckWorkspace, type CheckWorkspace } from './support/check-workspace.js';
import { runCli } from './support/cli.js';

/*
 * "Reports never contain secrets": not in differences, and not in the sentences either. A
 * failed expectation quotes the value it found, and a scenario error quotes the request it was
 * sending (with a token captured from an earlier answer in its query); every report format must
 * show [redacted] there.
 */

const SECRETS = /tok_LIVE_v[12]_SECRET|COOKIE_SECRET_V[12]|REQUEST_SECRET_42/;
const FORMATS = ['report.json', 'report.md', 'report.html', 'junit.xml'];

let v1: ListeningServer;
let v2: ListeningServer;
let folder: CheckWorkspace['folder'];
let closeWorkspace: (() => Promise<void>) | undefined;

function service(side: 'v1' | 'v2'): Hono {
  const app = new Hono();
  const prefix = side === 'v1' ? '' : '/v2';
  const token = side === 'v1' ? 'tok_LIVE_v1_SECRET' : 'tok_LIVE_v2_SECRET';
  app.post(`${prefix}/login`, (c) =>
    c.json({ token, user: { name: 'ann', token } }, 200, { 'set-cookie': `sid=COOKIE_SECRET_${side.toUpperCase()}; Path=/; HttpOnly` }),
  );
  // v1 answers the follow-up with broken JSON: the error quotes the request, token and all.
  app.get(`${prefix}/me`, (c) => (side === 'v1' ? c.body('{"name": "ann", oops', 200, { 'content-type': 'application/json' }) : c.json({ name: 'ann' })));
  return app;
}

beforeAll(async () => {
  ({ v1, v2, folder, close: closeWorkspace } = await startCheckWorkspace(service('v1'), service('v2')));
  await writeFile(
    join(folder.dir, 'mapping.yaml'),
    ['name: login', 'upstream: http://127.0.0.1:1', 'endpoints:', '  - { id: login, v1: "POST /login", v2: "POST /v2/login" }', '  - { id: me, v1: "GET /me", v2: "GET /v2/me" }'].join('\n'),
  );
  await writeFile(
    join(folder.dir, 'suite.yaml'),
    [
      'suite: secrets',
      'mapping: mapping.yaml',
      'headers: { Authorization: "Bearer REQUEST_SECRET_42" }',
      'redact: [body.token, body.**.token]',
      'scenarios:',
      '  - name: log in',
      '    request: { method: POST, path: /login, body: { password: hunter2 } }',
      '    expect:',
      '      body: { token: { $regex: "^tok_test_" }, user: { name: bob } }',
      '      headers: { set-cookie: { $exists: false } }',
      '  - name: log in, then who am i',
      '    steps:',
      '      - request: { method: POST, path: /login, body: { password: hunter2 } }',
      '        capture: { token: body.token }',
      '      - request: GET /me?token=${token}',
    ].join('\n'),
  );
});

afterAll(() => closeWorkspace?.());

describe('secrets in failed expectations and errors', () => {
  it('are redacted in all four report formats', async () => {
    const out = join(folder.dir, 'out');
    const { code, stdout, stderr } = await runCli(['check', '--suite', join(folder.dir, 'suite.yaml'), '--v1', v1.url, '--v2', v2.url, '--repeat', '1', '--warmup', '0', '--out', out, '--format', 'json,md,html,junit']);
    expect(code).toBe(1);
    // What a CI log keeps: the progress lines and the summary quote the same errors.
    expect(stdout).toContain('GET /me?token=[redacted]');
    expect(stdout + stderr).not.toMatch(SECRETS);
    for (const file of FORMATS) {
      const text = await readFile(join(out, 'secrets', 'latest', file), 'utf8');
      expect(text, file).not.toMatch(SECRETS);
      expect(text, file).toContain('[redacted]');
    }
    const report = JSON.parse(await readFile(join(out, 'secrets', 'latest', 'report.json'), 'utf8')) as CompatReport;
    const [login, flow] = report.scenarios;
    expect(login!.expectations).toEqual(
      expect.arrayContaining([
        { target: 'v1', step: 0, message: 'body.token: "[redacted]" does not match /^tok_test_/' },
        { target: 'v1', step: 0, message: 'header set-cookie: present ("[redacted]"), expected absent' },
        { target: 'gateway', step: 0, message: 'body.user: {"name":"ann","token":"[redacted]"}, expected {"name":"bob"}' },
      ]),
    );
    expect(login!.error).toMatch(/^v1 does not meet the scenario's own expectations \(step 0: header set-cookie: present \("\[redacted\]"\), expected absent\)/);
    expect(flow!.outcome).toBe('error');
    expect(flow!.error).toMatch(/^v1, step 1: GET \/me\?token=\[redacted\]: answered application\/json that is not valid JSON/);
  });
});
