/** Next.js calls register() once when a server process starts. */
export async function register() {
  // NEXT_RUNTIME is Next's own switch between its Node and edge bundles, not app configuration.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { boot } = await import('./server/boot');
    await boot();
  }
}
