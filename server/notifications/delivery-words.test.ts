import { expect, test } from 'vitest';
import { deliveryProblemWords } from './delivery-words';

// What nodemailer says, as stored in notifications.last_error.
const cases: Array<[string, RegExp]> = [
  ['connect ECONNREFUSED 127.0.0.1:2525', /could not be reached/],
  ['Connection timeout', /could not be reached/],
  ['Greeting never received', /could not be reached/],
  ['Invalid login: 535 5.7.8 Authentication credentials invalid', /refused Tributary’s sign-in/],
  ["Can't send mail - all recipients were rejected: 550 No such mailbox", /address does not exist/],
  ['Message failed: 552 5.2.2 Mailbox full', /mailbox is full/],
  ['Message failed: 554 5.7.1 Message rejected as spam', /spam or sending rules/],
  ["Can't send mail - all recipients were rejected: 451 Try again later", /try later/],
  ['self-signed certificate in certificate chain', /secure connection/],
  ['something nobody foresaw', /The email could not be sent/],
];

test.each(cases)('%s → words', (raw, words) => {
  const said = deliveryProblemWords(raw);
  expect(said).toMatch(words);
  // No reply codes, library text or settings syntax reaches staff, other than the setting's name.
  expect(said).not.toMatch(/\b[45]\d\d\b|\d\.\d\.\d|ECONN|Error:/);
});
