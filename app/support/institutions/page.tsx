import { redirect } from 'next/navigation';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { BankLogo } from '../../_components/status-badge';
import { SupportNav } from '../_components/support-nav';

export const dynamic = 'force-dynamic';

const healthWords = { HEALTHY: 'Healthy', DEGRADED: 'Degraded', DOWN: 'Down', UNKNOWN: 'Not checked yet' } as const;

/** Asks Plaid now (/institutions/get_by_id with include_status) and stores what it reports. */
async function checkNow(formData: FormData) {
  'use server';
  await requireSupport('/support/institutions');
  const institutionId = String(formData.get('institutionId') ?? '');
  let outcome = 'checked';
  try {
    await (await serverCaller()).institutions.byId({ institutionId, live: true });
  } catch {
    outcome = 'failed';
  }
  redirect(`/support/institutions?${outcome}=${encodeURIComponent(institutionId)}`);
}

/** Institutions we have seen, worst health first, with Plaid's per-product status from polling. */
export default async function InstitutionsPage({ searchParams }: { searchParams: Promise<{ checked?: string; failed?: string }> }) {
  const user = await requireSupport('/support/institutions');
  const { checked, failed } = await searchParams;
  let rows;
  let error: string | null = null;
  try {
    rows = await (await serverCaller()).support.institutions.list();
  } catch (err) {
    error = readableError(err);
  }
  return (
    <>
      <AppHeader user={user} />
      <main className="page">
        <h1>Institutions</h1>
        <SupportNav current="institutions" />
        <p className="muted">
          Health is what Plaid reports for each institution (the worst of its products). Institutions our users have linked, or chose in
          Link in the last 30 days, are checked every few hours; others when someone asks.
        </p>
        {checked && rows && <p className="notice success" role="status">Plaid reports {rows.find((r) => r.id === checked)?.name ?? 'the institution'} as {healthWords[rows.find((r) => r.id === checked)?.health ?? 'UNKNOWN'].toLowerCase()}.</p>}
        {failed && <p className="error" role="alert">Plaid could not be asked just now. Try again in a minute.</p>}
        {error && <p className="error" role="alert">{error}</p>}
        {rows && rows.length === 0 && <p className="muted">No institutions yet: they are stored when a user links a bank or the catalogue is polled.</p>}
        {rows && rows.length > 0 && (
          <table className="table card">
            <caption className="visually-hidden">Institutions and their health</caption>
            <thead><tr><th scope="col">Institution</th><th scope="col">Health</th><th scope="col">Products</th><th scope="col">Per-product status</th><th scope="col">Checked</th></tr></thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.id}>
                  <th scope="row" className="inst-cell"><BankLogo name={i.name} logo={i.logo} color={i.primaryColor} /> {i.name} <code className="muted">{i.id}</code></th>
                  <td data-label="Health"><span className={`badge health-${i.health.toLowerCase()}`}>{healthWords[i.health]}</span></td>
                  <td data-label="Products">{i.products.join(', ')}</td>
                  <td className="muted small" data-label="Per-product status">{statusSummary(i.status)}</td>
                  <td data-label="Checked">
                    {i.health === 'UNKNOWN' ? 'never' : dateTime(i.refreshedAt)}
                    <form action={checkNow} className="inline-form">
                      <input type="hidden" name="institutionId" value={i.id} />
                      <button type="submit" className="secondary small" aria-label={`Check ${i.name} now`}>Check now</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}

function statusSummary(status: unknown): string {
  if (!status || typeof status !== 'object') return '—';
  return Object.entries(status as Record<string, { status?: string } | null>)
    .filter(([, v]) => v?.status)
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v!.status}`)
    .join(' · ') || '—';
}
