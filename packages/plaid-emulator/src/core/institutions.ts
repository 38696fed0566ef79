import { CountryCode, IncidentUpdateStatusEnum, Products, ProductStatusBreakdownRefreshIntervalEnum, ProductStatusStatusEnum, type Institution, type InstitutionStatus, type ProductStatus } from 'plaid';
import { drawLogoPng, type LogoShape } from './logo-png';

/**
 * The sandbox institutions of PLAID.md, with what Link and /institutions/* need to show them.
 * Tartan Bank offers no Auth (its accounts carry no ACH numbers → NO_AUTH_ACCOUNTS), so
 * `products` vs `required_if_supported_products` makes a visible difference there.
 */
export interface InstitutionSpec {
  id: string;
  name: string;
  color: string;
  url: string;
  shape: LogoShape;
  oauth: boolean;
  health: 'HEALTHY' | 'DEGRADED' | 'DOWN';
  /** Linking fails with this code (the unsupported bank). */
  linkError?: string;
  routingNumbers: string[];
  products: Products[];
}

const STANDARD: Products[] = [Products.Assets, Products.Auth, Products.Balance, Products.Identity, Products.Investments, Products.Liabilities, Products.Transactions, Products.RecurringTransactions, Products.TransactionsRefresh, Products.Signal, Products.Statements];

export const INSTITUTIONS: readonly InstitutionSpec[] = [
  { id: 'ins_109508', name: 'First Platypus Bank', color: '#1f6f8b', url: 'https://www.plaid.com', shape: 'circle', oauth: false, health: 'HEALTHY', routingNumbers: ['011401533', '021200339'], products: STANDARD },
  { id: 'ins_109509', name: 'First Gingham Credit Union', color: '#d1495b', url: 'https://www.plaid.com', shape: 'bars', oauth: false, health: 'HEALTHY', routingNumbers: ['011000138'], products: STANDARD },
  { id: 'ins_109510', name: 'Tattersall Federal Credit Union', color: '#2e7d32', url: 'https://www.plaid.com', shape: 'cross', oauth: false, health: 'HEALTHY', routingNumbers: ['021000021'], products: STANDARD },
  { id: 'ins_109511', name: 'Tartan Bank', color: '#6a1b9a', url: 'https://www.plaid.com', shape: 'diamond', oauth: false, health: 'HEALTHY', routingNumbers: ['026009593'], products: STANDARD.filter((p) => p !== Products.Auth) },
  { id: 'ins_109512', name: 'Houndstooth Bank', color: '#37474f', url: 'https://www.plaid.com', shape: 'triangle', oauth: false, health: 'HEALTHY', routingNumbers: ['031176110'], products: STANDARD },
  { id: 'ins_127287', name: 'Platypus OAuth Bank', color: '#00897b', url: 'https://www.plaid.com', shape: 'ring', oauth: true, health: 'HEALTHY', routingNumbers: ['011401533'], products: STANDARD },
  { id: 'ins_132363', name: 'Unhealthy Platypus Bank - Degraded', color: '#f9a825', url: 'https://www.plaid.com', shape: 'circle', oauth: false, health: 'DEGRADED', routingNumbers: ['011401533'], products: STANDARD },
  { id: 'ins_132361', name: 'Unhealthy Platypus Bank - Down', color: '#b71c1c', url: 'https://www.plaid.com', shape: 'cross', oauth: false, health: 'DOWN', routingNumbers: ['011401533'], products: STANDARD },
  { id: 'ins_133402', name: 'Unsupported Platypus Bank', color: '#757575', url: 'https://www.plaid.com', shape: 'diamond', oauth: false, health: 'HEALTHY', linkError: 'INSTITUTION_NO_LONGER_SUPPORTED', routingNumbers: ['011401533'], products: STANDARD },
];

const byId = new Map(INSTITUTIONS.map((i) => [i.id, i]));
export const findInstitution = (id: string): InstitutionSpec | undefined => byId.get(id);
export const supportsAll = (spec: InstitutionSpec, products: readonly Products[]): boolean => products.every((p) => spec.products.includes(p));

const logos = new Map<string, string>();
export function institutionLogo(spec: InstitutionSpec): string {
  let logo = logos.get(spec.id);
  if (!logo) {
    logo = drawLogoPng(spec.color, spec.shape);
    logos.set(spec.id, logo);
  }
  return logo;
}

const STATUS_SINCE = '2024-01-01T00:00:00Z';

function productStatus(health: InstitutionSpec['health']): ProductStatus {
  const [success, errorInstitution] = health === 'HEALTHY' ? [0.98, 0.01] : health === 'DEGRADED' ? [0.6, 0.38] : [0.02, 0.96];
  return {
    status: ProductStatusStatusEnum[health === 'HEALTHY' ? 'Healthy' : health === 'DEGRADED' ? 'Degraded' : 'Down'],
    last_status_change: STATUS_SINCE,
    breakdown: { success, error_plaid: Math.round((1 - success - errorInstitution) * 100) / 100, error_institution: errorInstitution },
  };
}

export function institutionStatus(spec: InstitutionSpec): InstitutionStatus {
  const s = productStatus(spec.health);
  return {
    item_logins: s,
    transactions_updates: { ...s, breakdown: { ...s.breakdown, refresh_interval: spec.health === 'HEALTHY' ? ProductStatusBreakdownRefreshIntervalEnum.Normal : ProductStatusBreakdownRefreshIntervalEnum.Delayed } },
    auth: s,
    identity: s,
    investments_updates: s,
    liabilities_updates: s,
    liabilities: s,
    investments: s,
    health_incidents: spec.health === 'HEALTHY' ? [] : [{
      start_date: STATUS_SINCE,
      end_date: null,
      title: spec.health === 'DOWN' ? `${spec.name} is down` : `${spec.name} is degraded`,
      incident_updates: [{ description: 'The institution is experiencing connectivity issues.', status: IncidentUpdateStatusEnum.Identified, updated_date: STATUS_SINCE }],
    }],
  };
}

export interface InstitutionView { includeOptionalMetadata?: boolean; includeStatus?: boolean }

/** The wire shape; logo, url and colour only with include_optional_metadata, as Plaid does. */
export function toInstitution(spec: InstitutionSpec, view: InstitutionView = {}): Institution {
  const inst: Institution = {
    institution_id: spec.id,
    name: spec.name,
    products: spec.products,
    country_codes: [CountryCode.Us],
    routing_numbers: spec.routingNumbers,
    dtc_numbers: [],
    oauth: spec.oauth,
  };
  if (view.includeOptionalMetadata) {
    inst.url = spec.url;
    inst.primary_color = spec.color;
    inst.logo = institutionLogo(spec);
  }
  if (view.includeStatus) inst.status = institutionStatus(spec);
  return inst;
}
