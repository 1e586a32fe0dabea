import { describe, expect, it } from 'vitest';
import { gauge, renderExposition } from './exposition.ts';

describe('Prometheus text exposition', () => {
  it('writes HELP and TYPE once per family, then one line per sample', () => {
    const text = renderExposition([
      gauge('earshot_queued', 'Posts queued.', [
        { labels: { lane: '0' }, value: 3 },
        { labels: { lane: '1' }, value: 0 },
      ]),
      gauge('earshot_lag_seconds', 'Lag.', [{ value: 1.5 }]),
    ]);
    expect(text).toBe(
      [
        '# HELP earshot_queued Posts queued.',
        '# TYPE earshot_queued gauge',
        'earshot_queued{lane="0"} 3',
        'earshot_queued{lane="1"} 0',
        '# HELP earshot_lag_seconds Lag.',
        '# TYPE earshot_lag_seconds gauge',
        'earshot_lag_seconds 1.5',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and help text as the format requires, and leaves out empty families', () => {
    const text = renderExposition([
      gauge('earshot_channel_failing', 'Back\\slash\nand a new line.', [
        { labels: { name: 'X "main"\nsecond line \\ end' }, value: 1 },
      ]),
      gauge('earshot_nothing', 'No samples.', []),
    ]);
    expect(text).toContain('# HELP earshot_channel_failing Back\\\\slash\\nand a new line.');
    expect(text).toContain('earshot_channel_failing{name="X \\"main\\"\\nsecond line \\\\ end"} 1');
    expect(text).not.toContain('earshot_nothing');
    expect(text.split('\n')).toHaveLength(4);
  });

  it('writes special values as Prometheus spells them', () => {
    const text = renderExposition([
      gauge('earshot_x', 'x', [
        { labels: { v: 'nan' }, value: Number.NaN },
        { labels: { v: 'inf' }, value: Number.POSITIVE_INFINITY },
        { labels: { v: 'ninf' }, value: Number.NEGATIVE_INFINITY },
      ]),
    ]);
    expect(text).toContain('earshot_x{v="nan"} NaN\nearshot_x{v="inf"} +Inf\nearshot_x{v="ninf"} -Inf');
  });

  it('refuses metric and label names the format does not allow', () => {
    expect(() => renderExposition([gauge('earshot-bad', 'x', [{ value: 1 }])])).toThrow(/metric name/);
    expect(() =>
      renderExposition([gauge('earshot_ok', 'x', [{ labels: { '1st': 'a' }, value: 1 }])]),
    ).toThrow(/label name/);
  });
});
