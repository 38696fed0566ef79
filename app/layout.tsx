import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PlaidLinkScript } from './_components/plaid-link-script';
import { Providers } from './_trpc/client';
import './globals.css';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Tributary',
  description: 'Your bank connections, accounts and transactions in one place.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <PlaidLinkScript />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
