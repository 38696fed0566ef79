/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native, WASM or worker-thread packages that must load from node_modules, not the bundle.
  // Workspace packages export TypeScript source.
  transpilePackages: ['@tributary/plaid-emulator'],
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'pino', 'kinesalite', 'leveldown', 'better-auth', 'inngest'],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: { authInterrupts: true },
  // `npm test` type-checks the whole repo as its own stage; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
