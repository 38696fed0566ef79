/**
 * The postMessage protocol between the stand-in (`link-initialize.js`, in the host page) and the
 * Link UI (in the overlay iframe), as browser JavaScript. Both scripts embed this source, and the
 * unit tests evaluate it, so the one validator the browser runs is the one that is tested.
 *
 * A message is accepted only from the expected window and origin, on the handler's own channel
 * (several handlers may live in one page), with a known type and a payload of the right shape.
 */
export const PROTOCOL_ID = 'plaid-link-emulator/1';

export const PROTOCOL_JS = String.raw`
var PROTOCOL_ID = ${JSON.stringify(PROTOCOL_ID)};

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isHttpUrl(v) {
  if (typeof v !== 'string') return false;
  try {
    var u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch (e) {
    return false;
  }
}

/** Payload checks per message type; parent-bound and iframe-bound types share one table. */
var PAYLOAD_CHECKS = {
  // iframe -> host page
  ready: function (p) { return true; },
  event: function (p) { return typeof p.name === 'string' && isObject(p.metadata); },
  success: function (p) { return typeof p.public_token === 'string' && isObject(p.metadata); },
  exit: function (p) {
    // Host-bound exits carry (error, metadata); iframe-bound exits carry { force }.
    if ('force' in p) return typeof p.force === 'boolean';
    return (p.error === null || isObject(p.error)) && isObject(p.metadata);
  },
  oauth_redirect: function (p) { return isHttpUrl(p.url); },
  // host page -> iframe
  open: function (p) { return true; },
  submit: function (p) { return isObject(p.data); },
};

/**
 * Returns { type, payload } for a valid message, or null. expected = { origin, source, channel, types }.
 */
function parseLinkMessage(event, expected) {
  if (!event || event.origin !== expected.origin) return null;
  if (expected.source && event.source !== expected.source) return null;
  var data = event.data;
  if (!isObject(data) || data.protocol !== PROTOCOL_ID) return null;
  if (typeof data.channel !== 'string' || data.channel !== expected.channel) return null;
  if (typeof data.type !== 'string' || expected.types.indexOf(data.type) < 0) return null;
  var payload = data.payload === undefined ? {} : data.payload;
  if (!isObject(payload)) return null;
  var check = PAYLOAD_CHECKS[data.type];
  if (!check || !check(payload)) return null;
  return { type: data.type, payload: payload };
}

function linkMessage(channel, type, payload) {
  return { protocol: PROTOCOL_ID, channel: channel, type: type, payload: payload || {} };
}
`;
