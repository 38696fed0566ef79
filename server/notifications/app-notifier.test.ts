import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setEnvForTests } from '../../test/support/env';
import { closeMail, embeddedInbox, processNotifier, usesEmbeddedSmtp } from './app-notifier';
import { startSmtpInbox } from './smtp-inbox';

const mail = { to: 'ada@example.com', subject: 'Hello', html: '<p>Hi</p>', text: 'Hi', messageId: '<m1@tributary.test>' };
const dataDir = () => mkdtempSync(path.join(tmpdir(), 'tributary-mail-'));

afterEach(() => closeMail());

describe("the process's mailer", () => {
  it('sends to SMTP_URL when it is set, and starts no inbox of its own', async () => {
    const external = await startSmtpInbox();
    try {
      setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir(), SMTP_URL: external.url, MAIL_FROM: 'Bank alerts <alerts@example.com>' });
      expect(usesEmbeddedSmtp()).toBe(false);
      await (await processNotifier()).mailer.send(mail);
      const got = await external.waitFor((m) => m.subject === 'Hello');
      expect(got).toMatchObject({ from: '"Bank alerts" <alerts@example.com>', envelopeTo: ['ada@example.com'], text: 'Hi' });
    } finally {
      await external.close();
    }
  });

  it('without SMTP_URL, mails land in the embedded inbox on 127.0.0.1', async () => {
    setEnvForTests({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir() });
    expect(usesEmbeddedSmtp()).toBe(true);
    await (await processNotifier()).mailer.send(mail);
    const inbox = await embeddedInbox();
    expect(inbox.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    expect((await inbox.waitFor((m) => m.subject === 'Hello')).html).toContain('<p>Hi</p>');
  });
});
