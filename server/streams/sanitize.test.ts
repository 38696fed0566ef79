import { describe, expect, it } from 'vitest';
import { stripSecrets, withoutSecrets } from './sanitize';

describe('stripSecrets', () => {
  it('drops forbidden keys and token-shaped strings at any depth, reports their paths and leaves the input alone', () => {
    const input = {
      account_id: 'acc_1',
      mask: '0000',
      numbers: { ach: [{ account: '1111222233330000', routing: '011401533' }] },
      nested: { list: ['ok', 'access-sandbox-abc', { public_token: 'public-sandbox-x', keep: 1 }], note: 'processor-production-9' },
      amount: 12.5,
      empty: null,
    };
    const copy = structuredClone(input);
    const { value, removed } = stripSecrets(input);
    expect(value).toEqual({ account_id: 'acc_1', mask: '0000', nested: { list: ['ok', { keep: 1 }] }, amount: 12.5, empty: null });
    expect(removed).toEqual(['numbers', 'nested.list[1]', 'nested.list[2].public_token', 'nested.note']);
    expect(input).toEqual(copy);
  });

  it('keeps a clean object as an equal deep copy', () => {
    const input = { a: [1, { b: 'x' }], c: { d: false } };
    const { value, removed } = stripSecrets(input);
    expect(value).toEqual(input);
    expect(value).not.toBe(input);
    expect(removed).toEqual([]);
  });

  it('withoutSecrets hands back a clean object itself (no copy) and a stripped copy of anything else', () => {
    const clean = { a: [1, { b: 'x' }], c: { d: false }, n: null };
    expect(withoutSecrets(clean)).toBe(clean);
    for (const dirty of [{ a: { numbers: { ach: [] } } }, { a: ['access-sandbox-abc'] }, { deep: [{ x: { routing_number: '0' } }] }]) {
      const copy = structuredClone(dirty);
      const out = withoutSecrets(dirty);
      expect(out).not.toBe(dirty);
      expect(out).toEqual(stripSecrets(dirty).value);
      expect(dirty).toEqual(copy);
    }
  });
});
