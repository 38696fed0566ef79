import { env } from '../env';
import { processContainer } from '../process/container';

/**
 * Starts the OpenTelemetry SDK when the environment asks for traces (env().tracing: an OTLP
 * endpoint or OTEL_TRACES_EXPORTER set, OTEL_SDK_DISABLED not true); otherwise loads nothing, and
 * the app's spans stay non-recording. The SDK configures itself from the standard variables
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER, OTEL_PROPAGATORS...). Traces only: metrics are
 * Prometheus (/metrics), logs go to stdout. Called from instrumentation.ts, before boot.
 */
export async function startTracing(): Promise<boolean> {
  const c = processContainer();
  if (c.tracing) return true;
  let wanted: boolean;
  try {
    wanted = env().tracing;
  } catch {
    return false; // boot reports the bad variable and stops
  }
  if (!wanted) return false;
  const { NodeSDK, resources } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    // service.name "tributary" unless OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES say otherwise (they merge over it).
    resource: resources.defaultResource().merge(resources.resourceFromAttributes({ 'service.name': 'tributary' })),
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  c.tracing = sdk;
  return true;
}

/** Exports the spans still buffered and stops the SDK (graceful stop, server/process/shutdown.ts). */
export async function stopTracing(): Promise<void> {
  const c = processContainer();
  const sdk = c.tracing;
  c.tracing = undefined;
  await sdk?.shutdown();
}
