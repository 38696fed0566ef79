import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from '@react-email/components';
import { render } from '@react-email/render';

/** One bank's part of an email: what is wrong, why it matters, and its one button. */
export interface EmailSection {
  bank: string;
  headline: string;
  happened: string;
  ifIgnored: string | null;
  button: string;
  buttonUrl: string;
}

export interface ItemEmailProps {
  preview: string;
  headline: string;
  why: string;
  sections: EmailSection[];
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** The buttons are single-use, expiring links (not for "connected again", whose button just opens the app). */
  singleUseButtons: boolean;
}

export const colors = { bg: '#f6f7f9', card: '#ffffff', text: '#17202a', muted: '#55606e', border: '#d9dee5', accent: '#0b5cad' };
export const font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/**
 * The app's notification email (React Email): one bank, or a digest of several. No marketing:
 * what happened, what it costs to ignore, one button per bank, and how to stop these emails.
 */
export function ItemEmail({ preview, headline, why, sections, preferencesUrl, unsubscribeUrl, singleUseButtons }: ItemEmailProps) {
  const single = sections.length === 1;
  return (
    <Html lang="en">
      <Head>
        <title>{headline}</title>
      </Head>
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: colors.bg, fontFamily: font, color: colors.text, margin: 0, padding: '24px 0' }}>
        <Container style={{ maxWidth: 560, margin: '0 auto', padding: '0 12px' }}>
          <Text style={{ fontWeight: 700, fontSize: 18, color: colors.accent, margin: '0 0 12px' }}>Tributary</Text>
          <Section style={{ backgroundColor: colors.card, border: `1px solid ${colors.border}`, borderRadius: 10, padding: '24px' }}>
            <Heading as="h1" style={{ fontSize: 22, lineHeight: '28px', margin: '0 0 16px' }}>{headline}</Heading>
            {sections.map((s, i) => (
              <Section key={i} style={{ marginBottom: i < sections.length - 1 ? 24 : 0 }}>
                {!single && <Heading as="h2" style={{ fontSize: 17, margin: '0 0 8px' }}>{s.headline}</Heading>}
                <Text style={{ fontSize: 15, lineHeight: '22px', margin: '0 0 8px' }}>{s.happened}</Text>
                {s.ifIgnored && <Text style={{ fontSize: 15, lineHeight: '22px', margin: '0 0 16px' }}>{s.ifIgnored}</Text>}
                <Button
                  href={s.buttonUrl}
                  style={{ backgroundColor: colors.accent, color: '#ffffff', borderRadius: 6, padding: '12px 20px', fontWeight: 600, fontSize: 15, textDecoration: 'none' }}
                >
                  {single ? s.button : `${s.button}: ${s.bank}`}
                </Button>
              </Section>
            ))}
          </Section>
          <Text style={{ fontSize: 13, lineHeight: '19px', color: colors.muted, margin: '16px 0 4px' }}>{why}</Text>
          {singleUseButtons && (
            <Text style={{ fontSize: 13, lineHeight: '19px', color: colors.muted, margin: '0 0 4px' }}>
              {single ? 'The button works once' : 'Each button works once'} and for a few days, and asks you to sign in to Tributary if you aren&apos;t already. We never ask for your bank password by email.
            </Text>
          )}
          <Hr style={{ borderColor: colors.border, margin: '16px 0' }} />
          <Text style={{ fontSize: 12, color: colors.muted, margin: 0 }}>
            <Link href={preferencesUrl} style={{ color: colors.muted }}>Email preferences</Link>
            {' · '}
            <Link href={unsubscribeUrl} style={{ color: colors.muted }}>Unsubscribe from these emails</Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Both parts of the email: HTML and plain text from the same template. */
export async function renderItemEmail(props: ItemEmailProps): Promise<{ html: string; text: string }> {
  const element = <ItemEmail {...props} />;
  const [html, text] = await Promise.all([render(element), render(element, {
      plainText: true,
      // Headings as written: shouting capitals read badly in a plain-text mail.
      htmlToTextOptions: { selectors: [{ selector: 'h1', options: { uppercase: false } }, { selector: 'h2', options: { uppercase: false } }] },
    })]);
  return { html, text };
}
