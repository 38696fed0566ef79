import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from '../src/cron';

const at = (iso: string) => Date.parse(iso);
const next = (cron: string, after: string) => new Date(nextCronTime(cron, at(after))).toISOString();

describe('cron', () => {
  it('finds the next minute for every-minute schedules, strictly after the given time', () => {
    expect(next('* * * * *', '2026-03-01T10:15:00.000Z')).toBe('2026-03-01T10:16:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:15:59.999Z')).toBe('2026-03-01T10:16:00.000Z');
  });

  it('handles steps, ranges and lists', () => {
    expect(next('0 */6 * * *', '2026-03-01T10:15:00Z')).toBe('2026-03-01T12:00:00.000Z');
    expect(next('15,45 9-17/4 * * *', '2026-03-01T13:50:00Z')).toBe('2026-03-01T17:15:00.000Z');
  });

  it('rolls over days, months and years', () => {
    expect(next('30 2 * * *', '2026-12-31T03:00:00Z')).toBe('2027-01-01T02:30:00.000Z');
    expect(next('0 0 31 * *', '2026-04-01T00:00:00Z')).toBe('2026-05-31T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('treats weekday names and 7 as Sunday, and ORs day-of-month with day-of-week', () => {
    expect(next('0 9 * * MON', '2026-03-01T00:00:00Z')).toBe('2026-03-02T09:00:00.000Z'); // 1 March 2026 is a Sunday
    expect(next('0 9 * * 7', '2026-03-02T00:00:00Z')).toBe('2026-03-08T09:00:00.000Z');
    expect(next('0 0 13 * FRI', '2026-03-01T00:00:00Z')).toBe('2026-03-06T00:00:00.000Z');
  });

  it('accepts macros and a UTC prefix, and rejects bad expressions and other time zones', () => {
    expect(next('@hourly', '2026-03-01T10:15:00Z')).toBe('2026-03-01T11:00:00.000Z');
    expect(next('TZ=UTC 0 0 * * *', '2026-03-01T10:15:00Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(() => parseCron('* * * *')).toThrow(/5 fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/out of range/);
    expect(() => parseCron('TZ=Europe/Paris 0 * * * *')).toThrow(/UTC only/);
  });
});
