import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from '@react-email/components';
import { render } from '@react-email/render';
import { colors, font } from './item-email';

/** An email about the person's own account (password reset): what to do, one button, and why they got it. */
export interface AccountEmailProps {
  preview: string;
  headline: string;
  paragraphs: string[];
  button: string;
  buttonUrl: string;
  why: string;
}

/** The app's account email (React Email), in the same look as the bank alerts. */
export function AccountEmail({ preview, headline, paragraphs, button, buttonUrl, why }: AccountEmailProps) {
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
            {paragraphs.map((p, i) => (
              <Text key={i} style={{ fontSize: 15, lineHeight: '22px', margin: '0 0 12px' }}>{p}</Text>
            ))}
            <Button
              href={buttonUrl}
              style={{ backgroundColor: colors.accent, color: '#ffffff', borderRadius: 6, padding: '12px 20px', fontWeight: 600, fontSize: 15, textDecoration: 'none' }}
            >
              {button}
            </Button>
          </Section>
          <Hr style={{ borderColor: colors.border, margin: '16px 0' }} />
          <Text style={{ fontSize: 13, lineHeight: '19px', color: colors.muted, margin: 0 }}>{why}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Both parts of the email: HTML and plain text from the same template. */
export async function renderAccountEmail(props: AccountEmailProps): Promise<{ html: string; text: string }> {
  const element = <AccountEmail {...props} />;
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: { selectors: [{ selector: 'h1', options: { uppercase: false } }] } }),
  ]);
  return { html, text };
}
