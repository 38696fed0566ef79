/** @type {import('next').NextConfig} */
const nextConfig = {
  // Workspace packages export TypeScript source: Next compiles them like the app's own files.
  transpilePackages: ['@tributary/plaid-emulator', '@tributary/inngest-embedded'],
  // Native, WASM or worker-thread packages that must load from node_modules, not the bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'pino', 'kinesalite', 'leveldown', 'better-auth', 'inngest', 'nodemailer', 'smtp-server', 'mailparser', 'prom-client', '@opentelemetry/sdk-node'],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: { authInterrupts: true },
  // `npm test` type-checks the whole repo as its own stage; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
