import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { type Db, getDb } from '../../db/client';
import { users, type UserRole, type UserStatus } from '../../db/schema';
import { auth } from '../auth';
import { type AppDeps, processDeps } from '../deps';
import { env } from '../env';
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
  /** Plaid client, keyring, event sender, config: the process's own unless a test passes them. */
  readonly deps: AppDeps;
}

/** What tests call with createCaller: no request, just a database, a session and a logger. */
export function createInnerContext(opts: {
  db: Db;
  session?: { user: SessionUser } | null;
  service?: ServiceCaller | null;
  log?: Logger;
  requestId?: string;
  deps?: AppDeps;
}): InnerContext {
  const requestId = opts.requestId ?? randomUUID();
  const session = opts.session ?? null;
  const service = opts.service ?? null;
  const log = (opts.log ?? logger()).child({
    request_id: requestId,
    ...(session ? { user_id: session.user.id } : {}),
    ...(service ? { service: service.name } : {}),
  });
  let deps = opts.deps;
  return {
    db: opts.db,
    session,
    service,
    log,
    requestId,
    get deps() {
      deps ??= processDeps();
      return deps;
    },
  };
}

/** Reads a user's current role and status from the database (sessions do not cache them). */
export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, status: users.status })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The service whose key this is, compared in constant time against every configured key. */
export function serviceForKey(keys: Array<{ name: string; key: string }>, presented: string): ServiceCaller | null {
  const p = digest(presented);
  let found: ServiceCaller | null = null;
  for (const k of keys) if (timingSafeEqual(digest(k.key), p)) found = { name: k.name };
  return found;
}

export const SERVICE_KEY_HEADER = 'x-service-key';
export const ACTING_USER_HEADER = 'x-acting-user-id';

/**
 * The request-bound wrapper. A browser is identified by its better-auth session cookie; an
 * internal service by `x-service-key` plus the user it acts for in `x-acting-user-id`.
 */
export async function createRequestContext(req: Request): Promise<InnerContext> {
  const requestId = req.headers.get('x-request-id')?.slice(0, 100) ?? randomUUID();
  const presented = req.headers.get(SERVICE_KEY_HEADER);
  if (presented !== null) {
    const service = serviceForKey(env().serviceApiKeys, presented);
    if (!service) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Unknown service key' });
    const { db } = getDb();
    const actingFor = req.headers.get(ACTING_USER_HEADER);
    const user = actingFor ? await loadSessionUser(db, actingFor) : null;
    const ctx = createInnerContext({ db, session: user ? { user } : null, service, requestId });
    ctx.log.info({ acting_user_id: actingFor }, 'Service call');
    return ctx;
  }
  const { db } = getDb();
  const found = await auth().api.getSession({ headers: req.headers });
  const user = found ? await loadSessionUser(db, found.user.id) : null;
  return createInnerContext({ db, session: user ? { user } : null, requestId });
}

export type Context = InnerContext;
