/**
 * `earshot routing try`: arguments, the decision printed from a real database (saved rules, a hostile
 * rule name printed without its control characters), and the real command as a child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../../test/helpers/pipeline.ts';
import { spawnEarshot } from '../../../test/helpers/process.ts';
import { routingRepository } from '../../db/repositories/routing.ts';
import { parseRoutingCommand, runRoutingTry } from './routing.ts';

const COMPLAINT = 'Where is my refund? Still waiting after two weeks';

describe('earshot routing arguments', () => {
  it('reads a sample post and refuses the rest with one line', () => {
    expect(parseRoutingCommand(['try', '--text', COMPLAINT])).toEqual({ text: COMPLAINT, public: true });
    expect(
      parseRoutingCommand(['try', '--text', 'hi', '--channel', 'reddit', '--followers', '40', '--private']),
    ).toEqual({ text: 'hi', channelKind: 'reddit', followers: 40, public: false });
    expect(parseRoutingCommand(['try'])).toMatch(/^--text is needed/);
    expect(parseRoutingCommand(['try', '--text', 'hi', '--channel', 'myspace'])).toMatch(
      /^--channel: one of x, /,
    );
    expect(parseRoutingCommand(['try', '--text', 'hi', '--followers', '-3'])).toBe(
      '--followers: a whole number, 0 or more',
    );
    expect(parseRoutingCommand(['try', '--text', 'x'.repeat(10_001)])).toBe(
      '--text: at most 10000 characters',
    );
    expect(parseRoutingCommand(['route'])).toMatch(/^usage: earshot routing try/);
  });
});

describe('earshot routing try against the database', () => {
  let t: PipelineTestBed;
  beforeAll(async () => {
    t = await pipelineTestBed();
  });
  afterAll(() => t.database.drop());

  const exec = async (args: string[]) => {
    const sample = parseRoutingCommand(args);
    if (typeof sample === 'string') throw new Error(sample);
    const lines: string[] = [];
    const code = await runRoutingTry(t.database.db, sample, (l) => lines.push(l));
    return { code, lines };
  };

  it('prints the decision, the classification, the priority and the SLA policy', async () => {
    const { code, lines } = await exec(['try', '--text', COMPLAINT, '--channel', 'x', '--followers', '900']);
    expect(code).toBe(0);
    expect(lines[0]).toBe('It would go to the support queue, decided by the default policy.');
    expect(lines[1]).toMatch(/^Intent complaint: complaint model score 0\.\d+\.$/);
    expect(lines[2]).toMatch(
      /^Sentiment negative · complaint score 0\.\d\d \(a complaint\) · language en\.$/,
    );
    expect(lines[3]).toMatch(/^Priority \w+ \([\d.]+ of 100\): urgency .*reach \+[\d.]+ \(900 followers\)/);
    expect(lines[4]).toMatch(/^SLA policy “Default.*”: first response due within \d+ (min|h)\.$/);
  });

  it('names the saved rule that decides, with control characters of its name made harmless', async () => {
    await routingRepository(t.database.db).insert({
      name: '\u001b]0;pwned\u0007Refunds\u001b[2J',
      enabled: true,
      conditions: { keywords: { any: ['refund'] } },
      action: { queue: 'support', team: 'billing' },
    });
    const { lines } = await exec(['try', '--text', COMPLAINT, '--private']);
    expect(lines[0]).toBe(
      'It would go to the support queue, team billing, decided by rule 1 “\uFFFD]0;pwned\uFFFDRefunds\uFFFD[2J”.',
    );
  });

  it('runs as the real command', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'earshot-routing-cli-'));
    try {
      const proc = spawnEarshot(['routing', 'try', '--text', 'I love the new app, thank you so much!'], {
        DATABASE_URL: t.database.url,
        EARSHOT_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      });
      expect(await proc.exited).toBe(0);
      expect(proc.output()).toContain('It would go to the marketing queue, decided by the default policy.');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
