/**
 * /app/settings/agents: the accounts that take conversations (agent, trainee, supervisor, marketing),
 * whether they are available, their load against their capacity, team, languages and channel kinds.
 * Admins change the settings with plain HTML forms; supervisors read (who is available, who has room).
 */
import type { PublicUser } from '../../db/repositories/users.ts';
import { AGENT_LABELS, AgentForm, agentFieldId } from './agent-settings-form.tsx';
import { AppLayout, label } from './layout.tsx';
import { ErrorSummary, type FormValues, Notice, type RefusedForm } from './settings-forms.tsx';

export interface AgentRow {
  user: PublicUser;
  /** Open conversations assigned. */
  load: number;
  /** The values the agent's form starts with. */
  values: FormValues;
}

export interface AgentSettingsPageProps {
  user: PublicUser;
  csrfToken: string;
  /** By name. */
  agents: AgentRow[];
  /** Admins edit; supervisors only see the list. */
  canEdit: boolean;
  notice?: string;
  failed?: RefusedForm;
}

const listOrAny = (list: readonly string[] | undefined) => (list?.length ? list.join(', ') : 'any');

function loadText(load: number, capacity: number): string {
  if (capacity === 0) return `${load} / 0 (takes none)`;
  return `${load} / ${capacity}${load >= capacity ? ' (full)' : ''}`;
}

export function AgentSettingsPage(p: AgentSettingsPageProps) {
  const failed = p.failed;
  const failedSlot = failed ? p.agents.findIndex((a) => a.user.id === failed.id) : -1;
  const available = p.agents.filter((a) => a.user.online).length;
  return (
    <AppLayout title="Agents" user={p.user} csrfToken={p.csrfToken} current="agents">
      <h1>Agents</h1>
      <Notice text={p.notice} />
      {failed && (
        <ErrorSummary
          message={failed.message}
          errors={failed.errors}
          labels={AGENT_LABELS}
          idOf={(f) => agentFieldId(failedSlot >= 0 ? failedSlot : 'none', f)}
        />
      )}
      {!p.canEdit && <p>You can see these settings; only admins change them.</p>}
      <p>
        New conversations are assigned automatically to available agents with room: in the queues of their
        role (support; supervisors also moderation; marketing) or their own team, matching the conversation's
        language and channel kind. Empty languages or channel kinds: any.
      </p>
      <section aria-labelledby="agents">
        <h2 id="agents">
          Accounts that take conversations ({available} of {p.agents.length} available)
        </h2>
        {p.agents.length === 0 ? (
          <p>None yet: create accounts with the role agent, trainee, supervisor or marketing.</p>
        ) : (
          <table class="list agents" aria-labelledby="agents">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Load / capacity</th>
                <th scope="col">Team</th>
                <th scope="col">Languages</th>
                <th scope="col">Channel kinds</th>
              </tr>
            </thead>
            <tbody>
              {p.agents.map(({ user: u, load }) => (
                <tr key={u.id}>
                  <th scope="row">{u.displayName}</th>
                  <td>{label(u.role)}</td>
                  <td>
                    <span class={u.online ? 'state on' : 'state off'}>{u.online ? 'Available' : 'Away'}</span>
                  </td>
                  <td>{loadText(load, u.capacity)}</td>
                  <td>{u.team ?? '—'}</td>
                  <td>{listOrAny(u.skills.languages)}</td>
                  <td>{listOrAny(u.skills.channels)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {p.canEdit && p.agents.length > 0 && (
        <section aria-labelledby="agent-edit">
          <h2 id="agent-edit">Change an agent's settings</h2>
          <p class="hint">
            Saved at once and audited. More room, another team or other skills for an available agent assigns
            waiting conversations straight away.
          </p>
          <ol class="settings-list">
            {p.agents.map(({ user: u, values }, i) => {
              const editing = failedSlot === i && failed;
              return (
                <li key={u.id}>
                  <details open={Boolean(editing)}>
                    <summary>
                      {u.displayName} ({label(u.role)})<span class="sr">: edit settings</span>
                    </summary>
                    <AgentForm
                      slot={i}
                      agentId={u.id}
                      values={editing ? failed.values : values}
                      errors={editing ? failed.errors : {}}
                      csrfToken={p.csrfToken}
                    />
                  </details>
                </li>
              );
            })}
          </ol>
        </section>
      )}
    </AppLayout>
  );
}
