import { CountryCode } from 'plaid';
import type { Db } from '../../db/client';
import type { AppDeps } from '../deps';
import { upsertInstitutions } from '../institutions/upsert-institutions';
import type { Logger } from '../logger';
import { plaidCall } from '../plaid/call';

/** /institutions/get_by_id with optional metadata and status, stored. */
export async function refreshInstitution(db: Db, deps: Pick<AppDeps, 'plaid'>, institutionId: string, log?: Logger) {
  const data = await plaidCall(db, { endpoint: '/institutions/get_by_id', log }, () =>
    deps.plaid.institutionsGetById({
      institution_id: institutionId,
      country_codes: [CountryCode.Us],
      options: { include_optional_metadata: true, include_status: true },
    }),
  );
  await upsertInstitutions(db, [data.institution]);
  return data.institution;
}
