import { requireSupport } from '../../../server/auth/guards';
import { readableError, serverCaller } from '../../../server/trpc/server';
import { AppHeader } from '../../_components/app-header';
import { dateTime } from '../../_components/format';
import { BankLogo } from '../../_components/status-badge';
import { SupportNav } from '../_components/support-nav';

export const dynamic = 'force-dynamic';

const healthWords = { HEALTHY: 'Healthy', DEGRADED: 'Degraded', DOWN: 'Down', UNKNOWN: 'Unknown' } as const;

/** Institutions we have seen, worst health first, with Plaid's per-product status from polling. */
export default async function InstitutionsPage() {
  const user = await requireSupport('/support/institutions');
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
                  <td data-label="Checked">{dateTime(i.refreshedAt)}</td>
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
