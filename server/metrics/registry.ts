import { Counter, Histogram, Registry } from 'prom-client';
import { processContainer } from '../process/container';

/**
 * The app's Prometheus metrics, one set per process (kept in the process container: Next loads
 * our modules in several bundles, and all must count into one registry). Labels are endpoints,
 * codes and outcomes only — never an id, a token or a secret. Figures read from the database
 * (items by status, outbox backlog) are computed at scrape (server/metrics/scrape.ts).
 */
function createAppMetrics() {
  const registry = new Registry();
  const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    webhooksReceived: new Counter({
      name: 'tributary_webhooks_received_total',
      help: 'Plaid webhooks answered by the receiver, by outcome (accepted, duplicate, retry, unknown_item, rejected) and reason, with their webhook code',
      labelNames: ['outcome', 'reason', 'code'] as const,
      registers: [registry],
    }),
    webhookReceiveSeconds: new Histogram({
      name: 'tributary_webhook_receive_seconds',
      help: 'Time to verify, store and hand on one Plaid webhook',
      labelNames: ['outcome'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    webhookToSyncedSeconds: new Histogram({
      name: 'tributary_webhook_to_synced_seconds',
      help: "Seconds from a Plaid webhook's receipt to the end of the sync that took in its news, by that sync's outcome (succeeded, failed, login_required)",
      labelNames: ['outcome'] as const,
      // Seconds (a healthy debounced sync) to a day (a bank down, a stuck item).
      buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400],
      registers: [registry],
    }),
    plaidCalls: new Counter({
      name: 'tributary_plaid_calls_total',
      help: 'Plaid API calls by endpoint and error code (none = success)',
      labelNames: ['endpoint', 'error_code'] as const,
      registers: [registry],
    }),
    plaidCallSeconds: new Histogram({
      name: 'tributary_plaid_call_seconds',
      help: 'Plaid API call latency by endpoint',
      labelNames: ['endpoint'] as const,
      buckets: seconds,
      registers: [registry],
    }),
  };
}

export type AppMetrics = ReturnType<typeof createAppMetrics>;

/** The process's metrics, made on first use. */
export function metrics(): AppMetrics {
  const c = processContainer();
  c.metrics ??= createAppMetrics();
  return c.metrics;
}
