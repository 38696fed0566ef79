import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import type { Auth } from './auth';

export const DEMO_PASSWORD = 'tributary-demo';
export const demoUsers = [
  { email: 'demo@tributary.local', name: 'Demo User', role: 'user' },
  { email: 'support@tributary.local', name: 'Support Agent', role: 'support' },
] as const;

/** Emulator mode only: make sure the two demo accounts exist (idempotent). */
export async function seedDemoUsers(db: Db, auth: Auth): Promise<void> {
  for (const demo of demoUsers) {
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, demo.email));
    if (!existing) {
      await auth.api.signUpEmail({ body: { email: demo.email, password: DEMO_PASSWORD, name: demo.name } });
    }
    await db.update(users).set({ role: demo.role }).where(eq(users.email, demo.email));
  }
}
