import { describe, expect, it } from 'vitest';
import { mfaAnswersCorrect, mfaChallengeFor, mfaPrompt, roundsOf } from '../src/link/mfa';

describe('mfaChallengeFor', () => {
  it('recognises the sandbox MFA passwords', () => {
    expect(mfaChallengeFor('mfa_device')).toEqual({ type: 'device' });
    expect(mfaChallengeFor('mfa_selections')).toEqual({ type: 'selections' });
    expect(mfaChallengeFor('mfa_questions_3_2')).toEqual({ type: 'questions', rounds: 3, perRound: 2 });
  });

  it('asks for no MFA for other passwords', () => {
    expect(mfaChallengeFor('pass_good')).toBeNull();
    expect(mfaChallengeFor('error_ITEM_LOCKED')).toBeNull();
    expect(mfaChallengeFor('mfa_questions_0_1')).toBeNull();
    expect(mfaChallengeFor('mfa_questions_x_1')).toBeNull();
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
