import { AppHeader } from '../_components/app-header';
import { requireSupport } from '../../server/auth/guards';

export const dynamic = 'force-dynamic';

export default async function SupportPage() {
  const user = await requireSupport('/support');
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Support console</h1>
        <p className="muted">Find a user to inspect their bank connections.</p>
      </main>
    </>
  );
}
