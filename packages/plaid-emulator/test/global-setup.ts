import { buildLinkScripts } from '../scripts/build.mjs';

/** The Link routes serve the bundled browser scripts: build them before any test imports the emulator. */
export default async function setup(): Promise<void> {
  await buildLinkScripts();
}
