/**
 * Why a notification email did not go out, in words support staff read. `notifications.last_error`
 * keeps the mail library's own text (SMTP reply codes and all) for the log and engineers; the
 * support console shows these instead. Matched on that text: the reply code and what servers say.
 */
const DELIVERY_PROBLEMS: Array<[RegExp, string]> = [
  [/\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ESOCKET|ECONNECTION)\b|Connection timeout|Greeting never received|socket hang up|Connection closed/i,
    'The mail server could not be reached. Tributary tries again by itself.'],
  [/\bEAUTH\b|Invalid login|\b53[45]\b|authentication/i,
    'The mail server refused Tributary’s sign-in. An engineer needs to check the mail settings (SMTP_URL).'],
  [/certificate|\bTLS\b|\bSSL\b|self[- ]signed/i,
    'The secure connection to the mail server failed. An engineer needs to check its certificate and the mail settings.'],
  [/\b552\b|\b5\.2\.2\b|mailbox (is )?full|quota/i,
    'The person’s mailbox is full. Ask them to make room, or to use another email address.'],
  [/\b55[013]\b|\b5\.1\.[0-9]\b|no such (mailbox|user)|user unknown|does not exist/i,
    'The person’s mail server says this address does not exist. Ask them to check the email address on their account.'],
  [/\b554\b|\b5\.7\.[0-9]\b|spam|blocked|blacklist|policy/i,
    'The receiving mail server refused the message (its spam or sending rules). The server log has its exact answer.'],
  [/\b4[25][0-9]\b|\b4\.[0-9]\.[0-9]\b|try again later|temporar/i,
    'The mail server asked to try later. Tributary tries again by itself.'],
];

export function deliveryProblemWords(raw: string): string {
  return DELIVERY_PROBLEMS.find(([re]) => re.test(raw))?.[1] ?? 'The email could not be sent. The server log has the details.';
}
