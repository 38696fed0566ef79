import { describe, expect, it } from 'vitest';
import { appEvent, plaidWebhookReceived } from '../events';
import { loadEnv } from '../env';
import { setEnvForTests } from '../../test/support/env';
import { processContainer } from '../process/container';
import { inSpan } from './spans';
import { startTracing } from './start-tracing';

describe('traces are off by default', () => {
  it('are on only when an OTLP endpoint or a traces exporter is set, and OTEL_SDK_DISABLED or "none" turns them off', () => {
    expect(loadEnv({}).tracing).toBe(false);
    expect(loadEnv({ OTEL_SERVICE_NAME: 'tributary-eu' }).tracing).toBe(false);
    expect(loadEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing).toBe(true);
    expect(loadEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }).tracing).toBe(true);
    expect(loadEnv({ OTEL_TRACES_EXPORTER: 'console' }).tracing).toBe(true);
    expect(loadEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing).toBe(false);
    expect(loadEnv({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing).toBe(false);
  });

  it('unset, no SDK starts, spans do not record, and events carry no trace context', async () => {
    setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    expect(await startTracing()).toBe(false);
    expect(processContainer().tracing).toBeUndefined();
    const event = await inSpan('webhook', {}, async (span) => {
      expect(span.isRecording()).toBe(false);
      expect(span.spanContext().traceId).toBe('0'.repeat(32));
      return appEvent(plaidWebhookReceived, { webhookId: 'w1' });
    });
    expect(event).toEqual({ name: 'plaid/webhook.received', data: { webhookId: 'w1' } });
  });
});
