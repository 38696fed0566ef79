/**
 * Plaid's sandbox MFA as Link asks for it (PLAID.md, "Sandbox behaviour"): password `mfa_device`
 * (code 1234), `mfa_questions_<n>_<m>` (n rounds of m questions, answer `answer_<i>_<j>`),
 * `mfa_selections` (answer `Yes`). Whether credentials are good at all is the core's rule
 * (`LinkBackend.checkCredentials`); this decides which MFA screens follow.
 */
export type MfaChallenge =
  | { type: 'device' }
  | { type: 'questions'; rounds: number; perRound: number }
  | { type: 'selections' };

export const DEVICE_CODE = '1234';

/** The MFA a password asks for, or null when Link goes straight on. */
export function mfaChallengeFor(password: string): MfaChallenge | null {
  if (password === 'mfa_device') return { type: 'device' };
  if (password === 'mfa_selections') return { type: 'selections' };
  const questions = /^mfa_questions_(\d+)_(\d+)$/.exec(password);
  if (!questions) return null;
  const rounds = Number(questions[1]);
  const perRound = Number(questions[2]);
  if (rounds < 1 || perRound < 1) return null;
  return { type: 'questions', rounds, perRound };
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
      questions: [{ text: 'Did you grow up on a farm?', choices: ['Yes', 'No'], hint: 'Yes' }],
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
