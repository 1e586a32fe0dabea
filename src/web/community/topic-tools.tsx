/** Moderator controls on the topic page (plain forms: they work without JavaScript). */
import type { CategoryRow, PostRow, TopicRow } from '../../db/repositories/community.ts';

const Csrf = (props: { csrf: string }) => <input type="hidden" name="_csrf" value={props.csrf} />;

export function PostModeration(props: { post: PostRow; csrf: string }) {
  const { post, csrf } = props;
  return (
    <div class="post-actions mod">
      {post.status === 'pending' && (
        <form method="post" action={`/community/posts/${post.id}/approve`} class="inline">
          <Csrf csrf={csrf} />
          <button type="submit">Approve</button>
        </form>
      )}
      <form method="post" action={`/community/posts/${post.id}/hide`} class="inline">
        <Csrf csrf={csrf} />
        <input type="hidden" name="hidden" value={post.status === 'hidden' ? 'false' : 'true'} />
        {post.status !== 'hidden' && (
          <>
            <label for={`hide-reason-${post.id}`} class="visually-hidden">
              Reason for hiding post {post.postNumber}
            </label>
            <input
              id={`hide-reason-${post.id}`}
              name="reason"
              placeholder="Reason (private)"
              maxLength={300}
            />
          </>
        )}
        <button type="submit">{post.status === 'hidden' ? 'Unhide' : 'Hide'}</button>
      </form>
    </div>
  );
}

export function ModeratorTools(props: { topic: TopicRow; csrf: string; categories: CategoryRow[] }) {
  const { topic, csrf } = props;
  const action = `/community/t/${topic.id}/moderate`;
  return (
    <section aria-labelledby="mod-tools" class="mod-tools">
      <h2 id="mod-tools">Moderation</h2>
      <form method="post" action={action} class="inline">
        <Csrf csrf={csrf} />
        <input type="hidden" name="locked" value={topic.locked ? 'false' : 'true'} />
        <button type="submit">{topic.locked ? 'Unlock' : 'Lock'}</button>
      </form>
      <form method="post" action={action} class="inline">
        <Csrf csrf={csrf} />
        <input type="hidden" name="pinned" value={topic.pinned ? 'false' : 'true'} />
        <button type="submit">{topic.pinned ? 'Unpin' : 'Pin'}</button>
      </form>
      <form method="post" action={action} class="inline">
        <Csrf csrf={csrf} />
        <label for="slow">Slow mode (seconds, 0 = off)</label>
        <input
          id="slow"
          name="slowModeSeconds"
          type="number"
          min={0}
          max={86400}
          value={String(topic.slowModeSeconds)}
        />
        <button type="submit">Set</button>
      </form>
      <form method="post" action={action} class="inline">
        <Csrf csrf={csrf} />
        <label for="move">Move to</label>
        <select id="move" name="categoryId">
          {props.categories.map((c) => (
            <option key={c.id} value={String(c.id)} selected={c.id === topic.categoryId}>
              {c.name}
            </option>
          ))}
        </select>
        <button type="submit">Move</button>
      </form>
      <form method="post" action={`/community/t/${topic.id}/merge`} class="inline">
        <Csrf csrf={csrf} />
        <label for="merge">Merge into topic id</label>
        <input id="merge" name="targetId" type="number" min={1} required />
        <button type="submit">Merge</button>
      </form>
      <form method="post" action={`/community/t/${topic.id}/split`} class="stack">
        <Csrf csrf={csrf} />
        <label for="split-ids">Split replies (post ids, comma separated)</label>
        <input id="split-ids" name="postIds" required />
        <label for="split-title">New topic title</label>
        <input id="split-title" name="title" required minLength={8} maxLength={150} />
        <button type="submit">Split into a new topic</button>
      </form>
    </section>
  );
}
