export { createRunner, defaultBackoffMs, type Runner, type RunnerOptions } from './runner';
export { createEmbeddedFetch } from './registry';
export { cancelRun, listRuns, retryRun, waitForRun, type ListRunsFilter, type RunSummary } from './queries';
export type { Db, Logger } from './host';
export type { EventInput, RunnerEvent } from './intake';
export type { ServeHandler } from './protocol';
export type { JobRun } from './store';
