import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Middleware } from 'inngest';
import { activeTraceCarrier, contextFromCarrier, inSpan, SpanKind } from '../server/telemetry/spans';

/**
 * Traces through Inngest, the same with the embedded runner and with Inngest proper: an event sent
 * while a span is active carries its W3C context in its data (`traceparent`, `tracestate`; events
 * made with appEvent already do), and each call of a function (one per step in Inngest's protocol)
 * is a span under the context its triggering event carries — so a webhook's trace runs on through
 * every function it sets off. Without one (a cron, an untraced send) the call's span continues
 * whatever is active (Inngest's own request trace, in production); with one, that is kept as a
 * link. The SDK's own `inngest.execution` span and the spans of each step that runs (not a
 * memoized one) hang under it.
 */
export class TracingMiddleware extends Middleware.BaseMiddleware {
  readonly id = 'tributary:tracing';

  override transformSendEvent(arg: Middleware.TransformSendEventArgs): Middleware.TransformSendEventArgs {
    const carrier = activeTraceCarrier();
    if (!carrier.traceparent) return arg;
    return { ...arg, events: arg.events.map((e) => (e.data && 'traceparent' in e.data ? e : { ...e, data: { ...e.data, ...carrier } })) };
  }

  override async wrapRequest({ fn, next, requestInfo, runId }: Middleware.WrapRequestArgs): Promise<Middleware.Response> {
    if (!fn) return next();
    const body = (await requestInfo.body()) as { event?: { name?: unknown; data?: unknown }; ctx?: { attempt?: unknown } } | null;
    const parent = contextFromCarrier(body?.event?.data);
    const around = trace.getActiveSpan()?.spanContext();
    const stepId = requestInfo.url.searchParams.get('stepId');
    return inSpan(
      `inngest.function ${fn.id()}`,
      {
        kind: SpanKind.CONSUMER,
        parent,
        links: parent && around ? [{ context: around }] : [],
        attributes: {
          'inngest.function.id': fn.id(),
          'inngest.run_id': runId,
          ...(typeof body?.event?.name === 'string' ? { 'inngest.event.name': body.event.name } : {}),
          ...(typeof body?.ctx?.attempt === 'number' ? { 'inngest.attempt': body.ctx.attempt } : {}),
          ...(stepId && stepId !== 'step' ? { 'inngest.step.requested': stepId } : {}),
        },
      },
      async (span) => {
        const res = await next();
        // 200: the run finished; 206: a step ran or was planned; 5xx: the function failed this time.
        span.setAttribute('inngest.response.status', res.status);
        if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: 'function error' });
        return res;
      },
    );
  }

  override wrapStepHandler({ fn, next, stepInfo }: Middleware.WrapStepHandlerArgs): Promise<unknown> {
    return inSpan(
      `inngest.step ${stepInfo.options.id}`,
      { attributes: { 'inngest.function.id': fn.id(), 'inngest.step.id': stepInfo.options.id, 'inngest.step.type': stepInfo.stepType } },
      () => next(),
    );
  }
}
