/** The HTML shell shared by every server-rendered page (public and agent app). */
import type { ComponentChildren } from 'preact';
import type { PublicUser } from '../db/repositories/users.ts';

export interface LayoutProps {
  title: string;
  user?: PublicUser;
  csrfToken?: string;
  description?: string;
  canonical?: string;
  children: ComponentChildren;
}

export function Layout({ title, user, csrfToken, description, canonical, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Earshot`}</title>
        {description && <meta name="description" content={description} />}
        {canonical && <link rel="canonical" href={canonical} />}
        {csrfToken && <meta name="csrf-token" content={csrfToken} />}
        <link rel="stylesheet" href="/assets/earshot.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            Earshot
          </a>
          <nav aria-label="Main">
            {user ? (
              <form method="post" action="/logout" class="inline">
                <span>
                  {user.displayName} ({user.role})
                </span>{' '}
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button type="submit">Sign out</button>
              </form>
            ) : (
              <a href="/login">Sign in</a>
            )}
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
