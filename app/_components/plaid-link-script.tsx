import { headers } from 'next/headers';
import { env } from '../../server/env';
import { EMULATOR_MOUNT, mountsEmulator } from '../../server/plaid/mounted-emulator';

const PLAID_CDN = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

/**
 * In emulator mode, the emulator's stand-in for Plaid's Link script, plus an inert tag with the
 * CDN URL: react-plaid-link sees that tag, treats Link as loaded and uses window.Plaid from the
 * stand-in, so Link works offline. In sandbox/production react-plaid-link loads the CDN script.
 */
export async function PlaidLinkScript() {
  if (env().plaidEnv !== 'emulator') return null;
  const base = mountsEmulator() ? EMULATOR_MOUNT : env().PLAID_EMULATOR_URL;
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <>
      <script src={`${base}/link-initialize.js`} async={false} nonce={nonce} />
      <script type="text/plain" src={PLAID_CDN} />
    </>
  );
}
