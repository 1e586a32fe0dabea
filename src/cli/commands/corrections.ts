/**
 * `earshot corrections export --out FILE [--since YYYY-MM-DD]`: agents' intent/sentiment/complaint
 * corrections as training data for `earshot model train --extra-labels FILE`.
 */
import { exportCorrectionsCsv } from '../../pipeline/corrections-export.ts';
import { withCliDatabase } from '../database.ts';
import { parseArgs } from '../flags.ts';

export async function run(args: string[]): Promise<number> {
  const { positional, values } = parseArgs(args);
  if (positional[0] !== 'export' || !values.out) {
    console.error('usage: earshot corrections export --out corrections.csv [--since 2026-01-01]');
    return 2;
  }
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since: not a date: ${values.since}`);
    return 2;
  }
  const out = values.out;
  return withCliDatabase(async (database) => {
    const n = await exportCorrectionsCsv(database.db, out, since);
    console.log(
      `wrote ${n} corrections to ${out}; retrain with: earshot model train --task all --extra-labels ${out}`,
    );
    return 0;
  });
}
