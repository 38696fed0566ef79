import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { syncRuns } from '../../db/schema';
import { AppError } from '../errors';
import { safeErrorMessage } from '../safe-error';

export type SyncRunRow = typeof syncRuns.$inferSelect;
export type SyncRunKind = SyncRunRow['kind'];

/** A new sync_runs row, already RUNNING (syncs start as soon as they are recorded). */
export async function openSyncRun(db: Db, input: { itemId: string; kind?: SyncRunKind; trigger?: string | null }): Promise<string> {
  const [row] = await db
    .insert(syncRuns)
    .values({ itemId: input.itemId, kind: input.kind ?? 'sync', status: 'RUNNING', trigger: input.trigger ?? null, startedAt: new Date() })
    .returning({ id: syncRuns.id });
  return row!.id;
}

/** QUEUED → RUNNING (a retry keeps its first start time and its counts). */
export async function markRunRunning(db: Db, runId: string): Promise<void> {
  await db
    .update(syncRuns)
    .set({ status: 'RUNNING', startedAt: sql`coalesce(${syncRuns.startedAt}, now())`, errorCode: null, errorMessage: null })
    .where(eq(syncRuns.id, runId));
}

export interface PageProgress { added: number; modified: number; removed: number; updateStatus: string | null }

/** Called inside the page's transaction: the progress the UI shows is exactly what is committed. */
export async function notePage(tx: Tx, runId: string, p: PageProgress): Promise<void> {
  await tx
    .update(syncRuns)
    .set({
      pages: sql`${syncRuns.pages} + 1`,
      added: sql`${syncRuns.added} + ${p.added}`,
      modified: sql`${syncRuns.modified} + ${p.modified}`,
      removed: sql`${syncRuns.removed} + ${p.removed}`,
      updateStatus: p.updateStatus,
    })
    .where(eq(syncRuns.id, runId));
}

export async function noteRestart(db: Db, runId: string): Promise<void> {
  await db.update(syncRuns).set({ restarts: sql`${syncRuns.restarts} + 1` }).where(eq(syncRuns.id, runId));
}

export async function finishRun(db: Db | Tx, runId: string): Promise<SyncRunRow> {
  const [row] = await db
    .update(syncRuns)
    .set({ status: 'SUCCEEDED', finishedAt: new Date(), errorCode: null, errorMessage: null })
    .where(eq(syncRuns.id, runId))
    .returning();
  return row!;
}

/**
 * Records a failure. Login required and non-retriable failures end the run; a retriable one
 * leaves it RUNNING with the error shown (the function retries) unless this was the last attempt.
 * Returns the run as recorded.
 */
export async function failRun(db: Db, runId: string, err: unknown, o: { retriable: boolean; lastAttempt: boolean }): Promise<SyncRunRow | undefined> {
  const app = err instanceof AppError ? err : null;
  const status = app?.code === 'ITEM_LOGIN_REQUIRED' ? 'LOGIN_REQUIRED' : o.retriable && !o.lastAttempt ? 'RUNNING' : 'FAILED';
  const [row] = await db
    .update(syncRuns)
    .set({
      status,
      errorCode: app?.plaidErrorCode ?? app?.code ?? 'INTERNAL',
      errorMessage: safeErrorMessage(err),
      finishedAt: status === 'RUNNING' ? null : new Date(),
    })
    .where(eq(syncRuns.id, runId))
    .returning();
  return row;
}

export async function getSyncRun(db: Db, runId: string): Promise<SyncRunRow> {
  const [row] = await db.select().from(syncRuns).where(eq(syncRuns.id, runId));
  if (!row) throw new AppError('NOT_FOUND', `No sync run ${runId}`);
  return row;
}
