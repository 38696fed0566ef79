import { type Env, env, loadEnv } from '../../server/env';
import { processContainer } from '../../server/process/container';

/**
 * Makes env() answer with exactly `values`, parsed as at start-up, in place of the process
 * environment (whatever the shell running the tests has set is ignored). Safe after imports that
 * already read env(): the parsed object replaces the one env() keeps in the process container.
 */
export function setEnvForTests(values: Record<string, string | undefined>): Env {
  const parsed = loadEnv(values);
  processContainer().env = parsed;
  // env() owns where it keeps its parse; if that ever moves, fail here rather than run on the real environment.
  if (env() !== parsed) throw new Error('env() no longer reads the process container: update test/support/env.ts');
  return parsed;
}
