/** Shell of the agent app: the shared look (earshot.css) plus the workspace styles and client bundle. */
import type { ComponentChildren } from 'preact';
import type { PublicUser } from '../../db/repositories/users.ts';
import { takesConversations } from '../../domain/assignment.ts';
import { canReviewIgnoredPosts } from '../../domain/roles.ts';

export interface AppLayoutProps {
  title: string;
  user: PublicUser;
  csrfToken: string;
  /** Which nav entry is current. */
  current?: 'inbox' | 'approvals' | 'settings' | 'routing' | 'sla' | 'agents' | 'pipeline' | 'ignored';
  children: ComponentChildren;
}

/** JSON for an island's props, safe inside <script> (no "</script>" breakout). */
export function IslandData({ id, data }: { id: string; data: unknown }) {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return <script type="application/json" id={`island-${id}`} dangerouslySetInnerHTML={{ __html: json }} />;
}

/**
 * Available / away, for agents who receive conversations: the current state and a one-button form
 * (works without JavaScript: POST, then back to the same page).
 */
export function AvailabilityToggle({ user, csrfToken }: { user: PublicUser; csrfToken: string }) {
  if (!takesConversations(user.role)) return null;
  const online = user.online;
  return (
    <form method="post" action="/api/users/me/availability" class="inline availability">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="online" value={online ? 'false' : 'true'} />
      <span class={online ? 'state on' : 'state off'} id="availability-state">
        {online ? 'Available' : 'Away'}
      </span>{' '}
      <button
        type="submit"
        title={online ? 'Stop receiving new conversations' : 'Receive conversations automatically'}
      >
        {online ? 'Go away' : 'Become available'}
      </button>
    </form>
  );
}

/** Supervisors and admins: SLA escalation e-mails on or off, as a one-button form (works without JavaScript). */
export function EscalationMailToggle({ user, csrfToken }: { user: PublicUser; csrfToken: string }) {
  if (user.role !== 'admin' && user.role !== 'supervisor') return null;
  const on = user.slaEmail;
  return (
    <form method="post" action="/api/users/me/notifications" class="inline availability sla-email">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="slaEmail" value={on ? 'false' : 'true'} />
      <span class={on ? 'state on' : 'state off'}>Escalation e-mails: {on ? 'on' : 'off'}</span>{' '}
      <button
        type="submit"
        aria-label={on ? 'Turn off escalation e-mails' : 'Turn on escalation e-mails'}
        title={on ? 'Stop SLA escalation e-mails to you' : 'E-mail me SLA escalations'}
      >
        {on ? 'Turn off' : 'Turn on'}
      </button>
    </form>
  );
}

export function AppLayout({ title, user, csrfToken, current, children }: AppLayoutProps) {
  const supervisor = user.role === 'admin' || user.role === 'supervisor';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Earshot`}</title>
        <meta name="csrf-token" content={csrfToken} />
        <link rel="stylesheet" href="/assets/earshot.css" />
        <link rel="stylesheet" href="/app/assets/app.css" />
        <script type="module" src="/app/assets/client.js" />
      </head>
      <body class="ws">
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/app">
            Earshot
          </a>
          <nav aria-label="Workspace">
            <a href="/app" aria-current={current === 'inbox' ? 'page' : undefined}>
              Inbox
            </a>{' '}
            {supervisor && (
              <a href="/app/approvals" aria-current={current === 'approvals' ? 'page' : undefined}>
                Approvals
              </a>
            )}{' '}
            {supervisor && (
              <a href="/app/settings/composer" aria-current={current === 'settings' ? 'page' : undefined}>
                Composer settings
              </a>
            )}{' '}
            {user.role === 'admin' && (
              <a href="/app/settings/routing" aria-current={current === 'routing' ? 'page' : undefined}>
                Routing rules
              </a>
            )}{' '}
            {supervisor && (
              <a href="/app/settings/sla" aria-current={current === 'sla' ? 'page' : undefined}>
                SLA policies
              </a>
            )}{' '}
            {supervisor && (
              <a href="/app/settings/agents" aria-current={current === 'agents' ? 'page' : undefined}>
                Agents
              </a>
            )}{' '}
            {supervisor && (
              <a href="/app/settings/pipeline" aria-current={current === 'pipeline' ? 'page' : undefined}>
                Pipeline
              </a>
            )}{' '}
            {canReviewIgnoredPosts(user.role) && (
              <a href="/app/ignored" aria-current={current === 'ignored' ? 'page' : undefined}>
                Ignored
              </a>
            )}{' '}
            <span class="who">
              {user.displayName} ({user.role})
            </span>
            <AvailabilityToggle user={user} csrfToken={csrfToken} />{' '}
            <EscalationMailToggle user={user} csrfToken={csrfToken} />{' '}
            {/* Filled by desktop-alerts.ts where the browser has notifications (nothing without JavaScript). */}
            <span class="inline availability desktop-alerts" id="desktop-alerts" />{' '}
            <form method="post" action="/logout" class="inline">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <button type="submit">Sign out</button>
            </form>
          </nav>
        </header>
        <p class="live-status" id="live-status" role="status" aria-live="polite" />
        {/* SLA warnings, escalations and breaches pushed while the page is open (sla-notices.ts). */}
        <div class="sla-notices" id="sla-notices" role="status" aria-live="polite" aria-label="SLA alerts" />
        {/* Conversations newly assigned to this agent while the page is open (assigned-notices.ts). */}
        <div
          class="sla-notices"
          id="assigned-notices"
          role="status"
          aria-live="polite"
          aria-label="Assigned to you"
        />
        <main id="main">{children}</main>
      </body>
    </html>
  );
}

export function fmtTime(iso: string | null): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "in 12 min" / "34 min overdue": the SLA clock as an agent reads it. */
export function slaText(iso: string | null, now = Date.now()): { text: string; breached: boolean } {
  if (!iso) return { text: 'no SLA', breached: false };
  const mins = Math.round((new Date(iso).getTime() - now) / 60_000);
  const span = (m: number) =>
    Math.abs(m) >= 120 ? `${Math.round(Math.abs(m) / 60)} h` : `${Math.abs(m)} min`;
  return mins < 0
    ? { text: `${span(mins)} overdue`, breached: true }
    : { text: `due in ${span(mins)}`, breached: false };
}

export const label = (s: string) => s.replace(/_/g, ' ');
