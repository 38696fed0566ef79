import nodemailer from 'nodemailer';

/** One email to send: both parts, and the headers one-click unsubscribe needs. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per notification (`<key@host>`): a resend after a crash carries the same id. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

/**
 * A mailer over SMTP (`smtp://user:pass@host:587`, `smtps://...`) with nodemailer: one pooled
 * transport per process. Throws nodemailer's error on a refusal (its `responseCode` tells a
 * temporary 4xx from a permanent 5xx).
 */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
      };
    },
    close: () => transport.close(),
  };
}
