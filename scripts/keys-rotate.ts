// `npm run keys:rotate`: re-encrypt every stored secret under the active key (the first of
// ENCRYPTION_KEYS). Keep the old keys listed after it until this has run everywhere.
import { getDb } from '../db/client';
import { runMigrations } from '../db/migrate';
import { keyring, rotateSecrets } from '../server/crypto';

const handle = getDb();
await runMigrations(handle);
const ring = keyring();
const counts = await rotateSecrets(handle.db, ring);
console.log(`Re-encrypted ${counts.items} access token(s) and ${counts.accounts} account(s) under key "${ring.active.id}".`);
await handle.close();
