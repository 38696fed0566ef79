import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type Db, getDb } from '../../db/client';
import { users, type UserRole, type UserStatus } from '../../db/schema';
import { auth } from '../auth';
import { type Logger, logger } from '../logger';

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
  status: UserStatus;
}

/** A calling internal service, authenticated by SERVICE_API_KEYS, acting for an explicit user. */
export interface ServiceCaller {
  name: string;
}

export interface InnerContext {
  db: Db;
  session: { user: SessionUser } | null;
  service: ServiceCaller | null;
  log: Logger;
  requestId: string;
}

/** What tests call with createCaller: no request, just a database, a session and a logger. */
export function createInnerContext(opts: {
  db: Db;
  session?: { user: SessionUser } | null;
  service?: ServiceCaller | null;
  log?: Logger;
  requestId?: string;
}): InnerContext {
  const requestId = opts.requestId ?? randomUUID();
  const session = opts.session ?? null;
  const log = (opts.log ?? logger()).child({ request_id: requestId, ...(session ? { user_id: session.user.id } : {}) });
  return { db: opts.db, session, service: opts.service ?? null, log, requestId };
}

/** Reads a user's current role and status from the database (sessions do not cache them). */
export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, status: users.status })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

/** The request-bound wrapper: resolves the better-auth session from the request's cookies. */
export async function createRequestContext(req: Request): Promise<InnerContext & { headers: Headers }> {
  const { db } = getDb();
  const found = await auth().api.getSession({ headers: req.headers });
  const user = found ? await loadSessionUser(db, found.user.id) : null;
  const requestId = req.headers.get('x-request-id') ?? randomUUID();
  return { ...createInnerContext({ db, session: user ? { user } : null, requestId }), headers: req.headers };
}

export type Context = InnerContext & { headers?: Headers };
