import type { PublicUser } from '../../db/repositories/users.ts';
import { Layout } from '../layout.tsx';

export function LoginPage(props: { csrfToken: string; error?: string; email?: string; next?: string }) {
  return (
    <Layout title="Sign in" csrfToken={props.csrfToken}>
      <h1>Sign in</h1>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/login" class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <label for="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={props.email ?? ''}
        />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

export function SetupPage(props: { csrfToken: string; error?: string }) {
  return (
    <Layout title="Set up Earshot" csrfToken={props.csrfToken}>
      <h1>Create the first administrator</h1>
      <p>
        This page works once, while Earshot has no accounts. The setup token was printed in the server log
        when Earshot started.
      </p>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action="/setup" class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <label for="token">Setup token</label>
        <input id="token" name="token" required autocomplete="off" />
        <label for="name">Your name</label>
        <input id="name" name="displayName" required autocomplete="name" />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" required autocomplete="username" />
        <label for="password">Password (at least 10 characters)</label>
        <input
          id="password"
          name="password"
          type="password"
          required
          minLength={10}
          autocomplete="new-password"
        />
        <button type="submit">Create administrator</button>
      </form>
    </Layout>
  );
}

export function HomePage(props: { user?: PublicUser; csrfToken: string; needsSetup: boolean }) {
  return (
    <Layout title="Home" user={props.user} csrfToken={props.csrfToken}>
      <h1>Earshot</h1>
      <p>
        Every customer who speaks up in public gets an answer — and every public complaint ends with a public
        notice that it was resolved.
      </p>
      {props.needsSetup && (
        <p class="notice">
          No accounts yet: <a href="/setup">create the first administrator</a> or run{' '}
          <code>npx earshot user add --role admin --email you@example.com --name "Your Name"</code>.
        </p>
      )}
      <ul>
        {props.user ? (
          <li>
            <a href="/app">Open the agent inbox</a>
          </li>
        ) : (
          <li>
            <a href="/login">Sign in</a>
          </li>
        )}
        <li>
          <a href="/community">Community forum</a>
        </li>
        <li>
          <a href="/api/docs">API documentation</a>
        </li>
      </ul>
    </Layout>
  );
}
