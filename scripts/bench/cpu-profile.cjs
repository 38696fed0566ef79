// Preloaded into the app by `bench:webhooks --profile DIR` (Node 20 refuses --cpu-prof in
// NODE_OPTIONS): profiles the server process (scripts/start.mjs, not the build it may spawn) from
// start to exit into DIR.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir && process.argv[1]?.endsWith(path.join('scripts', 'start.mjs'))) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // A same-thread inspector session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(path.join(dir, `app-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
