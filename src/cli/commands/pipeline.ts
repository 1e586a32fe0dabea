/**
 * `earshot pipeline status`: whether the triage pipeline keeps up (queued, lag, stored lately, dead letters).
 * `earshot pipeline dead-letters [list [--before ID] [--limit N]] | show ID | retry ID | retry-all [--error TEXT] | discard ID`:
 * posts it could not store, newest first; one in full with its stored post (`show`, also as
 * `dead-letter show ID`); queue them again or delete them (audited, actor "cli").
 * Usage errors exit 2, an unknown dead letter exits 1 with one line.
 */
import type { Db } from '../../db/client.ts';
import type { DeadLetter, DeadLetterRecord, PipelineStatus } from '../../db/repositories/pipeline.ts';
import { waitText } from '../../lib/duration.ts';
import { DEAD_LETTER_PAGE, payloadJson, pipelineOpsService } from '../../services/pipeline-ops.ts';
import { parseArgs } from '../flags.ts';
import { domainErrorExits1, runOneShot } from '../one-shot.ts';
import { oneLine, printable } from '../printable.ts';

const USAGE = `usage:
  earshot pipeline status
  earshot pipeline dead-letters [list] [--before ID] [--limit N]
  earshot pipeline dead-letter show ID
  earshot pipeline dead-letters retry ID
  earshot pipeline dead-letters retry-all [--error TEXT]
  earshot pipeline dead-letters discard ID`;

export type PipelineCommand =
  | { kind: 'status' }
  | { kind: 'list'; before?: number; limit: number }
  | { kind: 'show' | 'retry' | 'discard'; id: number }
  | { kind: 'retry-all'; error?: string };

const positiveInt = (s: string | undefined) => (s && /^[1-9]\d{0,15}$/.test(s) ? Number(s) : undefined);

/** The command line → a command, or the one-line reason it is not one. */
export function parsePipelineCommand(args: string[]): PipelineCommand | string {
  const { positional, values } = parseArgs(args);
  const [area, action = 'list', arg] = positional;
  if (area === 'status' && positional.length === 1) return { kind: 'status' };
  if (area !== 'dead-letters' && area !== 'dead-letter') return USAGE;
  if (action === 'list') {
    const before = values.before === undefined ? undefined : positiveInt(values.before);
    const limit = values.limit === undefined ? DEAD_LETTER_PAGE.default : positiveInt(values.limit);
    if (before === undefined && values.before !== undefined)
      return `--before: not a dead letter id: ${values.before}`;
    if (limit === undefined || limit > DEAD_LETTER_PAGE.max)
      return `--limit: a whole number from 1 to ${DEAD_LETTER_PAGE.max}`;
    return { kind: 'list', before, limit };
  }
  if (action === 'show' || action === 'retry' || action === 'discard') {
    const id = positiveInt(arg);
    return id === undefined
      ? `earshot pipeline ${area} ${action} needs a dead letter id`
      : { kind: action, id };
  }
  if (action === 'retry-all') {
    if (values.error === 'true' || values.error === '') return '--error needs the error text';
    return { kind: 'retry-all', error: values.error };
  }
  return USAGE;
}

function statusLines(s: PipelineStatus): string[] {
  const lanes = s.lanes.map((l) => `${l.lane}: ${l.queued}`).join(', ');
  return [
    `queued           ${s.queued}${s.queuedCapped ? '+' : ''} (lanes ${lanes})`,
    `oldest waiting   ${waitText(s.lagSeconds)}${s.oldestQueuedAt ? ` (since ${s.oldestQueuedAt})` : ''}`,
    `stored           ${s.storedLast5Minutes} in the last 5 minutes, ${s.storedLastHour}${s.storedCapped ? '+' : ''} in the last hour`,
    `dead letters     ${s.deadLetters}${s.deadLettersCapped ? '+' : ''}`,
  ];
}

function deadLetterLine(d: DeadLetter): string {
  const p = d.post;
  const post =
    p.type === 'object'
      ? [
          p.channelKind && printable(p.channelKind),
          p.authorHandle && `@${printable(p.authorHandle)}`,
          p.externalId && printable(p.externalId),
          p.text && JSON.stringify(oneLine(p.text).slice(0, 80)),
        ]
          .filter(Boolean)
          .join(' ')
      : `(a JSON ${p.type}, not a post)`;
  return `${d.id}\t${d.failedAt}\t${printable(d.error)}\t${post}`;
}

/**
 * The stored post for a terminal: the JSON as the page shows it, with DEL and the C1 controls (which
 * JSON.stringify leaves as they are, unlike C0) written as \u escapes — still the same JSON.
 */
const terminalJson = (json: string) =>
  json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function recordLines(d: DeadLetterRecord): string[] {
  const p = d.post;
  const json = payloadJson(d.payload);
  const field = (name: string, value: string | null) =>
    `${name.padEnd(16)} ${value === null ? '-' : printable(value)}`;
  return [
    field('id', String(d.id)),
    field('arrived', d.receivedAt),
    field('failed', d.failedAt),
    field('error', d.error),
    field('post', `a JSON ${p.type}, ${Buffer.byteLength(json)} bytes as JSON`),
    field('channel kind', p.channelKind),
    field('channel id', p.channelId),
    field('author handle', p.authorHandle),
    field('external id', p.externalId),
    ...terminalJson(json).split('\n'),
  ];
}

/** Runs a parsed command; `print` gets each line of the answer. Returns the exit code. */
export async function runPipelineCommand(
  db: Db,
  cmd: PipelineCommand,
  print: (line: string) => void,
): Promise<number> {
  const ops = pipelineOpsService(db);
  const cli = { id: null, via: 'cli' } as const;
  return domainErrorExits1(async () => {
    switch (cmd.kind) {
      case 'status':
        for (const line of statusLines(await ops.status())) print(line);
        return 0;
      case 'list': {
        const page = await ops.deadLetters(cmd);
        if (page.deadLetters.length === 0) print(cmd.before ? 'no older dead letters' : 'no dead letters');
        for (const d of page.deadLetters) print(deadLetterLine(d));
        if (page.nextBefore) print(`older: earshot pipeline dead-letters list --before ${page.nextBefore}`);
        return 0;
      }
      case 'show':
        for (const line of recordLines(await ops.deadLetter(cmd.id))) print(line);
        return 0;
      case 'retry':
        await ops.retry(cli, cmd.id);
        print(`dead letter ${cmd.id} queued again`);
        return 0;
      case 'discard':
        await ops.discard(cli, cmd.id);
        print(`dead letter ${cmd.id} discarded`);
        return 0;
      case 'retry-all': {
        const n = await ops.retryAll(cli, { error: cmd.error });
        print(`${n} dead letter${n === 1 ? '' : 's'} queued again`);
        return 0;
      }
    }
  });
}

export const run = (args: string[]): Promise<number> =>
  runOneShot(args, parsePipelineCommand, (database, cmd, print) =>
    runPipelineCommand(database.db, cmd, print),
  );
