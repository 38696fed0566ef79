/**
 * The postMessage protocol between the stand-in (`link-initialize.js`, in the host page) and the
 * Link UI (in the overlay iframe). Both bundles import this module, and the unit tests import it,
 * so the one validator the browser runs is the one that is tested.
 *
 * A message is accepted only from the expected window and origin, on the handler's own channel
 * (several handlers may live in one page), with a known type and a payload of the right shape.
 */
export const PROTOCOL_ID = 'plaid-link-emulator/1';

/** Iframe → host page. */
export type UiMessageType = 'ready' | 'event' | 'success' | 'exit' | 'oauth_redirect';
/** Host page → iframe. */
export type HostMessageType = 'open' | 'exit' | 'submit';
export type LinkMessageType = UiMessageType | HostMessageType;

export type Payload = Record<string, unknown>;

export interface LinkMessage {
  protocol: typeof PROTOCOL_ID;
  channel: string;
  type: LinkMessageType;
  payload: Payload;
}

export interface ExpectedSender<T extends LinkMessageType> {
  origin: string;
  /** The window the message must come from; null/undefined skips the check. */
  source?: unknown;
  channel: string;
  types: readonly T[];
}

/** The parts of a MessageEvent the check reads. */
export interface MessageLike {
  origin: string;
  source: unknown;
  data: unknown;
}

function isObject(v: unknown): v is Payload {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Payload checks per message type; parent-bound and iframe-bound types share one table. */
const PAYLOAD_CHECKS: Record<LinkMessageType, (p: Payload) => boolean> = {
  // iframe -> host page
  ready: () => true,
  event: (p) => typeof p.name === 'string' && isObject(p.metadata),
  success: (p) => typeof p.public_token === 'string' && isObject(p.metadata),
  exit: (p) => {
    // Host-bound exits carry (error, metadata); iframe-bound exits carry { force }.
    if ('force' in p) return typeof p.force === 'boolean';
    return (p.error === null || isObject(p.error)) && isObject(p.metadata);
  },
  oauth_redirect: (p) => isHttpUrl(p.url),
  // host page -> iframe
  open: () => true,
  submit: (p) => isObject(p.data),
};

/** `{ type, payload }` for a valid message, or null. */
export function parseLinkMessage<T extends LinkMessageType>(
  event: MessageLike | null | undefined,
  expected: ExpectedSender<T>,
): { type: T; payload: Payload } | null {
  if (!event || event.origin !== expected.origin) return null;
  if (expected.source && event.source !== expected.source) return null;
  const data = event.data;
  if (!isObject(data) || data.protocol !== PROTOCOL_ID) return null;
  if (typeof data.channel !== 'string' || data.channel !== expected.channel) return null;
  const type = data.type;
  if (typeof type !== 'string' || !(expected.types as readonly string[]).includes(type)) return null;
  const payload = data.payload === undefined ? {} : data.payload;
  if (!isObject(payload)) return null;
  const check = Object.hasOwn(PAYLOAD_CHECKS, type) ? PAYLOAD_CHECKS[type as LinkMessageType] : undefined;
  if (!check || !check(payload)) return null;
  return { type: type as T, payload };
}

export function linkMessage(channel: string, type: LinkMessageType, payload?: Payload): LinkMessage {
  return { protocol: PROTOCOL_ID, channel, type, payload: payload || {} };
}
