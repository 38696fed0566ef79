import { createLogger } from '../../server/logger';

/** The app's pino logger at level silent, for code under test that takes the app's `Logger`. */
export const quietLog = createLogger({ level: 'silent' });
