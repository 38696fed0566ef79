/** Next.js calls register() once when a server process starts. */
export async function register() {
  // NEXT_RUNTIME is Next's own switch between its Node and edge bundles, not app configuration.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // Traces first (off unless OTEL_* asks for them), so that boot's own work is traced too.
    const { startTracing } = await import('./server/telemetry/start-tracing');
    await startTracing();
    const { boot } = await import('./server/boot');
    await boot();
  }
}
