import { describe, expect, it } from 'vitest';
import { credentialOutcome, mfaAnswersCorrect, mfaPrompt, roundsOf } from './credentials';

describe('credentialOutcome', () => {
  it('accepts user_good / pass_good and any password for user_transactions_dynamic', () => {
    expect(credentialOutcome('user_good', 'pass_good')).toEqual({ kind: 'ok' });
    expect(credentialOutcome('user_transactions_dynamic', 'anything')).toEqual({ kind: 'ok' });
  });

  it('rejects other credentials with INVALID_CREDENTIALS', () => {
    expect(credentialOutcome('user_good', 'wrong')).toEqual({ kind: 'error', code: 'INVALID_CREDENTIALS' });
    expect(credentialOutcome('someone', 'pass_good')).toEqual({ kind: 'error', code: 'INVALID_CREDENTIALS' });
    expect(credentialOutcome('user_transactions_dynamic', '')).toEqual({ kind: 'error', code: 'INVALID_CREDENTIALS' });
  });

  it('fails with the code named by an error_<CODE> password', () => {
    expect(credentialOutcome('user_good', 'error_ITEM_LOCKED')).toEqual({ kind: 'error', code: 'ITEM_LOCKED' });
    expect(credentialOutcome('user_good', 'error_INSTITUTION_DOWN')).toEqual({ kind: 'error', code: 'INSTITUTION_DOWN' });
  });

  it('recognises the MFA passwords', () => {
    expect(credentialOutcome('user_good', 'mfa_device')).toEqual({ kind: 'mfa', challenge: { type: 'device' } });
    expect(credentialOutcome('user_good', 'mfa_selections')).toEqual({ kind: 'mfa', challenge: { type: 'selections' } });
    expect(credentialOutcome('user_good', 'mfa_questions_3_2')).toEqual({ kind: 'mfa', challenge: { type: 'questions', rounds: 3, perRound: 2 } });
  });

  it('treats out-of-range question counts as bad credentials', () => {
    expect(credentialOutcome('user_good', 'mfa_questions_0_1').kind).toBe('error');
    expect(credentialOutcome('user_good', 'mfa_questions_1_10').kind).toBe('error');
  });
});

describe('MFA rounds', () => {
  it('wants code 1234 for mfa_device, in one round', () => {
    const c = { type: 'device' } as const;
    expect(roundsOf(c)).toBe(1);
    expect(mfaPrompt(c, 1).mfa_type).toBe('code');
    expect(mfaAnswersCorrect(c, 1, ['1234'])).toBe(true);
    expect(mfaAnswersCorrect(c, 1, [' 1234 '])).toBe(true);
    expect(mfaAnswersCorrect(c, 1, ['0000'])).toBe(false);
  });

  it('wants answer_<i>_<j> for every question of round i', () => {
    const c = { type: 'questions', rounds: 2, perRound: 3 } as const;
    expect(roundsOf(c)).toBe(2);
    expect(mfaPrompt(c, 2).questions).toHaveLength(3);
    expect(mfaAnswersCorrect(c, 1, ['answer_1_1', 'answer_1_2', 'answer_1_3'])).toBe(true);
    expect(mfaAnswersCorrect(c, 2, ['answer_2_1', 'answer_2_2', 'answer_2_3'])).toBe(true);
    expect(mfaAnswersCorrect(c, 2, ['answer_1_1', 'answer_1_2', 'answer_1_3'])).toBe(false);
    expect(mfaAnswersCorrect(c, 1, ['answer_1_1', 'answer_1_2'])).toBe(false);
    expect(mfaAnswersCorrect(c, 3, ['answer_3_1', 'answer_3_2', 'answer_3_3'])).toBe(false);
  });

  it('wants Yes for mfa_selections, offered as a choice', () => {
    const c = { type: 'selections' } as const;
    expect(mfaPrompt(c, 1).questions[0]?.choices).toEqual(['Yes', 'No']);
    expect(mfaAnswersCorrect(c, 1, ['Yes'])).toBe(true);
    expect(mfaAnswersCorrect(c, 1, ['No'])).toBe(false);
  });
});
