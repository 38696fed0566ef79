import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message an inbox received: the envelope, the headers that matter and both parts. */
export interface ReceivedMail {
  id: number;
  receivedAt: Date;
  envelopeFrom: string | null;
  envelopeTo: string[];
  messageId: string | null;
  from: string;
  to: string;
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
}

export interface SmtpInbox {
  /** smtp://127.0.0.1:<port> (no auth, no TLS): what nodemailer sends to. */
  url: string;
  port: number;
  messages(): ReceivedMail[];
  /** Resolves with the first message (from now on or already held) that matches. */
  waitFor(match: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function headerMap(parsed: ParsedMail): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of parsed.headerLines) out[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
  return out;
}

/**
 * An SMTP server on 127.0.0.1 that keeps what it receives (in memory, the newest `keep`): the
 * embedded default's mail server (the mailbox page reads it, as developers use MailHog) and the
 * tests' real SMTP endpoint. `reject` lets a test refuse messages (a 4xx/5xx answer).
 */
export async function startSmtpInbox(options: { port?: number; keep?: number; reject?: (to: string[]) => { code: number; message: string } | null } = {}): Promise<SmtpInbox> {
  const keep = options.keep ?? 500;
  const received: ReceivedMail[] = [];
  const waiters = new Set<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>();
  let nextId = 1;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Offline, a reverse DNS lookup of each client would hold the greeting back.
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const refusal = options.reject?.(to);
      if (refusal) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code })));
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            id: nextId++,
            receivedAt: new Date(),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            envelopeTo: to,
            messageId: parsed.messageId ?? null,
            from: parsed.from?.text ?? '',
            to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? ''),
            subject: parsed.subject ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            text: parsed.text ?? null,
            headers: headerMap(parsed),
          };
          received.push(mail);
          if (received.length > keep) received.shift();
          for (const w of [...waiters]) if (w.match(mail)) { waiters.delete(w); w.resolve(mail); }
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages: () => [...received],
    waitFor(match, timeoutMs = 10_000) {
      const held = received.find(match);
      if (held) return Promise.resolve(held);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (m: ReceivedMail) => { clearTimeout(t); resolve(m); } };
        const t = setTimeout(() => { waiters.delete(w); reject(new Error(`no matching mail within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
