/**
 * The leak scan's one scanner, shared by the vitest suite and the Playwright journey: where does
 * a known secret (exact value) or something shaped like a Plaid token turn up in a text?
 * Pure: no server imports, so the browser tests can load it too.
 */
export interface KnownSecret {
  /** What it is ("access token", "account number of Plaid Checking"), never the value. */
  label: string;
  value: string;
}

export interface Leak {
  /** Where the text came from (a stream and record, a URL, "log line 12"). */
  where: string;
  label: string;
  /** The surroundings of the hit, with the secret itself replaced by its label. */
  excerpt: string;
}

/** Shapes of Plaid credentials, caught even when the exact value is not known to the scan. */
export const SECRET_SHAPES: ReadonlyArray<{ label: string; pattern: RegExp }> = [
  { label: 'an access token (shape)', pattern: /access-(sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}[0-9a-f-]*/ },
  { label: 'a public token (shape)', pattern: /public-(sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}[0-9a-f-]*/ },
  { label: 'a processor token (shape)', pattern: /processor-(sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}[0-9a-f-]*/ },
];

/**
 * Secrets too short to be unique (a 4-digit value) would match anything; the scan refuses them
 * so a test cannot pass by scanning for the wrong thing.
 */
const MIN_SECRET_LENGTH = 8;

function excerptAround(text: string, at: number, length: number, label: string): string {
  const from = Math.max(0, at - 60);
  const to = Math.min(text.length, at + length + 60);
  return `${text.slice(from, at)}[${label}]${text.slice(at + length, to)}`.replace(/\s+/g, ' ');
}

/** Every occurrence of a known secret or a secret shape in `text`. */
export function scanText(where: string, text: string, secrets: readonly KnownSecret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const s of secrets) {
    if (s.value.length < MIN_SECRET_LENGTH) throw new Error(`The scan was given "${s.label}", too short (${s.value.length} chars) to search for`);
    for (let at = text.indexOf(s.value); at !== -1; at = text.indexOf(s.value, at + 1)) {
      leaks.push({ where, label: s.label, excerpt: excerptAround(text, at, s.value.length, s.label) });
    }
  }
  for (const { label, pattern } of SECRET_SHAPES) {
    const global = new RegExp(pattern.source, 'g');
    for (const m of text.matchAll(global)) leaks.push({ where, label, excerpt: excerptAround(text, m.index, m[0].length, label) });
  }
  return leaks;
}

/** Scans many texts; `describe` turns the result into a failure message that names each hit. */
export function scanAll(texts: Iterable<{ where: string; text: string }>, secrets: readonly KnownSecret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const { where, text } of texts) leaks.push(...scanText(where, text, secrets));
  return leaks;
}

export function describeLeaks(leaks: readonly Leak[]): string {
  if (leaks.length === 0) return 'no leaks';
  const shown = leaks.slice(0, 20).map((l) => `- ${l.label} in ${l.where}: …${l.excerpt}…`);
  return [`${leaks.length} leak(s):`, ...shown, ...(leaks.length > 20 ? [`… and ${leaks.length - 20} more`] : [])].join('\n');
}
