/**
 * Plaid's sandbox credential rules as Link applies them (PLAID.md, "Sandbox behaviour"):
 * `user_good`/`pass_good`; any password for `user_transactions_dynamic`; `error_<CODE>` fails with
 * that code; `mfa_device` (code 1234), `mfa_questions_<n>_<m>` (n rounds of m questions, answer
 * `answer_<i>_<j>`), `mfa_selections` (answer `Yes`). Anything else is INVALID_CREDENTIALS.
 */
export type MfaChallenge =
  | { type: 'device' }
  | { type: 'questions'; rounds: number; perRound: number }
  | { type: 'selections' };

export type CredentialOutcome =
  | { kind: 'ok' }
  | { kind: 'mfa'; challenge: MfaChallenge }
  | { kind: 'error'; code: string };

export const DEVICE_CODE = '1234';
const MAX_MFA = 9;

export function credentialOutcome(username: string, password: string): CredentialOutcome {
  const error = /^error_([A-Z][A-Z0-9_]*)$/.exec(password);
  if (error) return { kind: 'error', code: error[1]! };
  if (password === 'mfa_device') return { kind: 'mfa', challenge: { type: 'device' } };
  if (password === 'mfa_selections') return { kind: 'mfa', challenge: { type: 'selections' } };
  const questions = /^mfa_questions_(\d+)_(\d+)$/.exec(password);
  if (questions) {
    const rounds = Number(questions[1]);
    const perRound = Number(questions[2]);
    if (rounds >= 1 && rounds <= MAX_MFA && perRound >= 1 && perRound <= MAX_MFA) {
      return { kind: 'mfa', challenge: { type: 'questions', rounds, perRound } };
    }
  }
  if (username === 'user_transactions_dynamic' && password !== '') return { kind: 'ok' };
  if (username === 'user_good' && password === 'pass_good') return { kind: 'ok' };
  return { kind: 'error', code: 'INVALID_CREDENTIALS' };
}

/** What Link shows for one MFA round; `mfa_type` is the value Link reports in onEvent. */
export interface MfaPrompt {
  mfa_type: 'code' | 'questions' | 'selections';
  round: number;
  rounds: number;
  questions: Array<{ text: string; choices: string[] | null; hint: string }>;
}

export function roundsOf(challenge: MfaChallenge): number {
  return challenge.type === 'questions' ? challenge.rounds : 1;
}

/** The prompt for `round` (1-based). */
export function mfaPrompt(challenge: MfaChallenge, round: number): MfaPrompt {
  const rounds = roundsOf(challenge);
  if (challenge.type === 'device') {
    return { mfa_type: 'code', round, rounds, questions: [{ text: 'Enter the code we sent to your phone ending in 0000', choices: null, hint: DEVICE_CODE }] };
  }
  if (challenge.type === 'selections') {
    return {
      mfa_type: 'selections',
      round,
      rounds,
      questions: [{ text: 'Did you recently make a purchase at Tattersall Hardware?', choices: ['Yes', 'No'], hint: 'Yes' }],
    };
  }
  const questions = Array.from({ length: challenge.perRound }, (_, k) => ({
    text: `Security question ${round}.${k + 1}: what is your answer?`,
    choices: null,
    hint: `answer_${round}_${k + 1}`,
  }));
  return { mfa_type: 'questions', round, rounds, questions };
}

/** Whether `answers` solve `round`: every expected answer given, in order (surrounding blanks ignored). */
export function mfaAnswersCorrect(challenge: MfaChallenge, round: number, answers: readonly string[]): boolean {
  if (round < 1 || round > roundsOf(challenge)) return false;
  const expected = mfaPrompt(challenge, round).questions.map((q) => q.hint);
  return expected.length === answers.length && expected.every((want, i) => answers[i]?.trim() === want);
}
