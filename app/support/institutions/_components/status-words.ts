/** Plaid's per-product status keys in words. */
const productWords: Record<string, string> = {
  item_logins: 'Sign-ins',
  transactions_updates: 'Transaction updates',
  auth: 'Account numbers',
  identity: 'Identity',
  investments_updates: 'Investment updates',
  investments: 'Investments',
  liabilities_updates: 'Loan updates',
  liabilities: 'Loans',
};

type ProductStatus = { status?: string; breakdown?: { success?: number } } | null | undefined;
type IncidentList = Array<{ title?: string | null; end_date?: string | null }> | null | undefined;

/**
 * What Plaid's status object says, in words: the products that are not healthy (with how often
 * sign-ins succeed), the open incident's title, or that every product is healthy.
 */
export function statusWords(status: unknown): { summary: string; incident: string | null } {
  if (!status || typeof status !== 'object') return { summary: 'Plaid has not reported on it yet.', incident: null };
  const entries = Object.entries(status as Record<string, ProductStatus | IncidentList>).filter(
    (e): e is [string, NonNullable<ProductStatus>] => Boolean(e[1] && !Array.isArray(e[1]) && (e[1] as { status?: string }).status),
  );
  const incidents = (status as { health_incidents?: IncidentList }).health_incidents ?? [];
  const open = incidents.find((i) => i && !i.end_date && i.title);
  const sick = entries.filter(([, v]) => v.status !== 'HEALTHY');
  const logins = (status as { item_logins?: ProductStatus }).item_logins;
  const rate = typeof logins?.breakdown?.success === 'number' ? ` Sign-ins succeed ${Math.round(logins.breakdown.success * 100)}% of the time.` : '';
  if (entries.length === 0) return { summary: 'Plaid reported no products.', incident: open?.title ?? null };
  if (sick.length === 0) return { summary: `All ${entries.length} products healthy.${rate}`, incident: open?.title ?? null };
  const list = sick.map(([k, v]) => `${productWords[k] ?? k.replace(/_/g, ' ')} ${String(v.status).toLowerCase()}`).join(', ');
  return { summary: `${list}.${rate}`, incident: open?.title ?? null };
}
