/** Admins' and supervisors' view of every connected channel and its health. */
import type { PublicUser } from '../../db/repositories/users.ts';
import type { PublicChannel } from '../../services/channels.ts';
import { Layout } from '../layout.tsx';

const STATUS_TEXT: Record<PublicChannel['health']['status'], string> = {
  ok: 'Healthy',
  error: 'Failing',
  rate_limited: 'Rate limited (backing off)',
  disabled: 'Disabled',
  never_run: 'Not polled yet',
};

const when = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');

export function ChannelHealthPage(props: { user: PublicUser; csrfToken: string; channels: PublicChannel[] }) {
  return (
    <Layout title="Channels" user={props.user} csrfToken={props.csrfToken}>
      <h1>Channels and their health</h1>
      {props.channels.length === 0 ? (
        <p>No channels connected yet. Add one through the API (POST /api/channels, see /api/docs).</p>
      ) : (
        <table>
          <caption>Every connected channel: last successful sync, last error and lag</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Platform</th>
              <th scope="col">Status</th>
              <th scope="col">Last success</th>
              <th scope="col">Last error</th>
              <th scope="col">Lag</th>
            </tr>
          </thead>
          <tbody>
            {props.channels.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.kind}</td>
                <td>
                  {STATUS_TEXT[c.health.status]}
                  {c.health.blockedUntil ? ` until ${when(c.health.blockedUntil)}` : ''}
                </td>
                <td>{when(c.health.lastSuccessAt)}</td>
                <td>{c.health.lastError ? `${when(c.health.lastErrorAt)}: ${c.health.lastError}` : '—'}</td>
                <td>{c.health.lagMs === null ? '—' : `${(c.health.lagMs / 1000).toFixed(1)} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
