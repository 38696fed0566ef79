import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './_trpc/client';
import './globals.css';

export const metadata: Metadata = {
  title: 'Tributary',
  description: 'Your bank connections, accounts and transactions in one place.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
