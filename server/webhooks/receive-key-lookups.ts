import type { PlaidWebhookKey } from '../plaid/webhook-verify';

type GetKey = (kid: string) => Promise<PlaidWebhookKey>;

export interface KeyLookupLimits {
  /** Lookups at Plaid of key ids not seen before, per minute. */
  unknownPerMinute: number;
  /** How long a key id Plaid did not serve is refused without asking again. */
  refusedForMs: number;
}

export const DEFAULT_KEY_LOOKUP_LIMITS: KeyLookupLimits = { unknownPerMinute: 20, refusedForMs: 10 * 60_000 };

/**
 * A forged JWT can carry any `kid`, and each kid the cache has not seen costs a call to Plaid's
 * /webhook_verification_key/get: a burst of forgeries would turn into a burst of Plaid calls (and
 * Plaid's rate limit). So: kids Plaid has served go straight to the cache; a new kid is looked up
 * once at a time, at most `unknownPerMinute` new kids a minute; a kid Plaid refused is refused
 * here for `refusedForMs`. A real key rotation needs one lookup; if an attack has used up the
 * minute's lookups, the webhook gets 401 and Plaid's retry verifies it.
 */
export function guardKeyLookups(limits: KeyLookupLimits = DEFAULT_KEY_LOOKUP_LIMITS, now: () => number = Date.now) {
  const served = new Set<string>();
  const refused = new Map<string, number>();
  const inFlight = new Map<string, Promise<PlaidWebhookKey>>();
  let window = { start: Number.NEGATIVE_INFINITY, used: 0 };
  const stats = { lookups: 0, refusedWithoutAsking: 0 };

  function guard(getKey: GetKey): GetKey {
    return async (kid) => {
      if (served.has(kid)) return getKey(kid);
      const pending = inFlight.get(kid);
      if (pending) return pending;
      const until = refused.get(kid);
      if (until !== undefined && until > now()) {
        stats.refusedWithoutAsking++;
        throw new Error(`key id ${kid} was refused by Plaid recently`);
      }
      if (now() - window.start >= 60_000) window = { start: now(), used: 0 };
      if (window.used >= limits.unknownPerMinute) {
        stats.refusedWithoutAsking++;
        throw new Error('too many lookups of unknown key ids this minute');
      }
      window.used++;
      stats.lookups++;
      const lookup = getKey(kid).then(
        (key) => {
          served.add(kid);
          return key;
        },
        (err: unknown) => {
          for (const [k, t] of refused) if (t <= now()) refused.delete(k);
          refused.set(kid, now() + limits.refusedForMs);
          throw err;
        },
      );
      inFlight.set(kid, lookup);
      void lookup.finally(() => inFlight.delete(kid)).catch(() => undefined);
      return lookup;
    };
  }
  return Object.assign(guard, { stats });
}
