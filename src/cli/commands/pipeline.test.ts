/**
 * `earshot pipeline`: arguments, and each command against a real database with posts through the real
 * intake and drain (status, list, retry, retry-all, discard, an unknown id).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../../test/helpers/pipeline.ts';
import type { InboundPost } from '../../domain/inbound-post.ts';
import { waitText } from '../../lib/duration.ts';
import { drainAll } from '../../pipeline/drain.ts';
import { enqueueInbound } from '../../pipeline/intake.ts';
import { type PipelineCommand, parsePipelineCommand, runPipelineCommand } from './pipeline.ts';

describe('earshot pipeline arguments', () => {
  it('reads the commands and refuses the rest with one line', () => {
    expect(parsePipelineCommand(['status'])).toEqual({ kind: 'status' });
    expect(parsePipelineCommand(['dead-letters'])).toEqual({ kind: 'list', limit: 50 });
    expect(parsePipelineCommand(['dead-letters', 'list', '--before', '12', '--limit', '5'])).toEqual({
      kind: 'list',
      before: 12,
      limit: 5,
    });
    expect(parsePipelineCommand(['dead-letters', 'retry', '7'])).toEqual({ kind: 'retry', id: 7 });
    expect(parsePipelineCommand(['dead-letters', 'discard', '7'])).toEqual({ kind: 'discard', id: 7 });
    expect(parsePipelineCommand(['dead-letter', 'show', '7'])).toEqual({ kind: 'show', id: 7 });
    expect(parsePipelineCommand(['dead-letters', 'show', '7'])).toEqual({ kind: 'show', id: 7 });
    expect(parsePipelineCommand(['dead-letter', 'show', 'abc'])).toBe(
      'earshot pipeline dead-letter show needs a dead letter id',
    );
    expect(parsePipelineCommand(['dead-letters', 'retry-all', '--error', 'not an object'])).toEqual({
      kind: 'retry-all',
      error: 'not an object',
    });
    expect(parsePipelineCommand(['dead-letters', 'retry-all'])).toEqual({ kind: 'retry-all' });
    expect(parsePipelineCommand(['dead-letters', 'retry', 'x'])).toBe(
      'earshot pipeline dead-letters retry needs a dead letter id',
    );
    expect(parsePipelineCommand(['dead-letters', 'list', '--limit', '500'])).toBe(
      '--limit: a whole number from 1 to 200',
    );
    expect(parsePipelineCommand(['dead-letters', 'retry-all', '--error'])).toBe(
      '--error needs the error text',
    );
    expect(parsePipelineCommand(['nonsense'])).toMatch(/^usage:/);
  });

  it('says how long in words', () => {
    expect([0, 45, 200, 7500, 273_600].map(waitText)).toEqual([
      'none',
      '45 s',
      '3 min 20 s',
      '2 h 5 min',
      '3 d 4 h',
    ]);
  });
});

describe('earshot pipeline against the database', () => {
  let t: PipelineTestBed;
  beforeAll(async () => {
    t = await pipelineTestBed();
  });
  afterAll(() => t.database.drop());

  const exec = async (cmd: PipelineCommand) => {
    const lines: string[] = [];
    const code = await runPipelineCommand(t.database.db, cmd, (l) => lines.push(l));
    return { code, lines };
  };

  it('status, list, retry, retry-all and discard; an unknown id exits 1', async () => {
    const missing = randomUUID();
    await enqueueInbound(t.database.pool, [
      t.post('cli-author', { channelId: missing, text: 'line one\nline two' }),
      'junk' as unknown as InboundPost,
    ]);
    const queued = await exec({ kind: 'status' });
    expect(queued.code).toBe(0);
    expect(queued.lines[0]).toMatch(/^queued\s+2 \(lanes 0: \d, 1: \d, 2: \d, 3: \d\)$/);
    await drainAll(t.deps);
    const status = await exec({ kind: 'status' });
    expect(status.lines).toEqual([
      expect.stringMatching(/^queued\s+0 /),
      'oldest waiting   none',
      'stored           0 in the last 5 minutes, 0 in the last hour',
      'dead letters     2',
    ]);

    const [junkId, postId] = (
      await t.q<{ id: number }>('select id from inbound_dead_letters order by id desc')
    ).map((r) => Number(r.id));
    const list = await exec({ kind: 'list', limit: 1 });
    expect(list.lines).toEqual([
      expect.stringMatching(
        new RegExp(`^${junkId}\\t\\S+\\tnot an object\\t\\(a JSON string, not a post\\)$`),
      ),
      `older: earshot pipeline dead-letters list --before ${junkId}`,
    ]);
    const older = await exec({ kind: 'list', before: junkId, limit: 1 });
    expect(older.lines[0]).toContain(`unknown channel ${missing}\tx @cli-author `);
    expect(older.lines[0]).toContain('"line one line two"');

    expect(await exec({ kind: 'discard', id: junkId! })).toEqual({
      code: 0,
      lines: [`dead letter ${junkId} discarded`],
    });
    expect(await exec({ kind: 'retry', id: postId! })).toEqual({
      code: 0,
      lines: [`dead letter ${postId} queued again`],
    });
    await drainAll(t.deps);
    expect(await exec({ kind: 'retry-all', error: `unknown channel ${missing}` })).toEqual({
      code: 0,
      lines: ['1 dead letter queued again'],
    });
    expect((await exec({ kind: 'retry', id: junkId! })).code).toBe(1);
    const actions = await t.q<{ action: string; actor_id: string | null }>(
      `select action, actor_id from audit_log where subject_type = 'inbound_dead_letter' order by at`,
    );
    expect(actions).toEqual([
      { action: 'pipeline.dead_letter.discard', actor_id: null },
      { action: 'pipeline.dead_letter.retry', actor_id: null },
      { action: 'pipeline.dead_letter.retry_all', actor_id: null },
    ]);
  });

  it('prints a hostile post without its terminal control characters', async () => {
    await t.q('delete from inbound_dead_letters');
    await enqueueInbound(t.database.pool, [
      t.post('evil', {
        channelId: randomUUID(),
        author: { externalId: 'evil', handle: 'evil\u001b[2J\u001b]0;owned\u0007' },
        externalId: 'id\u001b[31m',
      }),
    ]);
    await drainAll(t.deps);
    const list = await exec({ kind: 'list', limit: 5 });
    expect(list.lines[0]).toContain('@evil\uFFFD[2J\uFFFD]0;owned\uFFFD');
    expect(list.lines[0]).toContain('id\uFFFD[31m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them
    expect(list.lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('dead-letter show: every field, then the stored post as JSON, control characters escaped', async () => {
    await t.q('delete from inbound_dead_letters');
    const channelId = randomUUID();
    const text = 'csi \u009b31m del \u007f esc \u001b[2J line\nbreak';
    await enqueueInbound(t.database.pool, [
      t.post('evil', { channelId, externalId: 'e\u001b]0;x\u0007', text }),
    ]);
    await drainAll(t.deps);
    const [row] = await t.q<{ id: number }>('select id from inbound_dead_letters');
    const id = Number(row!.id);
    const shown = await exec({ kind: 'show', id });
    expect(shown.code).toBe(0);
    const [head, json] = [shown.lines.slice(0, 9), shown.lines.slice(9).join('\n')];
    expect(head).toEqual([
      `id               ${id}`,
      expect.stringMatching(/^arrived\s+\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      expect.stringMatching(/^failed\s+\d{4}-/),
      `error            unknown channel ${channelId}`,
      expect.stringMatching(/^post {13}a JSON object, \d+ bytes as JSON$/),
      'channel kind     x',
      `channel id       ${channelId}`,
      'author handle    evil',
      'external id      e\uFFFD]0;x\uFFFD',
    ]);
    // The same JSON (escapes only), nothing a terminal would act on.
    expect(JSON.parse(json)).toMatchObject({ channelId, text, externalId: 'e\u001b]0;x\u0007' });
    expect(json).toContain('\\u009b31m del \\u007f esc \\u001b[2J line\\nbreak');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them
    expect(shown.lines.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);

    const gone = await exec({ kind: 'show', id: id + 1000 });
    expect(gone).toEqual({ code: 1, lines: [] });
  });
});
