import { describe, expect, it } from 'vitest';
import { parsePattern } from '../../src/core/compare/path-pattern.js';
import type { CompatReport, EndpointResult } from '../../src/core/model/report.js';
import { REDACTED, redactReport } from '../../src/core/report/redact.js';
import { formulaText, overallReadiness, scoreEndpoint, WEIGHTS, type EndpointEvidence, type ScoringOptions } from '../../src/core/scoring/readiness.js';

const options: ScoringOptions = { performanceThreshold: 2, latencyAllowanceMs: 1, directRan: false };

function evidence(overrides: Partial<EndpointEvidence> = {}): EndpointEvidence {
  return {
    id: 'get-item',
    v1: 'GET /items/{id}',
    v2: 'GET /v2/items/{id}',
    mapped: true,
    removed: false,
    judgements: [
      { scenario: 'a', errored: false, faithful: true, answeredAsRemoved: false },
      { scenario: 'b', errored: false, faithful: true, answeredAsRemoved: false },
    ],
    rules: ['/endpoints/0/response/0', '/endpoints/0/response/1'],
    exercised: new Set(['/endpoints/0/response/0', '/endpoints/0/response/1']),
    p50: { v1: 10, gateway: 15, floor: 12 },
    requests: { v1: { total: 20, failed: 0 }, gateway: { total: 20, failed: 0 } },
    unexplained: 0,
    ...overrides,
  };
}

/** The formula as the report states it: fidelity × (1 − Σ weight × (1 − value)) over the others. */
const recomputed = (result: EndpointResult) => {
  const fidelity = result.components.find((c) => c.name === 'fidelity')!.value;
  const penalty = result.components.filter((c) => c.name !== 'fidelity').reduce((sum, c) => sum + c.weight * (1 - c.value), 0);
  return Math.round(1000 * fidelity * (1 - penalty)) / 10;
};

