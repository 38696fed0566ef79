#!/usr/bin/env node
// `npm start`: build if the sources changed since the last build, then serve on 127.0.0.1:$PORT
// in this very process (scripts/serve.mjs), so its PID is the server's and stopping it stops all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules/next/dist/bin/next');
const buildId = path.join(root, '.next/BUILD_ID');
const sources = ['app', 'server', 'db', 'inngest', 'packages', 'instrumentation.ts', 'proxy.ts', 'next.config.mjs', 'package.json', 'tsconfig.json'];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

function needsBuild() {
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

// The workspace packages' own build steps first (the emulator's Link scripts, which Next bundles);
// each writes only what changed, so an unchanged package does not trigger a Next build.
const packages = spawnSync('npm', ['run', 'build', '--workspaces', '--if-present', '--silent'], { cwd: root, stdio: 'inherit' });
if (packages.status !== 0) process.exit(packages.status ?? 1);

if (needsBuild()) {
  console.log('Building Tributary (sources changed since the last build)…');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { serve } = await import('./serve.mjs');
// Next installs its own uncaughtException/unhandledRejection listeners, so a failure to start
// would otherwise leave this process up without listening.
await serve({ dir: root, hostname: '127.0.0.1', port: Number(process.env.PORT || 3000) }).catch((err) => {
  console.error('Tributary could not start:', err);
  process.exit(1);
});
