import { describe, expect, it } from 'vitest';
import { looksInternal, wordsForError } from './error-words';

describe('wordsForError', () => {
  it('prefers the display message written for people', () => {
    expect(wordsForError({ code: 'CONFLICT', displayMessage: 'You have already linked Chase.', message: 'Bank already linked (item 1)' })).toBe('You have already linked Chase.');
  });

  it('never passes on validation JSON, regexes, backticks, codes or ids', () => {
    const zodJson = '[{"origin":"string","code":"invalid_format","format":"date","pattern":"/^\\\\d{4}-\\\\d{2}-\\\\d{2}$/","path":["from"]}]';
    for (const message of [zodJson, '`from` must not be after `to`', 'Linking your bank: INVALID_FIELD', 'Bank already linked (item 7f1c2d3e-1111-4222-8333-444455556666)']) {
      expect(looksInternal(message), message).toBe(true);
      const words = wordsForError({ code: 'BAD_REQUEST', message });
      expect(words).toBe('Some of what was asked for is not valid. Please check it and try again.');
    }
    expect(wordsForError({ code: 'INTERNAL_SERVER_ERROR', message: 'relation "x" does not exist' })).toMatch(/on our side/);
  });

  it('keeps a message that is already a sentence', () => {
    expect(wordsForError({ code: 'PRECONDITION_FAILED', message: 'This bank backs an active float, so it cannot be removed yet.' })).toBe('This bank backs an active float, so it cannot be removed yet.');
  });
});
