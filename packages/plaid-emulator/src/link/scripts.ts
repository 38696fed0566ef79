import { LINK_INITIALIZE_JS, SERVED_BASE_PLACEHOLDER, UI_JS } from '../../dist/link-scripts.js';

/**
 * The emulated Link's browser scripts, bundled from `browser/*.ts` at build time
 * (`scripts/build.mjs`, run on install, before the app builds or starts, and before the tests).
 */
export { UI_JS };

const [before, after, ...extra] = LINK_INITIALIZE_JS.split(JSON.stringify(SERVED_BASE_PLACEHOLDER));
if (before === undefined || after === undefined || extra.length > 0) {
  throw new Error('dist/link-scripts.js: link-initialize.js must hold its base URL placeholder once; rebuild with `npm run build -w @tributary/plaid-emulator`');
}

/** `link-initialize.js` for a request the emulator saw under `servedBase`. */
export function linkInitializeJs(servedBase: string): string {
  return before + JSON.stringify(servedBase) + after;
}
