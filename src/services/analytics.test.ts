/**
 * Every metric on the hand-checked fixture (src/services/analytics-fixture.ts). Expected values were
 * worked out by hand; the arithmetic is in the comments.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { drilldown } from '../db/repositories/analytics.ts';
import { counters } from '../db/repositories/analytics-summary.ts';
import { conversations } from '../db/schema/index.ts';
import { runAnalyticsRollup } from '../jobs/analytics-rollup.ts';
import { type AnalyticsReport, buildReport } from './analytics.ts';
import { IDS, insertAnalyticsFixture, NOW, WEEK } from './analytics-fixture.ts';
import { metricTable } from './analytics-metrics.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let report: AnalyticsReport;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertAnalyticsFixture(database.db);
  const run = await runAnalyticsRollup(database.db, { now: NOW });
  expect(run).toMatchObject({ conversations: 8 });
  report = await buildReport(database.db, { ...WEEK }, { now: NOW, period: 'week' });
});
afterAll(async () => database?.drop());

describe('analytics metrics on the hand-checked fixture', () => {
  it('first response time: median and p90, wall clock and business hours', () => {
    // wall: C8 1200, C1 1800, C3 2700, C5 5400, C2 63000 → median 2700; p90 at rank 3.6 = 5400 + 0.6 × 57600
    expect(report.summary.responded).toBe(5);
    expect(report.summary.frtWallMedianS).toBe(2700);
    expect(report.summary.frtWallP90S).toBeCloseTo(39960, 6);
    // business (Mon–Fri 9–17): C8 1200, C1 1800, C5 1800 (09:00–09:30), C3 2700, C2 5400 (16–17 + 9–9:30)
    expect(report.summary.frtBusinessMedianS).toBe(1800);
    expect(report.summary.frtBusinessP90S).toBeCloseTo(4320, 6);
  });

  it('response rate, digital silence, resolution time', () => {
    // needing: C1 2, C2 1, C3 2, C4 2, C5 2, C6 0 (spam), C8 2 = 11; answered: 2+1+1+0+2+1 = 7
    expect(report.summary.inboundNeeding).toBe(11);
    expect(report.summary.inboundAnswered).toBe(7);
    expect(report.rates.responseRate).toBe(0.6364);
    expect(report.rates.conversationResponseRate).toBe(0.8333); // 5 of 6 needing a response
    // public complaints C1, C2, C4, C8; silent after 4 h: C2 (late), C4 and C8 (no public reply)
    expect(report.summary.publicComplaints).toBe(4);
    expect(report.summary.digitalSilence).toBe(3);
    expect(report.summary.stillSilent).toBe(2);
    expect(report.rates.digitalSilenceRate).toBe(0.75);
    // resolved: C6 300, C8 3600, C1 7200, C5 23400, C2 64800
    expect(report.summary.resolved).toBe(5);
    expect(report.summary.resolutionWallMedianS).toBe(7200);
    expect(report.summary.resolutionWallP90S).toBeCloseTo(48240, 6);
    // business: 300, 3600, 7200 (C1), 7200 (C2: 1 h Mon + 1 h Tue), 19800 (C5 09:00–14:30)
    expect(report.summary.resolutionBusinessMedianS).toBe(7200);
    expect(report.summary.resolutionBusinessP90S).toBeCloseTo(14760, 6);
  });

  it('SLA attainment: first response, next response, resolution', () => {
    // first: met C1 C3 C5 C8, missed C2 C4 (C6 stopped by closing) → 4/6
    expect([report.summary.slaFirstResponseMet, report.summary.slaFirstResponseMissed]).toEqual([4, 2]);
    expect(report.rates.slaFirstResponse).toBe(0.6667);
    // next: cycles C1 (met), C3 (breached, still waiting), C5 (4 h > 2 h) → 1 of 3
    expect([report.summary.slaNextResponseCycles, report.summary.slaNextResponseMissed]).toEqual([3, 2]);
    expect(report.rates.slaNextResponse).toBe(0.3333);
    // resolution: met C1 C2 C5 C6 C8, missed C3 C4 (running past 24 business hours)
    expect([report.summary.slaResolutionMet, report.summary.slaResolutionMissed]).toEqual([5, 2]);
    expect(report.rates.slaResolution).toBe(0.7143);
  });

  it('resolution notices, sentiment shift, volume and misrouting', () => {
    const s = report.summary;
    expect([s.noticePosted, s.noticeWaived, s.noticeMissing, s.noticePending]).toEqual([1, 1, 1, 1]);
    // shifts: C1 +1, C2 0, C3 −2, C4 0, C5 +1, C6 0, C8 +2 → 2 / 7
    expect(s.sentimentPairs).toBe(7);
    expect(s.sentimentShiftAvg).toBe(0.286);
    expect([s.sentimentImproved, s.sentimentWorsened, s.sentimentUnchanged]).toEqual([3, 1, 3]);
    expect([s.queueSupport, s.queueMarketing, s.queueModeration]).toEqual([6, 1, 0]);
    expect([s.openedSupport, s.openedMarketing]).toEqual([7, 0]);
    expect(s.misrouted).toBe(1);
    expect(s.handoffs).toBe(2);
    expect(report.rates.misroutingRate).toBe(0.1429);
    expect(report.handoffs).toEqual([{ fromQueue: 'support', toQueue: 'marketing', count: 1 }]);
    // social complaints 4 of (7 conversations + 30/month × 7/30 other contacts = 14)
    expect(s.socialComplaints).toBe(4);
    expect(report.rates.socialComplaintShare).toBe(0.2857);
  });

  it('community deflection, CSAT and ROI', () => {
    expect(report.community).toEqual({ topics: 3, answeredByMembers: 1, answeredByStaff: 1, unanswered: 1 });
    expect(report.rates.communityDeflection).toBe(0.3333);
    expect(report.csat).toEqual({
      sent: 4,
      responses: 3,
      satisfied: 2,
      unsatisfied: 1,
      averageScore: 3.67,
      distribution: [0, 1, 0, 1, 1],
    });
    expect(report.rates.csat).toBe(0.6667);
    // 3000/month × 7/30 = 700 over 4 social resolutions (C1 C2 C6 C8) = 175; phone 200 → 25 saved each
    expect(report.roi).toMatchObject({
      socialCost: 700,
      socialResolutions: 4,
      socialCostPerResolution: 175,
      phoneCostPerResolution: 200,
      savingPerResolution: 25,
      totalSaving: 100,
      communityAnswers: 1,
      hoursSavedByCommunity: 0.25,
      valueOfHoursSaved: 10,
    });
  });

  it('breakdowns, workload, series and distribution agree with the summary', () => {
    const ch = report.breakdowns.channel.map((r) => [r.key, r.conversations, r.frtWallMedianS]);
    expect(ch).toEqual([
      ['x', 3, 2250],
      ['facebook', 2, 32100],
      ['email', 1, 5400],
      ['reddit', 1, null],
    ]);
    expect(report.breakdowns.team.map((r) => [r.key, r.conversations])).toEqual([
      ['care', 5],
      ['social', 2],
    ]);
    const agents = Object.fromEntries(report.workload.agents.map((r) => [r.label, r]));
    expect(agents['Agent A']).toMatchObject({ conversations: 2, resolved: 2, agentReplies: 3, openNow: 0 });
    expect(agents['Agent B']).toMatchObject({ conversations: 2, resolved: 2, agentReplies: 2, openNow: 0 });
    expect(agents['Agent C']).toMatchObject({ conversations: 2, resolved: 1, agentReplies: 3, openNow: 1 });
    expect(agents.Unassigned).toMatchObject({ conversations: 1, openNow: 2 });
    expect(report.series.map((p) => [p.day, p.conversations])).toEqual([
      ['2026-03-02', 2],
      ['2026-03-03', 1],
      ['2026-03-04', 1],
      ['2026-03-05', 1],
      ['2026-03-06', 2],
      ['2026-03-07', 0],
      ['2026-03-08', 0],
    ]);
    const sum = (k: 'conversations' | 'responded' | 'resolved' | 'misrouted') =>
      report.series.reduce((a, p) => a + p[k], 0);
    expect([sum('conversations'), sum('responded'), sum('resolved'), sum('misrouted')]).toEqual([
      report.summary.conversations,
      report.summary.responded,
      report.summary.resolved,
      report.summary.misrouted,
    ]);
    expect(report.frtDistribution.map((b) => b.count)).toEqual([0, 0, 1, 2, 1, 0, 0, 1, 0]);
  });

  it('the daily rollup and the facts give the same counters', async () => {
    const daily = await counters(database.db, { ...WEEK }, 'auto');
    const facts = await counters(database.db, { ...WEEK }, 'facts');
    expect(daily).toEqual(facts);
    expect(daily.conversations).toBe(7);
    const fb = { ...WEEK, channel: 'facebook' };
    expect(await counters(database.db, fb, 'auto')).toEqual(await counters(database.db, fb, 'facts'));
  });

  it('drill-down lists the conversations behind a number', async () => {
    const ids = async (metric: Parameters<typeof drilldown>[2]) =>
      (await drilldown(database.db, { ...WEEK }, metric, { silenceHours: 4, now: NOW, limit: 50 }))
        .map((r) => r.id)
        .sort();
    expect(await ids('digital_silence')).toEqual([IDS.c(2), IDS.c(4), IDS.c(8)]);
    expect(await ids('missing_resolution_notice')).toEqual([IDS.c(2)]);
    expect(await ids('misrouted')).toEqual([IDS.c(3)]);
    expect(await ids('sla_first_response_missed')).toEqual([IDS.c(2), IDS.c(4)]);
    expect(await ids('csat_satisfied')).toEqual([IDS.c(1), IDS.c(5)]);
    // every count tile with a drill-down lists exactly that many conversations
    for (const m of metricTable(report)) {
      if (m.unit !== 'count' || !m.drill) continue;
      expect([m.key, (await ids(m.drill)).length]).toEqual([m.key, m.value]);
    }
  });

  it('filters by channel, queue, team and agent', async () => {
    const r = await buildReport(database.db, { ...WEEK, channel: 'facebook' }, { now: NOW });
    expect(r.summary.conversations).toBe(2);
    expect(r.series.reduce((a, p) => a + p.conversations, 0)).toBe(2);
    const byAgent = await buildReport(database.db, { ...WEEK, agent: IDS.agentC }, { now: NOW });
    expect(byAgent.summary.conversations).toBe(2);
    expect(byAgent.series.reduce((a, p) => a + p.conversations, 0)).toBe(2);
    const team = await buildReport(database.db, { ...WEEK, team: 'social', queue: 'support' }, { now: NOW });
    expect(team.summary.conversations).toBe(1);
  });

  it('the rollup is incremental: later runs touch only changed or stale active conversations', async () => {
    const at = (min: number) => new Date(NOW.getTime() + min * 60_000);
    // within the 2-minute overlap of the watermark, everything updated at NOW is read again
    expect(await runAnalyticsRollup(database.db, { now: at(10) })).toMatchObject({ conversations: 8 });
    expect(await runAnalyticsRollup(database.db, { now: at(20) })).toMatchObject({ conversations: 0 });
    await database.db
      .update(conversations)
      .set({ assigneeId: IDS.agentA, updatedAt: at(21) })
      .where(eq(conversations.id, IDS.c(4)));
    expect(await runAnalyticsRollup(database.db, { now: at(22) })).toMatchObject({ conversations: 1 });
    // 15 minutes after their last refresh the active ones (C3, C4, C7) are re-evaluated
    expect(await runAnalyticsRollup(database.db, { now: at(40) })).toMatchObject({ conversations: 3 });
    const r = await buildReport(database.db, { ...WEEK, agent: IDS.agentA }, { now: at(40) });
    expect(r.summary.conversations).toBe(3);
  });
});
