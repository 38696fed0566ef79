// `npm run db:migrate`: apply committed migrations to DATABASE_URL, or the embedded PGlite.
import { getDb } from '../db/client';
import { runMigrations } from '../db/migrate';

const handle = getDb();
await runMigrations(handle);
console.log(`Migrations applied (${handle.driver}).`);
await handle.close();
