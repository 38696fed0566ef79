'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { SignOutButton } from './sign-out-button';

/** The main menu: a row of links on wide screens, a "Menu" button that opens them on phones. Marks the current page. */
export function MainMenu({ links, email }: { links: Array<{ href: string; label: string }>; email: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  const current = (href: string) => pathname === href || (href !== '/' && pathname.startsWith(`${href}/`));
  return (
    <>
      <button type="button" className="secondary menu-toggle" aria-expanded={open} aria-controls="main-menu" onClick={() => setOpen((o) => !o)}>
        {open ? 'Close menu' : 'Menu'}
      </button>
      <div id="main-menu" className={`menu${open ? ' open' : ''}`}>
        <nav aria-label="Main">
          {links.map((l) => (
            <Link key={l.href} href={l.href} aria-current={current(l.href) ? 'page' : undefined}>{l.label}</Link>
          ))}
        </nav>
        <div className="who">
          <span className="muted email">{email}</span>
          <SignOutButton />
        </div>
      </div>
    </>
  );
}
