// The embedded Inngest runner owns its table; it is listed here so drizzle-kit migrations cover it.
export {
  type JobAttemptError,
  type JobConcurrency,
  jobRuns,
  type JobRunStatus,
  jobRunStatuses,
  type JobWaitFor,
} from '@tributary/inngest-embedded/schema';
