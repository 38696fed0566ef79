import { describe, expect, it } from 'vitest';
import { renderAccountEmail } from './account-email';
import { renderItemEmail } from './item-email';

const countOf = (text: string, part: string) => text.split(part).length - 1;

// An email opened on its own (a webmail's "view original", a screen reader's page title) is named by
// its <title>: the same words as its heading, once in the HTML head, and not repeated in the plain text.
describe('the emails carry a title', () => {
  it('the account email is titled by its headline', async () => {
    const { html, text } = await renderAccountEmail({
      preview: 'Choose a new password', headline: 'Choose a new Tributary password', paragraphs: ['Someone asked to reset it.'],
      button: 'Choose a new password', buttonUrl: 'http://127.0.0.1:3000/reset-password?link=x', why: 'You asked for it.',
    });
    expect(html).toMatch(/<html[^>]* lang="en"/);
    expect(html).toContain('<title>Choose a new Tributary password</title>');
    expect(countOf(text, 'Choose a new Tributary password')).toBe(1);
  });

  it('the bank email is titled by its headline', async () => {
    const { html, text } = await renderItemEmail({
      preview: 'Reconnect First Platypus Bank', headline: 'First Platypus Bank needs you to sign in again', why: 'You have a bank linked.',
      sections: [{ bank: 'First Platypus Bank', headline: 'First Platypus Bank needs you to sign in again', happened: 'Your bank asked.', ifIgnored: null, button: 'Reconnect', buttonUrl: 'http://127.0.0.1:3000/n/x' }],
      preferencesUrl: 'http://127.0.0.1:3000/settings/notifications', unsubscribeUrl: 'http://127.0.0.1:3000/unsubscribe?token=x', singleUseButtons: true,
    });
    expect(html).toContain('<title>First Platypus Bank needs you to sign in again</title>');
    expect(countOf(text, 'First Platypus Bank needs you to sign in again')).toBe(1);
  });
});
