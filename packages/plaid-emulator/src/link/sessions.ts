import { randomBytes, randomUUID } from 'node:crypto';
import type { MfaChallenge } from './mfa';

/**
 * Link sessions in memory: what the user has done so far in one opening of Link. A session is
 * bound to its link token; the OAuth state id lets a later `Plaid.create({ receivedRedirectUri })`
 * find it again after the page went to the bank and back.
 */
export interface LinkSession {
  id: string;
  linkToken: string;
  createdAt: number;
  institutionId: string | null;
  credentials: { username: string; password: string } | null;
  mfa: { challenge: MfaChallenge; round: number; answers: string[] } | null;
  /** Credentials (and MFA) accepted, or OAuth approved: account selection may follow. */
  verified: boolean;
  oauth: { stateId: string; approved: boolean } | null;
  completed: boolean;
}

const TTL_MS = 4 * 60 * 60 * 1000;

export class LinkSessions {
  private readonly byId = new Map<string, LinkSession>();
  private readonly byOauthState = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  create(linkToken: string): LinkSession {
    this.prune();
    const session: LinkSession = {
      id: randomUUID(),
      linkToken,
      createdAt: this.now(),
      institutionId: null,
      credentials: null,
      mfa: null,
      verified: false,
      oauth: null,
      completed: false,
    };
    this.byId.set(session.id, session);
    return session;
  }

  /** The session, if it exists, is alive and belongs to this link token. */
  get(id: unknown, linkToken: string): LinkSession | undefined {
    if (typeof id !== 'string') return undefined;
    const s = this.byId.get(id);
    return s && s.linkToken === linkToken && !this.expired(s) ? s : undefined;
  }

  /** Sends the user to the bank; the bank page records the user's decision. */
  startOauth(session: LinkSession): string {
    const stateId = randomBytes(16).toString('hex');
    session.oauth = { stateId, approved: false };
    this.byOauthState.set(stateId, session.id);
    return stateId;
  }

  /** The session an OAuth state id belongs to, whatever its link token (the bank page has none). */
  oauthSession(stateId: string | null): LinkSession | undefined {
    const id = stateId === null ? undefined : this.byOauthState.get(stateId);
    const s = id === undefined ? undefined : this.byId.get(id);
    return s && !this.expired(s) ? s : undefined;
  }

  findByOauthState(stateId: string, linkToken: string): LinkSession | undefined {
    const id = this.byOauthState.get(stateId);
    return id === undefined ? undefined : this.get(id, linkToken);
  }

  private expired(s: LinkSession): boolean {
    return this.now() - s.createdAt > TTL_MS;
  }

  private prune(): void {
    for (const [id, s] of this.byId) {
      if (!this.expired(s)) continue;
      this.byId.delete(id);
      if (s.oauth) this.byOauthState.delete(s.oauth.stateId);
    }
  }
}
