import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { safeErrorMessage } from './safe-error';

describe('safeErrorMessage', () => {
  it('keeps an AppError message and drops a failed query\'s SQL and parameters', () => {
    expect(safeErrorMessage(new AppError('PLAID_RETRY_LATER', 'try later'))).toBe('try later');
    const query = new Error('Failed query: insert into plaid_transactions ...\nparams: [{"transaction_id":"t1","amount":12.3}]', {
      cause: Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
    });
    query.name = 'DrizzleQueryError';
    const safe = safeErrorMessage(query);
    expect(safe).toBe('Database error 23505: duplicate key value violates unique constraint');
    expect(safe).not.toContain('params');
    expect(safeErrorMessage('weird')).toBe('Unexpected failure');
  });
});
