import { describe, expect, it } from 'vitest';
import { parseDuration, sleepUntilMs } from '../src/durations';
import { evaluate, evaluateKey } from '../src/expressions';

const event = { name: 'item/sync.requested', data: { itemId: 'item-1', count: 3, nested: { ok: true } } };

describe('expressions', () => {
  it('reads paths into the event for concurrency and debounce keys', () => {
    expect(evaluateKey('event.data.itemId', { event })).toBe('item-1');
    expect(evaluateKey('event.data.missing', { event })).toBe('');
    expect(evaluateKey('event.data.count', { event })).toBe('3');
  });

  it('compares the waiting run’s event with the incoming one (waitForEvent match)', () => {
    const same = { data: { itemId: 'item-1' } };
    const other = { data: { itemId: 'item-2' } };
    expect(evaluate('event.data.itemId == async.data.itemId', { event, async: same })).toBe(true);
    expect(evaluate('event.data.itemId == async.data.itemId', { event, async: other })).toBe(false);
  });

  it('supports literals, boolean operators and parentheses', () => {
    expect(evaluate("event.data.itemId == 'item-1' && event.data.count >= 3", { event })).toBe(true);
    expect(evaluate('!(event.data.count < 2) || false', { event })).toBe(true);
    expect(evaluate('event.data.nested.ok != null', { event })).toBe(true);
  });

  it('throws on what it does not understand instead of guessing', () => {
    expect(() => evaluate('event.data.list.exists(x, x > 1)', { event })).toThrow();
    expect(() => evaluate("event.data.itemId == 'a' +", { event })).toThrow();
  });
});

describe('durations', () => {
  it('parses Inngest time strings', () => {
    expect(parseDuration('1d2h3m4s')).toBe(93_784_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(() => parseDuration('soon')).toThrow();
  });

  it('ends a sleep after a duration or at a timestamp (sleepUntil)', () => {
    expect(sleepUntilMs('2s', 1_000)).toBe(3_000);
    expect(sleepUntilMs('2030-01-01T00:00:00.000Z', 0)).toBe(Date.parse('2030-01-01T00:00:00.000Z'));
  });
});
