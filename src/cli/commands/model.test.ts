import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, sharedDataDir } from '../../pipeline/classify/data.ts';

function earshotModel(args: string[]): string {
  const script = `import('./src/cli/commands/model.ts').then(async (m) => process.exit(await m.run(${JSON.stringify(args)})))`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
}

describe('earshot model eval', () => {
  it('prints accuracy, macro-F1 and macro-recall for complaint data', () => {
    const out = earshotModel([
      'eval',
      '--data',
      join(sharedDataDir(), 'complaints/train_dev.csv'),
      '--task',
      'complaint',
    ]);
    for (const metric of ['accuracy', 'macro-F1', 'macro-recall'])
      expect(out).toMatch(new RegExp(`^${metric}: 0\\.\\d{4}$`, 'm'));
  }, 90_000);

  it('reads TweetEval-style numeric sentiment labels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-eval-'));
    const file = join(dir, 'sentiment.csv');
    writeFileSync(
      file,
      'label,text\n0,this is the worst day ever\n2,I love this so much!\n1,the meeting is at 3pm\n',
    );
    const out = earshotModel(['eval', '--data', file, '--task', 'sentiment']);
    expect(out).toMatch(/^accuracy: /m);
    expect(out).toMatch(/n=3 /);
  });
});

describe('earshot model train', () => {
  it('merges agents corrections from --extra-labels', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-train-'));
    const extra = join(dir, 'corrections.csv');
    writeFileSync(
      extra,
      'text,task,label\n"router keeps dropping",complaint,complaint\n"nice weather",sentiment,positive\n',
    );
    const out = earshotModel(['train', '--task', 'complaint', '--extra-labels', extra, '--out', dir]);
    expect(out).toMatch(/extra-labels 1/);
  }, 90_000);
});
