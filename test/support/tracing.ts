import { trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';

type ReadableSpan = tracing.ReadableSpan;

/**
 * The OpenTelemetry SDK as the app runs it (a global provider, async-hooks context, W3C
 * propagation), exporting into memory: spans are readable the moment they end.
 */
export function recordSpans() {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  provider.register();
  return {
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async stop() {
      await provider.shutdown();
      trace.disable();
    },
  };
}

/** A span's parent span id (SDK 2.x keeps it in parentSpanContext). */
export const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

/** Every attribute value and name of every span, one text per span, for the leak scan. */
export function spanTexts(spans: readonly ReadableSpan[]) {
  return spans.map((s) => ({
    where: `span "${s.name}"`,
    text: JSON.stringify({ name: s.name, attributes: s.attributes, events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })), status: s.status, links: s.links.map((l) => l.attributes ?? {}) }),
  }));
}