describe('endpoint readiness', () => {
  it('scores a faithful, fast, fully exercised endpoint 100, ready via the gateway, with its overhead apart', () => {
    const result = scoreEndpoint(evidence(), options);
    expect(result).toMatchObject({ verdict: 'ready-via-gateway', score: 100, scenarios: ['a', 'b'], gatewayOverheadMs: 3, unexercisedRules: [] });
    expect(result.latencyRatio).toBeCloseTo(15 / 11, 2);
    expect(result.components.map((c) => [c.name, c.weight])).toEqual(Object.entries(WEIGHTS));
  });

  it('is recomputable from its components, and blocks on one unfaithful scenario', () => {
    const result = scoreEndpoint(evidence({ judgements: [{ scenario: 'a', errored: false, faithful: false, answeredAsRemoved: false }, { scenario: 'b', errored: false, faithful: true, answeredAsRemoved: false }], unexplained: 2 }), options);
    expect(result.verdict).toBe('blocked');
    expect(result.components.find((c) => c.name === 'fidelity')).toMatchObject({ value: 0.5, detail: '1 of 2 scenarios identical modulo noise and explained differences' });
    expect(result.score).toBe(50);
    expect(result.score).toBe(recomputed(result));
  });

  it('scores an endpoint whose every scenario differs 0, however fast and covered it is', () => {
    const broken = [{ scenario: 'a', errored: false, faithful: false, answeredAsRemoved: false }];
    const result = scoreEndpoint(evidence({ judgements: broken, unexplained: 5 }), options);
    expect(result.components.filter((c) => c.name !== 'fidelity').map((c) => c.value)).toEqual([1, 1, 1]);
    expect(result).toMatchObject({ verdict: 'blocked', score: 0 });
  });

  it('lowers coverage for unexercised rules without blocking, and lists them', () => {
    const result = scoreEndpoint(evidence({ exercised: new Set(['/endpoints/0/response/0']) }), options);
    expect(result).toMatchObject({ verdict: 'ready-via-gateway', score: 90, unexercisedRules: ['/endpoints/0/response/1'] });
    expect(result.score).toBe(recomputed(result));
  });

  it('judges latency with the hop allowance: full marks up to the threshold, nothing at twice it', () => {
    const holding = { roundRatios: [3, 3, 3, 3], samples: { v1: 40, gateway: 40 } };
    const latency = (gateway: number) => scoreEndpoint(evidence({ p50: { v1: 10, gateway }, ...holding }), options);
    expect(latency(22).components.find((c) => c.name === 'latency')!.value).toBe(1);
    expect(latency(33).components.find((c) => c.name === 'latency')!.value).toBe(0.5);
    expect(latency(33).score).toBe(92.5);
    expect(latency(33).verdict).toBe('blocked');
    expect(latency(33).components.find((c) => c.name === 'latency')!.detail).toMatch(/from 40 gateway and 40 v1 samples.* over 4 rounds, 4 of them over the threshold/);
    expect(latency(50).components.find((c) => c.name === 'latency')!.value).toBe(0);
    // On loopback a 0.3 ms v1 and a 1.2 ms gateway are one hop apart, not four times slower.
    expect(scoreEndpoint(evidence({ p50: { v1: 0.3, gateway: 1.2 } }), options).verdict).toBe('ready-via-gateway');
    expect(scoreEndpoint(evidence({ p50: { v1: 0.3, gateway: 1.2 }, roundRatios: [4, 4, 4] }), { ...options, latencyAllowanceMs: 0 }).verdict).toBe('blocked');
  });

  it('grants the measured hop through the gateway when it costs more than the configured allowance', () => {
    // A busy machine: v1 answers in 4 ms, a hop through the gateway costs 5 ms, the gateway 12 ms.
    const busy = (hopMs?: number) => scoreEndpoint(evidence({ p50: { v1: 4, gateway: 12 }, roundRatios: [3, 3, 3], ...(hopMs !== undefined ? { hopMs } : {}) }), options);
    expect(busy().latencyRatio).toBe(2.4);
    expect(busy(5).latencyRatio).toBe(1.33);
    expect(busy(5).verdict).toBe('ready-via-gateway');
    expect(busy(5).components.find((c) => c.name === 'latency')!.detail).toMatch(/judged 12 \/ \(4 \+ 5\) = 1\.33 .*one hop through the gateway took 5 ms \(p50\)/);
    expect(busy(0.2).latencyRatio).toBe(2.4);
  });

  it('judges against v1 plus the measured hop sample by sample, when the run measured it', () => {
    // v1 samples that each met a 9 ms stall on the way through a hop: the baseline p50 is 12 ms.
    const result = scoreEndpoint(evidence({ p50: { v1: 3, gateway: 18, baseline: 12 }, hopMs: 1, roundRatios: [1.5, 1.5, 1.5] }), options);
    expect(result.latencyRatio).toBe(1.5);
    expect(result.verdict).toBe('ready-via-gateway');
    expect(result.components.find((c) => c.name === 'latency')!.detail).toContain('judged against v1 plus one measured hop through the gateway, sample by sample: 18 / 12 = 1.5');
  });

  it('blocks on latency only when the ratio holds across rounds; otherwise warns, saying how many samples', () => {
    const slow = (roundRatios: number[]) => scoreEndpoint(evidence({ p50: { v1: 10, gateway: 33 }, roundRatios, samples: { v1: 30, gateway: 30 } }), options);
    expect(slow([3, 3, 1, 3]).verdict).toBe('blocked');
    const spiky = slow([1, 1, 5, 1]);
    expect(spiky.verdict).toBe('ready-via-gateway');
    expect(spiky.warnings).toEqual([expect.stringMatching(/^latency ratio 3 is over the threshold 2, but only in 1 of 4 measured rounds .*; 30 gateway and 30 v1 samples/)]);
    expect(slow([3, 3]).verdict).toBe('ready-via-gateway');
    expect(slow([3, 3]).warnings).toHaveLength(1);
    expect(scoreEndpoint(evidence(), options).warnings).toBeUndefined();
  });

  it('blocks when the gateway fails more often than v1', () => {
    const result = scoreEndpoint(evidence({ requests: { v1: { total: 20, failed: 0 }, gateway: { total: 20, failed: 1 } } }), options);
    expect(result.verdict).toBe('blocked');
    expect(result.components.find((c) => c.name === 'error-rate')!.value).toBe(0.5);
  });

  it('is ready only when --direct showed v2 itself answers like v1', () => {
    const direct = { ...options, directRan: true };
    const judgements = evidence().judgements.map((j) => ({ ...j, directFaithful: true }));
    expect(scoreEndpoint(evidence({ judgements }), direct).verdict).toBe('ready');
    expect(scoreEndpoint(evidence({ judgements: [{ ...judgements[0]!, directFaithful: false }, judgements[1]!] }), direct).verdict).toBe('ready-via-gateway');
  });

  it('treats removed, untested and unmapped endpoints as such', () => {
    const removed = scoreEndpoint(evidence({ removed: true, rules: [], judgements: [{ scenario: 'x', errored: false, faithful: false, answeredAsRemoved: true }] }), options);
    expect(removed).toMatchObject({ verdict: 'removed', score: 100 });
    expect(removed.latencyRatio).toBeUndefined();
    expect(scoreEndpoint(evidence({ judgements: [] }), options)).toMatchObject({ verdict: 'untested', score: 0, components: [] });
    const unmapped = scoreEndpoint(evidence({ mapped: false, rules: [], judgements: [{ scenario: 'x', errored: false, faithful: false, answeredAsRemoved: false }] }), options);
    expect(unmapped.verdict).toBe('blocked');
    expect(unmapped.components[0]).toMatchObject({ name: 'coverage', value: 0 });
    // A route v1 does not serve either (a 404, a 405, a preflight the gateway answers by policy) is no gap.
    const servedByNeither = scoreEndpoint(evidence({ mapped: false, rules: [], judgements: [{ scenario: 'x', errored: false, faithful: true, answeredAsRemoved: false }] }), options);
    expect(servedByNeither.components[0]).toMatchObject({ name: 'coverage', value: 1, detail: 'no endpoint maps this route, and the gateway answers it as v1 does' });
    expect(servedByNeither.verdict).not.toBe('blocked');
    const errored = scoreEndpoint(evidence({ judgements: [{ scenario: 'a', errored: true, faithful: true, answeredAsRemoved: false }] }), options);
    expect(errored.verdict).toBe('blocked');
  });
});

