/**
 * `earshot model retrain [--task complaint|sentiment|all] [--since YYYY-MM-DD] [--out DIR]`: the models learn from agents' corrections.
 * Exports the database's label corrections (intent, sentiment, complaint; latest per post) to a CSV
 * next to the models, then trains both models on the shared data plus those rows (corrections weigh
 * 2×, see train.ts). Running workers pick up the new models within a minute (src/pipeline/classifier.ts).
 */
import { resolve } from 'node:path';
import { modelsDir } from '../../pipeline/classify/model-io.ts';
import { exportCorrectionsCsv } from '../../pipeline/corrections-export.ts';
import { withCliDatabase } from '../database.ts';
import { parseArgs } from '../flags.ts';
import { trainModels } from './model.ts';

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs(args);
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) {
    console.error(`--since: not a date: ${values.since}`);
    return 2;
  }
  const task = values.task ?? 'all';
  if (!['complaint', 'sentiment', 'all'].includes(task)) {
    console.error(`unknown task ${task}: complaint, sentiment or all`);
    return 2;
  }
  const tasks =
    task === 'all' ? (['complaint', 'sentiment'] as const) : ([task] as ['complaint' | 'sentiment']);
  const out = resolve(values.out ?? modelsDir());
  const file = resolve(out, 'corrections.csv');
  const n = await withCliDatabase((database) => exportCorrectionsCsv(database.db, file, since));
  console.log(`${n} corrections from the database → ${file}`);
  trainModels([...tasks], { out, extraLabels: file });
  console.log(
    out === resolve(modelsDir())
      ? 'Running Earshot workers classify with the retrained models within a minute.'
      : `Models written to ${out}; point EARSHOT_MODELS_DIR there (and restart) to use them.`,
  );
  return 0;
}
