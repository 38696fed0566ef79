import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verificationWords, webhookNoteWords } from './webhook-words';

const root = path.resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
/** The string literals (template literals up to their first `${`) a pattern captures in a source file. */
const literals = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!.split('${')[0]!);

const notes = [
  ...literals(read('server/webhooks/handle/decide.ts'), /ignored\(['`]([^'`]+)['`]\)/g),
  ...literals(read('server/webhooks/handle/item-rules.ts'), /ignore: ['`]([^'`]+)['`]/g),
  ...literals(read('server/webhooks/handle/item-rules.ts'), /STALE_REPAIRED = ['`]([^'`]+)['`]/g),
  ...literals(read('server/webhooks/handle/handle-stored-webhook.ts'), /\['(?:IGNORED|FAILED)', [`']([^'`]+)[`']/g),
  ...literals(read('server/webhooks/receive.ts'), /error: '([^']+)' \}\)/g),
  ...literals(read('server/webhooks/receive.ts'), /then null else '([^']+)'/g),
];
const reasons = literals(read('server/plaid/webhook-verify.ts'), /reason: ['`]([^'`]+)['`]/g);

describe('webhook notes in words', () => {
  it('finds the notes and reasons the server writes (the scan sees what it looks for)', () => {
    expect(notes.length).toBeGreaterThanOrEqual(12);
    expect(reasons.length).toBeGreaterThanOrEqual(10);
  });

  it('gives every note the receiver stores its own plain sentence, with no code in it', () => {
    for (const note of notes) {
      const words = webhookNoteWords(note);
      expect(words, note).not.toBe(webhookNoteWords('some unexpected failure'));
      expect(words, note).not.toMatch(/[A-Z]{2,}_|_[a-z]+|\bitem is\b|JSON/);
    }
  });

  it('gives every verification failure its own plain sentence, with no JWT words in it', () => {
    for (const reason of reasons) {
      const words = verificationWords(reason);
      expect(words, reason).not.toBe(verificationWords('something else'));
      expect(words, reason).not.toMatch(/JWT|\bkid\b|\biat\b|sha256|header/i);
    }
  });
});
