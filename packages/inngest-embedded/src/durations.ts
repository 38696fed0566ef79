/** Inngest's time strings ("1d2h30m", "45s", "500ms") as milliseconds. */
const unitMs: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

export function parseDuration(input: string): number {
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)/g)) {
    total += Number(match[1]) * unitMs[match[2]!]!;
    consumed += match[0].length;
  }
  if (consumed === 0 || consumed !== text.replace(/\s+/g, '').length) {
    throw new Error(`Unrecognised duration "${input}"`);
  }
  return total;
}

/**
 * When a `Sleep` op ends: its name is either a duration (step.sleep) or an ISO timestamp
 * (step.sleepUntil).
 */
export function sleepUntilMs(name: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(name)) {
    const at = Date.parse(name);
    if (Number.isNaN(at)) throw new Error(`Unrecognised sleep target "${name}"`);
    return at;
  }
  return now + parseDuration(name);
}

/** A Retry-After value from the SDK: seconds, an HTTP/ISO date, or an Inngest duration. */
export function retryAfterMs(value: string, now: number): number | null {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (!Number.isNaN(at)) return Math.max(0, at - now);
  try {
    return parseDuration(value);
  } catch {
    return null;
  }
}
