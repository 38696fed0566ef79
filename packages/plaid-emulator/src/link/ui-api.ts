import { z } from 'zod';
import { PlaidApiError, invalidField, missingFields, plaidError } from '../core/errors';
import type { LinkBackend, LinkInstitutionView } from './backend';
import { mfaAnswersCorrect, mfaChallengeFor, mfaPrompt, roundsOf } from './mfa';
import { LinkSessions, type LinkSession } from './sessions';

/**
 * The Link UI's own endpoints (`POST /link/api/<action>`), not Plaid's API: one step of the Link
 * flow each. Every answer carries a `request_id`; failures carry a PlaidError as `error`, which
 * the UI shows and reports through onEvent(ERROR) and onExit.
 */
export interface LinkApiResult { status: number; body: Record<string, unknown> }

const base = { link_token: z.string().min(1), link_session_id: z.string().optional() };
const inputs = {
  session: z.object({ link_token: base.link_token, received_redirect_uri: z.string().optional() }),
  credentials: z.object({ ...base, institution_id: z.string(), username: z.string(), password: z.string() }),
  mfa: z.object({ ...base, answers: z.array(z.string()).max(50) }),
  'oauth/start': z.object({ ...base, institution_id: z.string() }),
  complete: z.object({ ...base, account_ids: z.array(z.string()).min(1) }),
};
type Action = keyof typeof inputs;
const isAction = (a: string): a is Action => Object.hasOwn(inputs, a);

