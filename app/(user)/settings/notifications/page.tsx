import { redirect } from 'next/navigation';
import { getDb } from '../../../../db/client';
import { requireUser } from '../../../../server/auth/guards';
import { currentUser } from '../../../../server/auth/session';
import { getEmailPreferences, setItemAlertsEmail } from '../../../../server/notifications/preferences';
import { AppHeader } from '../../../_components/app-header';

export const dynamic = 'force-dynamic';

async function save(formData: FormData) {
  'use server';
  const user = await currentUser();
  if (!user) return;
  await setItemAlertsEmail(getDb().db, user.id, formData.get('itemAlertsEmail') === 'on');
  redirect('/settings/notifications?saved=1');
}

/** A person's email preferences: bank alerts on or off. Tributary sends no marketing email. */
export default async function NotificationSettingsPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  const user = await requireUser('/settings/notifications');
  const { saved } = await searchParams;
  const prefs = await getEmailPreferences(getDb().db, user.id);
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Email preferences</h1>
        {saved && <p className="from-email" role="status">Your preferences are saved.</p>}
        <section className="card" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Bank alerts</h2>
          <form action={save} className="stack">
            <label className="checkbox-row">
              <span><input type="checkbox" name="itemAlertsEmail" defaultChecked={prefs.itemAlertsEmail} /> Email me when a connected bank needs me</span>
              <span className="muted" style={{ fontWeight: 400 }}>
                For example when your bank asks you to sign in again or your consent is about to end. We send the first email right away, a few reminders
                (after 3 days, a week, then weekly), and one when the bank is connected again.
              </span>
            </label>
            <div><button type="submit">Save</button></div>
          </form>
          <p className="muted">Sent to {user.email}. Tributary never sends marketing email. You&apos;ll always see alerts in the app.</p>
        </section>
      </main>
    </>
  );
}
