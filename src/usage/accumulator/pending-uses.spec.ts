import { PendingUses } from './pending-uses';

const key = (keyId: string) => ({ record: { keyId, tenantId: 'acme' } });

describe('PendingUses', () => {
  it('writes a key per use, and a run only when the endpoint or the time changes', () => {
    const [k1, k2, k3] = [key('k1'), key('k2'), key('k3')];
    const pending = new PendingUses(8);
    pending.push(k1, 'verify', 1_000);
    pending.push(k2, 'verify', 1_000);
    pending.push(k1, 'verify', 1_001);
    pending.push(k3, 'verify', 1_001);
    expect(pending.push(k3, 'GET /x', 1_001)).toBe(5);
    expect(pending.keys.slice(0, pending.length)).toEqual([k1, k2, k1, k3, k3]);
    expect(pending.runs).toBe(3);
    expect([...pending.runStarts.subarray(0, pending.runs)]).toEqual([0, 2, 4]);
    expect(pending.runEndpoints.slice(0, 3)).toEqual(['verify', 'verify', 'GET /x']);
    expect([...pending.runAtMs.subarray(0, 3)]).toEqual([1_000, 1_001, 1_001]);
  });

  it('starts a new run after being cleared, even for the same values', () => {
    const pending = new PendingUses(4);
    pending.push(key('k1'), 'verify', 1_000);
    pending.clear();
    const k2 = key('k2');
    pending.push(k2, 'verify', 1_000);
    expect([pending.length, pending.runs, pending.runStarts[0]]).toEqual([1, 1, 0]);
    expect(pending.keys[0]).toBe(k2);
  });
});