export function createLinkApi(backend: LinkBackend, sessions = new LinkSessions()) {
  const institutionById = (id: string | null): LinkInstitutionView | null =>
    backend.institutions().find((i) => i.institution_id === id) ?? null;

  function requireSession(linkToken: string, id: string | undefined): LinkSession {
    const s = sessions.get(id, linkToken);
    if (!s) throw invalidField('link_session_id is unknown, expired or belongs to another link token');
    return s;
  }

  const handlers = {
    session(input: z.infer<typeof inputs.session>) {
      const view = backend.describeLinkToken(input.link_token);
      let session: LinkSession;
      let resume: Record<string, unknown> | null = null;
      if (input.received_redirect_uri) {
        const stateId = oauthStateId(input.received_redirect_uri);
        const found = stateId ? sessions.findByOauthState(stateId, input.link_token) : undefined;
        if (!found?.oauth) throw invalidField('received_redirect_uri carries no oauth_state_id of a Link session for this link token');
        session = found;
        session.verified = found.oauth.approved;
        resume = { approved: found.oauth.approved, next: 'accounts', accounts: view.accounts };
      } else {
        session = sessions.create(input.link_token);
        session.institutionId = view.updateInstitutionId;
      }
      return {
        link_session_id: session.id,
        client_name: view.clientName,
        is_update_mode: view.updateInstitutionId !== null,
        account_selection_enabled: view.accountSelectionEnabled,
        institution: institutionById(session.institutionId),
        institutions: view.updateInstitutionId ? [] : backend.institutions(input.link_token),
        resume,
      };
    },

    credentials(input: z.infer<typeof inputs.credentials>) {
      const session = requireSession(input.link_token, input.link_session_id);
      const view = backend.describeLinkToken(input.link_token);
      if (view.updateInstitutionId && input.institution_id !== view.updateInstitutionId) {
        throw invalidField('update mode links the institution of the item only');
      }
      const inst = institutionById(input.institution_id);
      if (!inst) throw plaidError('INVALID_INSTITUTION');
      if (inst.oauth) throw invalidField(`${inst.name} uses OAuth; credentials are entered at the bank`);
      Object.assign(session, { institutionId: inst.institution_id, credentials: null, verified: false, mfa: null });
      backend.checkCredentials(inst.institution_id, input.username, input.password);
      session.credentials = { username: input.username, password: input.password };
      const challenge = mfaChallengeFor(input.password);
      if (challenge) {
        session.mfa = { challenge, round: 1, answers: [] };
        return { next: 'mfa', mfa: mfaPrompt(challenge, 1) };
      }
      session.verified = true;
      return { next: 'accounts', accounts: view.accounts };
    },

    mfa(input: z.infer<typeof inputs.mfa>) {
      const session = requireSession(input.link_token, input.link_session_id);
      const mfa = session.mfa;
      if (!mfa || session.verified) throw invalidField('no MFA challenge is pending in this Link session');
      if (!mfaAnswersCorrect(mfa.challenge, mfa.round, input.answers)) {
        // Like Plaid, a wrong answer ends the attempt: the user starts again from credentials.
        Object.assign(session, { mfa: null, credentials: null });
        throw plaidError('INVALID_MFA');
      }
      mfa.answers.push(...input.answers.map((a) => a.trim()));
      if (mfa.round < roundsOf(mfa.challenge)) {
        mfa.round += 1;
        return { next: 'mfa', mfa: mfaPrompt(mfa.challenge, mfa.round) };
      }
      session.verified = true;
      return { next: 'accounts', accounts: backend.describeLinkToken(input.link_token).accounts };
    },

    'oauth/start'(input: z.infer<typeof inputs['oauth/start']>) {
      const session = requireSession(input.link_token, input.link_session_id);
      const view = backend.describeLinkToken(input.link_token);
      const inst = institutionById(input.institution_id);
      if (!inst?.oauth) throw invalidField('institution_id is not an OAuth institution');
      if (view.updateInstitutionId && inst.institution_id !== view.updateInstitutionId) throw invalidField('update mode links the institution of the item only');
      if (!view.redirectUri) throw invalidField('OAuth institutions need a redirect_uri in /link/token/create');
      session.institutionId = inst.institution_id;
      session.verified = false;
      // The emulated bank's consent page (oauth-bank.ts), relative to the Link UI's URL.
      return { redirect_url: `oauth/authorize?oauth_state_id=${sessions.startOauth(session)}` };
    },

    async complete(input: z.infer<typeof inputs.complete>) {
      const session = requireSession(input.link_token, input.link_session_id);
      if (!session.verified || !session.institutionId) throw invalidField('the Link session has not been authenticated');
      if (session.completed) throw invalidField('this Link session already finished');
      const offered = new Set(backend.describeLinkToken(input.link_token).accounts.map((a) => a.id));
      const unknown = input.account_ids.filter((id) => !offered.has(id));
      if (unknown.length) throw invalidField(`account_ids not offered in this session: ${unknown.join(', ')}`);
      // OAuth items have no sandbox credentials of their own; they link as the standard user.
      const { username, password } = session.credentials ?? { username: 'user_good', password: 'pass_good' };
      const result = await backend.completeLink({
        linkToken: input.link_token, linkSessionId: session.id, institutionId: session.institutionId,
        username, password, mfaAnswers: session.mfa?.answers ?? [], selectedAccountIds: input.account_ids,
      });
      session.completed = true;
      return { public_token: result.publicToken, institution: result.institution, accounts: result.accounts };
    },
  };

  return async function handleLinkApi(action: string, rawBody: unknown): Promise<LinkApiResult> {
    const requestId = backend.newRequestId();
    try {
      if (!isAction(action)) throw plaidError('NOT_FOUND', `no Link endpoint ${action}`);
      if (rawBody === null || typeof rawBody !== 'object' || Array.isArray(rawBody)) throw plaidError('INVALID_BODY');
      const parsed = inputs[action].safeParse(rawBody);
      if (!parsed.success) {
        const fields = rawBody as Record<string, unknown>;
        const missing = parsed.error.issues.filter((i) => i.path.length === 1 && fields[String(i.path[0])] === undefined);
        if (missing.length) throw missingFields(missing.map((i) => String(i.path[0])));
        throw invalidField(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      }
      const handler = handlers[action] as (input: unknown) => Record<string, unknown> | Promise<Record<string, unknown>>;
      return { status: 200, body: { ...(await handler(parsed.data)), request_id: requestId } };
    } catch (err) {
      const e = err instanceof PlaidApiError ? err : plaidError('INTERNAL_SERVER_ERROR', err instanceof Error ? err.message : undefined);
      return { status: e.status, body: { error: e.toBody(requestId), request_id: requestId } };
    }
  };
}

function oauthStateId(receivedRedirectUri: string): string | null {
  try {
    return new URL(receivedRedirectUri).searchParams.get('oauth_state_id');
  } catch {
    return null;
  }
}
