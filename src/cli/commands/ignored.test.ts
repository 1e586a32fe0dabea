/**
 * `earshot ignored`: arguments, then list and restore against a real database with spam through the
 * real intake and drain (a terminal escape in a post printed as text); a second restore and an unknown
 * post exit 1.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../../test/helpers/pipeline.ts';
import { drainAll } from '../../pipeline/drain.ts';
import { enqueueInbound } from '../../pipeline/intake.ts';
import { type IgnoredCommand, parseIgnoredCommand, runIgnoredCommand } from './ignored.ts';

const SPAM = 'Click here to win a free iPhone!!! Follow and DM for crypto giveaway http://spam.example';

describe('earshot ignored arguments', () => {
  it('reads the commands and refuses the rest with one line', () => {
    const id = randomUUID();
    expect(parseIgnoredCommand([])).toEqual({ kind: 'list', limit: 50 });
    expect(parseIgnoredCommand(['list', '--reason', 'spam', '--before', 'c', '--limit', '5'])).toEqual({
      kind: 'list',
      reason: 'spam',
      before: 'c',
      limit: 5,
    });
    expect(parseIgnoredCommand(['restore', id])).toEqual({ kind: 'restore', postIds: [id] });
    expect(parseIgnoredCommand(['restore', id, '--queue', 'marketing', '--intent', 'praise'])).toEqual({
      kind: 'restore',
      postIds: [id],
      queue: 'marketing',
      intent: 'praise',
    });
    expect(parseIgnoredCommand(['restore'])).toBe('earshot ignored restore needs 1 to 100 post ids');
    expect(parseIgnoredCommand(['restore', 'x\u001b[2J'])).toBe('not a post id: x\uFFFD[2J');
    expect(parseIgnoredCommand(['restore', id, '--queue'])).toBe('--queue needs a value');
    expect(parseIgnoredCommand(['list', '--limit', '500'])).toBe('--limit: a whole number from 1 to 200');
    expect(parseIgnoredCommand(['nonsense'])).toMatch(/^usage:/);
  });
});

describe('earshot ignored against the database', () => {
  let t: PipelineTestBed;
  beforeAll(async () => {
    t = await pipelineTestBed();
  });
  afterAll(() => t.database.drop());

  const exec = async (cmd: IgnoredCommand) => {
    const lines: string[] = [];
    const code = await runIgnoredCommand(t.database, cmd, (l) => lines.push(l));
    return { code, lines };
  };

  it('lists ignored spam and restores it to marketing as a lead; again and unknown exit 1', async () => {
    expect((await exec({ kind: 'list', limit: 50 })).lines).toEqual([
      'last 7 days: nothing ignored',
      'no ignored posts',
    ]);
    await enqueueInbound(t.database.pool, [
      t.post('cli-spammer', { text: `\u001b[31mred\u001b[0m ${SPAM}` }),
    ]);
    await drainAll(t.deps);
    const postId = (await t.q<{ post_id: string }>('select post_id from ignored_posts'))[0]!.post_id;

    const list = await exec({ kind: 'list', limit: 50 });
    expect(list.code).toBe(0);
    expect(list.lines[0]).toBe('last 7 days: spam 1');
    expect(list.lines[1]).toMatch(
      new RegExp(
        `^${postId}\\t\\d{4}-[^\\t]+\\tspam \\(default policy\\)\\tx @cli-spammer\\tspam\\t"\uFFFD\\[31mred`,
      ),
    );
    expect(list.lines[1]).not.toContain('\u001b');
    expect(list.lines[1]).toContain('\uFFFD[31mred');

    const restored = await exec({ kind: 'restore', postIds: [postId], queue: 'marketing', intent: 'lead' });
    expect(restored.code).toBe(0);
    const [c] = await t.q<{ id: string; queue: string; intent: string }>(
      'select c.id, c.queue, c.intent from conversations c join posts p on p.conversation_id = c.id where p.id = $1',
      [postId],
    );
    expect(c).toMatchObject({ queue: 'marketing', intent: 'lead' });
    expect(restored.lines).toEqual([
      `post ${postId} restored: conversation ${c!.id} opened in marketing (intent lead)`,
    ]);
    const [audit] = await t.q('select actor_id, detail from audit_log where subject_id = $1', [postId]);
    expect(audit).toMatchObject({ actor_id: null, detail: { via: 'cli', queue: 'marketing' } });
    const [label] = await t.q(
      'select previous, label, corrected_by from label_corrections where post_id = $1',
      [postId],
    );
    expect(label).toEqual({ previous: 'spam', label: 'lead', corrected_by: null });

    expect((await exec({ kind: 'restore', postIds: [postId] })).code).toBe(1);
    expect((await exec({ kind: 'restore', postIds: [randomUUID()] })).code).toBe(1);
    expect((await exec({ kind: 'list', limit: 50 })).lines[1]).toBe('no ignored posts');
  });
});