describe('overall readiness', () => {
  const endpoint = (verdict: EndpointResult['verdict'], score: number, scenarios: number): EndpointResult => ({
    id: `${verdict}-${score}`,
    v1: 'GET /x',
    verdict,
    score,
    components: [],
    scenarios: Array.from({ length: scenarios }, (_, i) => `s${i}`),
    unexplained: 0,
    unexercisedRules: [],
  });

  const complete = { partial: false, tags: [], allowUntested: false };

  it('weights endpoints by scenario count, counting an untested endpoint once at 0', () => {
    expect(overallReadiness([endpoint('ready-via-gateway', 100, 3), endpoint('removed', 100, 1)], complete)).toEqual({ score: 100, verdict: 'ready-via-gateway', incomplete: [] });
    expect(overallReadiness([endpoint('ready-via-gateway', 100, 3), endpoint('untested', 0, 0)], { ...complete, allowUntested: true })).toEqual({ score: 75, verdict: 'ready-via-gateway', incomplete: [] });
    expect(overallReadiness([endpoint('ready', 90, 1), endpoint('blocked', 60, 2)], complete)).toMatchObject({ score: 70, verdict: 'blocked' });
    expect(overallReadiness([endpoint('ready', 100, 1), endpoint('removed', 100, 1)], complete).verdict).toBe('ready');
    expect(overallReadiness([endpoint('untested', 0, 0)], complete).verdict).toBe('blocked');
  });

  it('never says ready for an interrupted or tag-filtered run, or with untested endpoints unless allowed', () => {
    const ready = [endpoint('ready', 100, 2), endpoint('removed', 100, 1)];
    expect(overallReadiness(ready, { ...complete, partial: true })).toMatchObject({ verdict: 'incomplete', incomplete: [expect.stringMatching(/interrupted/)] });
    expect(overallReadiness(ready, { ...complete, tags: ['search'] })).toMatchObject({ verdict: 'incomplete', incomplete: ['only scenarios tagged search ran'] });
    const untested = [...ready, endpoint('untested', 0, 0)];
    expect(overallReadiness(untested, complete)).toMatchObject({ verdict: 'incomplete', incomplete: [expect.stringMatching(/1 endpoint is untested \(untested-0\); add scenarios, or pass --allow-untested/)] });
    expect(overallReadiness(untested, { ...complete, allowUntested: true }).verdict).toBe('ready');
    expect(overallReadiness([...untested, endpoint('blocked', 0, 1)], complete).verdict).toBe('blocked');
  });

  it('writes the formula with the run\'s threshold and allowance', () => {
    const text = formulaText({ performanceThreshold: 1.5, latencyAllowanceMs: 2, directRan: false });
    expect(text).toContain('100 × fidelity × (1 − 0.2 × (1 − coverage) − 0.15 × (1 − latency) − 0.15 × (1 − error-rate))');
    expect(text).toContain('An endpoint with fidelity 0 scores 0');
    expect(text).toContain('r = gateway p50 / (v1 p50 + allowance)');
    expect(text).toContain('allowance is 2 ms (latencyAllowanceMs) or, when larger, one hop through the gateway measured during the run');
    expect(text).toContain('1 when r ≤ 1.5 (performanceThreshold), falling linearly to 0 at r = 3');
  });
});

describe('redaction', () => {
  it('hides credentials and configured fields wherever a difference carries them', () => {
    const report = {
      scenarios: [
        {
          name: 's',
          differences: [
            { pointer: '/headers/authorization', label: 'unexplained', v1: 'Bearer one', actual: 'Bearer two', reason: 'r' },
            { pointer: '/headers/set-cookie', label: 'unexplained', v1: 'sid=1', reason: 'r' },
            { pointer: '/body', label: 'unexplained', v1: { user: { password: 'p', name: 'n' } }, actual: null, reason: 'r' },
            { pointer: '/body/token', label: 'noise', v1: 't1', actual: 't2', reason: 'r' },
          ],
        },
      ],
      run: { targets: { v1: 'http://admin:hunter2@127.0.0.1:4001/' } },
    } as unknown as CompatReport;
    const clean = redactReport(report, [parsePattern('body.**.password'), parsePattern('body.token')]);
    expect(clean.scenarios[0]!.differences).toEqual([
      { pointer: '/headers/authorization', label: 'unexplained', v1: REDACTED, actual: REDACTED, reason: 'r' },
      { pointer: '/headers/set-cookie', label: 'unexplained', v1: REDACTED, reason: 'r' },
      { pointer: '/body', label: 'unexplained', v1: { user: { password: REDACTED, name: 'n' } }, actual: null, reason: 'r' },
      { pointer: '/body/token', label: 'noise', v1: REDACTED, actual: REDACTED, reason: 'r' },
    ]);
    expect(clean.run.targets.v1).toBe('http://127.0.0.1:4001/');
    expect(JSON.stringify(clean)).not.toMatch(/hunter2|Bearer|sid=1|"t1"/);
  });
});
