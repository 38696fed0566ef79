import { type Attributes, type Context, context, type Link, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { safeErrorMessage } from '../safe-error';

export { SpanKind };

/**
 * The app's spans. Without the SDK started (the default: server/telemetry/start-tracing.ts) the
 * API hands out non-recording spans, so every call below costs a few object allocations.
 * Attributes are ids, codes and counts — never a token, a secret or an account number.
 */
export function tracer() {
  return trace.getTracer('tributary');
}

interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; by default the active context. */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs `fn` in a new active span and ends it. A thrown error marks the span failed with a safe
 * description (safeErrorMessage: never a driver message repeating bound parameters, never a stack).
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const { parent, ...spanOptions } = options;
  return tracer().startActiveSpan(name, spanOptions, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      markFailed(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

export function markFailed(span: Span, err: unknown) {
  const message = safeErrorMessage(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.addEvent('exception', { 'exception.type': err instanceof Error ? err.name : typeof err, 'exception.message': message });
}

/** W3C trace context, as carried in an event's data. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active span's context as W3C fields ({} when nothing is being traced). */
export function activeTraceCarrier(): TraceCarrier {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return {
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
    ...(headers.tracestate ? { tracestate: headers.tracestate } : {}),
  };
}

/** The context an event's data carries (traceparent/tracestate), or undefined when it carries none. */
export function contextFromCarrier(data: unknown): Context | undefined {
  const carrier = data as TraceCarrier | null | undefined;
  if (typeof carrier?.traceparent !== 'string') return undefined;
  const extracted = propagation.extract(ROOT_CONTEXT, { traceparent: carrier.traceparent, ...(typeof carrier.tracestate === 'string' ? { tracestate: carrier.tracestate } : {}) });
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/** Adds attributes to the active span (a no-op when nothing is traced). */
export function annotateSpan(attributes: Attributes) {
  trace.getActiveSpan()?.setAttributes(attributes);
}
