import { describe, expect, it } from 'vitest';
import { Deadlines } from '../../src/upstream/deadlines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Deadlines', () => {
  it('expires every deadline not cleared, in the order they were set, and never a cleared one', async () => {
    const deadlines = new Deadlines(40);
    const expired: string[] = [];
    const first = deadlines.start(() => expired.push('first'));
    deadlines.start(() => expired.push('second'));
    const third = deadlines.start(() => expired.push('third'));
    await sleep(5);
    deadlines.start(() => expired.push('fourth'));
    first.clear();
    third.clear();
    third.clear();
    // Bounded wait: only "eventually, and in order" is asserted, never how soon.
    for (let waited = 0; expired.length < 2 && waited < 3_000; waited += 20) await sleep(20);
    expect(expired).toEqual(['second', 'fourth']);
  });

  it('keeps serving deadlines set after the list emptied', async () => {
    const deadlines = new Deadlines(20);
    deadlines.start(() => {}).clear();
    const expired: string[] = [];
    await sleep(30);
    deadlines.start(() => expired.push('later'));
    for (let waited = 0; expired.length < 1 && waited < 3_000; waited += 20) await sleep(20);
    expect(expired).toEqual(['later']);
  });
});
