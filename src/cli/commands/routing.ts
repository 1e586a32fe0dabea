/**
 * `earshot routing try --text "…" [--channel KIND] [--followers N] [--private]`: what the pipeline would
 * decide for a sample post under the saved rules — the same service and sentences as the routing page's
 * Try routing form (nothing is stored). Usage errors exit 2.
 */
import type { Db } from '../../db/client.ts';
import { CHANNEL_KINDS, type ChannelKind } from '../../domain/types.ts';
import { routingTryService, SAMPLE_TEXT_MAX, type SamplePost } from '../../services/routing-try.ts';
import { triedRoutingSentences } from '../../services/routing-try-text.ts';
import { parseArgs } from '../flags.ts';
import { domainErrorExits1, runOneShot } from '../one-shot.ts';
import { printable } from '../printable.ts';

const USAGE = 'usage: earshot routing try --text "…" [--channel KIND] [--followers N] [--private]';

/** The command line → a sample post, or the one-line reason it is not one. */
export function parseRoutingCommand(args: string[]): SamplePost | string {
  const { positional, values } = parseArgs(args);
  if (positional[0] !== 'try' || positional.length > 1) return USAGE;
  const text = values.text;
  if (text === undefined || !text.trim()) return `--text is needed\n${USAGE}`;
  if (text.length > SAMPLE_TEXT_MAX) return `--text: at most ${SAMPLE_TEXT_MAX} characters`;
  const channel = values.channel;
  if (channel !== undefined && !(CHANNEL_KINDS as readonly string[]).includes(channel))
    return `--channel: one of ${CHANNEL_KINDS.join(', ')}`;
  const followers = values.followers;
  if (followers !== undefined && !/^\d{1,10}$/.test(followers))
    return '--followers: a whole number, 0 or more';
  if (values.private !== undefined && values.private !== 'true') return '--private takes no value';
  return {
    text,
    ...(channel ? { channelKind: channel as ChannelKind } : {}),
    ...(followers ? { followers: Number(followers) } : {}),
    public: values.private !== 'true',
  };
}

/** Tries the post; `print` gets each line of the answer. Returns the exit code. */
export function runRoutingTry(db: Db, sample: SamplePost, print: (line: string) => void): Promise<number> {
  return domainErrorExits1(async () => {
    const tried = await routingTryService(db).tryPost(sample);
    for (const line of triedRoutingSentences(tried)) print(printable(line));
    return 0;
  });
}

export function run(args: string[]): Promise<number> {
  return runOneShot(args, parseRoutingCommand, (database, sample, print) =>
    runRoutingTry(database.db, sample, print),
  );
}
