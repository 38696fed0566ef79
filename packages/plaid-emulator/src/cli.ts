import { parseArgs } from 'node:util';
import { startEmulatorServer } from './server';

/**
 * `npm run emulator -- --port 4010 [--seed s] [--persist .data/emulator/state.json]`.
 * The only emulator file that reads process.env (PLAID_EMULATOR_CLIENT_ID / _SECRET).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    seed: { type: 'string' },
    persist: { type: 'string' },
    'no-rate-limits': { type: 'boolean', default: false },
    /** Delay before linked items' transactions are available (ms); default 1500, historical +3500. */
    'pull-delay-ms': { type: 'string' },
    'purchases-per-day': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(1);
}

const server = await startEmulatorServer({
  port,
  seed: values.seed,
  persistPath: values.persist,
  rateLimits: !values['no-rate-limits'],
  ...(values['pull-delay-ms'] !== undefined ? { initialUpdateDelayMs: Number(values['pull-delay-ms']), historicalUpdateDelayMs: Number(values['pull-delay-ms']) } : {}),
  ...(values['purchases-per-day'] !== undefined ? { purchasesPerDay: Number(values['purchases-per-day']) } : {}),
  clientId: process.env.PLAID_EMULATOR_CLIENT_ID || undefined,
  secret: process.env.PLAID_EMULATOR_SECRET || undefined,
  log: (message, fields) => {
    if (process.env.PLAID_EMULATOR_VERBOSE) console.log(message, fields ?? '');
  },
});
console.log(`Plaid emulator listening on ${server.url}`);

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
