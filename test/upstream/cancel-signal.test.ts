import { describe, expect, it } from 'vitest';
import { Cancellation } from '../../src/upstream/cancel-signal.js';
import { ConcurrencyGate } from '../../src/upstream/concurrency-gate.js';

describe('Cancellation', () => {
  it('calls each listener still registered once, with the reason readable, and is cancelled only once', () => {
    const signal = new Cancellation();
    const heard: unknown[] = [];
    const kept = () => heard.push(signal.reason);
    const removed = () => heard.push('removed listener called');
    signal.addEventListener('abort', kept);
    signal.addEventListener('abort', removed);
    signal.removeEventListener('abort', removed);
    expect(signal.aborted).toBe(false);
    signal.cancel('client gone');
    signal.cancel('again');
    expect(signal.aborted).toBe(true);
    expect(heard).toEqual(['client gone']);
  });

  it('does not call a listener added after it was cancelled, as an AbortSignal would not', () => {
    const signal = new Cancellation();
    signal.cancel('gone');
    let called = false;
    signal.addEventListener('abort', () => (called = true));
    expect(called).toBe(false);
  });

  it('takes a request out of the concurrency queue when cancelled while it waits', async () => {
    const gate = new ConcurrencyGate(1, 10);
    const first = gate.acquire() as () => void;
    const signal = new Cancellation();
    const waiting = gate.acquire(signal);
    expect(gate.queued).toBe(1);
    signal.cancel(new Error('the client closed the connection'));
    await expect(waiting).rejects.toThrow('the client closed the connection');
    expect(gate.queued).toBe(0);
    first();
    expect(gate.inFlight).toBe(0);
  });
});
