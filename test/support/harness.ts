import { randomBytes, randomUUID } from 'node:crypto';
import pino from 'pino';
import type { DbHandle } from '../../db/client';
import { users } from '../../db/schema';
import { createKeyring } from '../../server/crypto';
import type { AppConfig, AppDeps, AppEvent } from '../../server/deps';
import { startTestEmulator, startWebhookReceiver } from '@tributary/plaid-emulator/testing';
import { createInnerContext, type SessionUser } from '../../server/trpc/context';
import { createCaller } from '../../server/trpc/routers/_app';
import { createTestDb, type TestDbOptions } from './db';

export const silentLog = pino({ level: 'silent' });

/**
 * One integration world: a migrated test database, the Plaid emulator over real HTTP, a webhook
 * sink the emulator delivers to, and app dependencies whose `send` records events.
 */
export async function createHarness(config: Partial<AppConfig> = {}, log: pino.Logger = silentLog, dbOptions: TestDbOptions = {}) {
  const handle: DbHandle & { url?: string } = await createTestDb(dbOptions);
  const sink = await startWebhookReceiver();
  const emu = await startTestEmulator({ rateLimits: false });
  const sent: AppEvent[] = [];
  const deps: AppDeps = {
    plaid: emu.plaid,
    keyring: createKeyring([{ id: 'test', key: randomBytes(32) }]),
    send: async (events) => {
      sent.push(...events);
    },
    config: { plaidEnv: 'emulator', webhookUrl: sink.url, redirectUri: null, clientName: 'Tributary', ...config },
  };

  async function createUser(role: SessionUser['role'] = 'user'): Promise<SessionUser> {
    const id = randomUUID();
    const email = `${role}-${id.slice(0, 8)}@example.com`;
    await handle.db.insert(users).values({ id, email, name: email, role });
    return { id, email, role, status: 'PENDING' };
  }

  const caller = (user: SessionUser | null, overrides: Partial<AppDeps> = {}) =>
    createCaller(createInnerContext({ db: handle.db, session: user ? { user } : null, log, deps: { ...deps, ...overrides } }));

  /** Goes through Link as a person would: token from the API, credentials (and the accounts chosen) in the emulated Link, items.link. */
  async function linkBank(user: SessionUser, o: { institutionId?: string; password?: string; mode?: 'new'; accounts?: string[] } = {}) {
    const api = caller(user);
    const { linkToken } = await api.link.createToken({ mode: o.mode ?? 'new' });
    const done = emu.emulator.link.completeLink({
      linkToken,
      institutionId: o.institutionId ?? 'ins_109508',
      username: 'user_good',
      password: o.password ?? 'pass_good',
      // The accounts the person shares (Link's positions: '0' Plaid Checking, '1' Saving, '2' Credit Card…); all by default.
      ...(o.accounts ? { selectedAccountIds: o.accounts } : {}),
    });
    if (done.status !== 'success') throw new Error(`Link did not succeed: ${JSON.stringify(done)}`);
    const metadata = { institution: done.institution, accounts: done.accounts, link_session_id: done.linkSessionId };
    const linked = await api.items.link({ publicToken: done.publicToken, metadata });
    return { ...linked, publicToken: done.publicToken, metadata };
  }

  return {
    db: handle.db,
    /** The test database's URL on Postgres (a second pool on it is a second app instance); none on PGlite. */
    dbUrl: handle.url,
    emu,
    sink,
    deps,
    sent,
    createUser,
    caller,
    linkBank,
    async close() {
      await emu.close();
      await sink.close();
      await handle.close();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof createHarness>>;
