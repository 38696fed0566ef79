import { redirect } from 'next/navigation';
import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { BankLogo } from '../../_components/status-badge';
import { SupportNav } from '../_components/support-nav';
import { statusWords } from './_components/status-words';

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
      <main className="page wide">
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
          <table className="table card inst-table">
            <caption className="visually-hidden">Institutions and their health, worst first</caption>
            <thead><tr><th scope="col">Institution</th><th scope="col">Health</th><th scope="col">What Plaid reports</th><th scope="col">Checked</th></tr></thead>
            <tbody>
              {rows.map((i) => {
                const words = statusWords(i.status);
                return (
                  <tr key={i.id}>
                    <th scope="row">
                      <span className="inst-name"><BankLogo name={i.name} logo={i.logo} color={i.primaryColor} /> {i.name}</span>
                      <span className="muted small inst-id">{i.id}</span>
                    </th>
                    <td data-label="Health"><span className={`badge health-${i.health.toLowerCase()}`}>{healthWords[i.health]}</span></td>
                    <td data-label="What Plaid reports">
                      {i.health === 'UNKNOWN' ? <span className="muted">Not asked yet.</span> : words.summary}
                      {words.incident && <div className="bad small">Incident: {words.incident}</div>}
                    </td>
                    <td data-label="Checked" className="inst-checked">
                      <span>{i.health === 'UNKNOWN' ? 'Never' : dateTime(i.refreshedAt)}</span>
                      <form action={checkNow}>
                        <input type="hidden" name="institutionId" value={i.id} />
                        <button type="submit" className="secondary small">Check now<span className="visually-hidden"> ({i.name})</span></button>
                      </form>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}
