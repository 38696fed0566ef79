import { describe, expect, it, vi } from 'vitest';
import { coalesceSends, EventBacklogFullError } from './coalesce-sends';
import type { AppEvent } from './deps';

const ev = (n: number): AppEvent => ({ name: 'item/sync.requested', data: { itemId: `item-${n}` } });

/** An underlying sender that records each call and answers when told to. */
function recordingSender() {
  const calls: Array<{ events: AppEvent[]; done: () => void; fail: (err: Error) => void }> = [];
  const send = (events: AppEvent[]) =>
    new Promise<void>((resolve, reject) => calls.push({ events, done: resolve, fail: reject }));
  return { calls, send };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('coalesceSends', () => {
  it('sends what was sent in the same turn as one call, in order', async () => {
    const u = recordingSender();
    const send = coalesceSends(u.send, { maxBatch: 100, maxInFlight: 2, maxPending: 1000, minIntervalMs: 0 });
    const a = send([ev(1)]);
    const b = send([ev(2), ev(3)]);
    await turn();
    expect(u.calls.map((c) => c.events)).toEqual([[ev(1), ev(2), ev(3)]]);
    u.calls[0]!.done();
    await expect(Promise.all([a, b])).resolves.toEqual([undefined, undefined]);
  });

  it('groups what arrives while the calls in flight are busy into the next call', async () => {
    const u = recordingSender();
    const send = coalesceSends(u.send, { maxBatch: 100, maxInFlight: 1, maxPending: 1000, minIntervalMs: 0 });
    const first = send([ev(1)]);
    await turn();
    const later = [send([ev(2)]), send([ev(3)])];
    await turn();
    await turn();
    expect(u.calls).toHaveLength(1);
    u.calls[0]!.done();
    await first;
    await turn();
    expect(u.calls.map((c) => c.events)).toEqual([[ev(1)], [ev(2), ev(3)]]);
    u.calls[1]!.done();
    await Promise.all(later);
  });

  it('splits at maxBatch without splitting one caller’s events', async () => {
    const u = recordingSender();
    const send = coalesceSends(u.send, { maxBatch: 3, maxInFlight: 4, maxPending: 1000, minIntervalMs: 0 });
    void send([ev(1), ev(2)]);
    void send([ev(3), ev(4)]);
    void send([ev(5)]);
    await turn();
    expect(u.calls.map((c) => c.events)).toEqual([[ev(1), ev(2)], [ev(3), ev(4), ev(5)]]);
  });

  it('rejects every caller of a failed call with its error, and sends on afterwards', async () => {
    const u = recordingSender();
    const send = coalesceSends(u.send, { maxBatch: 100, maxInFlight: 1, maxPending: 1000, minIntervalMs: 0 });
    const a = send([ev(1)]);
    const b = send([ev(2)]);
    await turn();
    u.calls[0]!.fail(new Error('event API down'));
    await expect(a).rejects.toThrow('event API down');
    await expect(b).rejects.toThrow('event API down');
    const c = send([ev(3)]);
    await turn();
    u.calls[1]!.done();
    await expect(c).resolves.toBeUndefined();
  });

  it('turns a sender that throws at once into a rejection', async () => {
    const send = coalesceSends(() => {
      throw new Error('no sender installed');
    });
    await expect(send([ev(1)])).rejects.toThrow('no sender installed');
  });

  it('refuses at once past maxPending instead of queueing without bound', async () => {
    const u = recordingSender();
    const send = coalesceSends(u.send, { maxBatch: 100, maxInFlight: 1, maxPending: 2, minIntervalMs: 0 });
    void send([ev(1), ev(2)]);
    await expect(send([ev(3)])).rejects.toBeInstanceOf(EventBacklogFullError);
    await turn();
    u.calls[0]!.done();
    await turn();
    void send([ev(3)]);
    await turn();
    expect(u.calls.map((c) => c.events)).toEqual([[ev(1), ev(2)], [ev(3)]]);
  });

  it('sends at once after a quiet spell, and under load spaces the calls out, each carrying what gathered', async () => {
    const u = recordingSender();
    const send = coalesceSends(u.send, { maxBatch: 100, maxInFlight: 2, maxPending: 1000, minIntervalMs: 40 });
    const t0 = performance.now();
    void send([ev(1)]);
    await turn();
    expect(u.calls).toHaveLength(1);
    u.calls[0]!.done();
    void send([ev(2)]);
    await turn();
    void send([ev(3)]);
    await turn();
    expect(u.calls).toHaveLength(1);
    await vi.waitFor(() => expect(u.calls).toHaveLength(2), { timeout: 1000, interval: 5 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
    expect(u.calls[1]!.events).toEqual([ev(2), ev(3)]);
  });
});
