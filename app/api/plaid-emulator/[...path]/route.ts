import { mountedEmulator, mountsEmulator } from '../../../../server/plaid/mounted-emulator';

/** The in-repo Plaid emulator (API, Link stand-in, test controls) — emulator mode only. */
async function handler(req: Request) {
  if (!mountsEmulator()) return Response.json({ error: 'The Plaid emulator is not mounted in this mode' }, { status: 404 });
  return mountedEmulator().handle(req);
}

export { handler as GET, handler as HEAD, handler as POST };
