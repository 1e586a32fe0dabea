/**
 * Derived rates, ROI and the metric table (key, label, value, unit, drill-down) shown as dashboard
 * tiles, returned by the API and written to the CSV export. Pure functions over query results.
 */
import type { AnalyticsFilters, DrilldownMetric, SummaryRow } from '../db/repositories/analytics.ts';
import type { CommunityDeflection, CsatSummary } from '../db/repositories/analytics-more.ts';
import type { AnalyticsSettings } from './analytics.ts';

const DAY = 86_400_000;
/** Ratio rounded to 4 decimals; null when the denominator is 0. */
export const ratio = (n: number, d: number): number | null =>
  d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null;
const round2 = (v: number) => Math.round(v * 100) / 100;

export interface Rates {
  responseRate: number | null;
  conversationResponseRate: number | null;
  slaFirstResponse: number | null;
  slaNextResponse: number | null;
  slaResolution: number | null;
  digitalSilenceRate: number | null;
  resolutionRate: number | null;
  noticeMissingRate: number | null;
  misroutingRate: number | null;
  marketingShare: number | null;
  socialComplaintShare: number | null;
  communityDeflection: number | null;
  csat: number | null;
  csatResponseRate: number | null;
}

export function periodDays(f: AnalyticsFilters): number {
  return (f.to.getTime() - f.from.getTime()) / DAY;
}

export function computeRates(
  s: SummaryRow,
  c: CommunityDeflection,
  csat: CsatSummary,
  settings: AnalyticsSettings,
  f: AnalyticsFilters,
): Rates {
  const otherContacts = (settings.otherContactsPerMonth * periodDays(f)) / 30;
  return {
    responseRate: ratio(s.inboundAnswered, s.inboundNeeding),
    conversationResponseRate: ratio(s.responded, s.conversations - s.noResponseNeeded),
    slaFirstResponse: ratio(s.slaFirstResponseMet, s.slaFirstResponseMet + s.slaFirstResponseMissed),
    slaNextResponse: ratio(s.slaNextResponseCycles - s.slaNextResponseMissed, s.slaNextResponseCycles),
    slaResolution: ratio(s.slaResolutionMet, s.slaResolutionMet + s.slaResolutionMissed),
    digitalSilenceRate: ratio(s.digitalSilence, s.publicComplaints),
    resolutionRate: ratio(s.resolved, s.conversations),
    noticeMissingRate: ratio(s.noticeMissing, s.noticePosted + s.noticeWaived + s.noticeMissing),
    misroutingRate: ratio(s.misrouted, s.conversations),
    marketingShare: ratio(s.queueMarketing, s.queueMarketing + s.queueSupport),
    socialComplaintShare: ratio(s.socialComplaints, s.conversations + otherContacts),
    communityDeflection: ratio(c.answeredByMembers, c.topics),
    csat: ratio(csat.satisfied, csat.responses),
    csatResponseRate: ratio(csat.responses, csat.sent),
  };
}

export interface Roi {
  currency: string;
  periodDays: number;
  socialCost: number | null;
  socialResolutions: number;
  socialCostPerResolution: number | null;
  phoneCostPerResolution: number | null;
  savingPerResolution: number | null;
  totalSaving: number | null;
  communityAnswers: number;
  hoursSavedByCommunity: number;
  valueOfHoursSaved: number | null;
}

export function roiFor(
  s: SummaryRow,
  c: CommunityDeflection,
  settings: AnalyticsSettings,
  f: AnalyticsFilters,
): Roi {
  const days = periodDays(f);
  const socialCost =
    settings.socialMonthlyCost === null ? null : round2((settings.socialMonthlyCost * days) / 30);
  const perRes = socialCost !== null && s.socialResolved > 0 ? round2(socialCost / s.socialResolved) : null;
  const phone = settings.phoneCostPerResolution;
  const saving = perRes !== null && phone !== null ? round2(phone - perRes) : null;
  const hours = round2((c.answeredByMembers * settings.minutesPerStaffAnswer) / 60);
  return {
    currency: settings.currency,
    periodDays: days,
    socialCost,
    socialResolutions: s.socialResolved,
    socialCostPerResolution: perRes,
    phoneCostPerResolution: phone,
    savingPerResolution: saving,
    totalSaving: saving === null ? null : round2(saving * s.socialResolved),
    communityAnswers: c.answeredByMembers,
    hoursSavedByCommunity: hours,
    valueOfHoursSaved: settings.agentHourlyCost === null ? null : round2(hours * settings.agentHourlyCost),
  };
}

export type Unit = 'count' | 'ratio' | 'seconds' | 'score' | 'money' | 'hours';

export interface MetricRow {
  key: string;
  label: string;
  value: number | null;
  unit: Unit;
  /** Drill-down metric listing the conversations behind the number, when there is one. */
  drill: DrilldownMetric | null;
}

interface ReportLike {
  summary: SummaryRow;
  rates: Rates;
  community: CommunityDeflection;
  csat: CsatSummary;
  roi: Roi;
}

/** Every headline metric, in the order the dashboard shows them. */
export function metricTable(r: ReportLike): MetricRow[] {
  const s = r.summary;
  const m = (
    key: string,
    label: string,
    value: number | null,
    unit: Unit,
    drill: DrilldownMetric | null = null,
  ) => ({
    key,
    label,
    value,
    unit,
    drill,
  });
  return [
    m('conversations', 'Conversations', s.conversations, 'count', 'all'),
    m(
      'frt_median_wall',
      'First response time, median (wall clock)',
      s.frtWallMedianS,
      'seconds',
      'responded',
    ),
    m('frt_p90_wall', 'First response time, p90 (wall clock)', s.frtWallP90S, 'seconds', 'responded'),
    m(
      'frt_median_business',
      'First response time, median (business hours)',
      s.frtBusinessMedianS,
      'seconds',
      'responded',
    ),
    m(
      'frt_p90_business',
      'First response time, p90 (business hours)',
      s.frtBusinessP90S,
      'seconds',
      'responded',
    ),
    m(
      'response_rate',
      'Response rate (customer messages answered)',
      r.rates.responseRate,
      'ratio',
      'unanswered',
    ),
    m('digital_silence', 'Digital silence (public complaints)', s.digitalSilence, 'count', 'digital_silence'),
    m('digital_silence_rate', 'Digital silence rate', r.rates.digitalSilenceRate, 'ratio', 'digital_silence'),
    m('resolved', 'Resolved', s.resolved, 'count', 'resolved'),
    m(
      'resolution_median_wall',
      'Resolution time, median (wall clock)',
      s.resolutionWallMedianS,
      'seconds',
      'resolved',
    ),
    m(
      'resolution_p90_wall',
      'Resolution time, p90 (wall clock)',
      s.resolutionWallP90S,
      'seconds',
      'resolved',
    ),
    m(
      'resolution_median_business',
      'Resolution time, median (business hours)',
      s.resolutionBusinessMedianS,
      'seconds',
      'resolved',
    ),
    m(
      'sla_first_response',
      'SLA attainment: first response',
      r.rates.slaFirstResponse,
      'ratio',
      'sla_first_response_missed',
    ),
    m(
      'sla_next_response',
      'SLA attainment: next response',
      r.rates.slaNextResponse,
      'ratio',
      'sla_next_response_missed',
    ),
    m(
      'sla_resolution',
      'SLA attainment: resolution',
      r.rates.slaResolution,
      'ratio',
      'sla_resolution_missed',
    ),
    m('public_complaints', 'Public complaints', s.publicComplaints, 'count', 'public_complaints'),
    m(
      'missing_resolution_notice',
      'Resolved public complaints without resolution notice',
      s.noticeMissing,
      'count',
      'missing_resolution_notice',
    ),
    m(
      'sentiment_shift',
      'Sentiment shift, first → last customer message (avg, −2…+2)',
      s.sentimentShiftAvg,
      'score',
      null,
    ),
    m(
      'sentiment_improved',
      'Conversations whose sentiment improved',
      s.sentimentImproved,
      'count',
      'sentiment_improved',
    ),
    m(
      'sentiment_worsened',
      'Conversations whose sentiment worsened',
      s.sentimentWorsened,
      'count',
      'sentiment_worsened',
    ),
    m(
      'community_deflection',
      'Community deflection (answered by members)',
      r.rates.communityDeflection,
      'ratio',
      null,
    ),
    m('community_unanswered', 'Forum questions unanswered', r.community.unanswered, 'count', null),
    m('volume_support', 'Support volume', s.queueSupport, 'count', 'queue_support'),
    m('volume_marketing', 'Marketing volume', s.queueMarketing, 'count', 'queue_marketing'),
    m('misrouted', 'Misrouted (handed off between queues)', s.misrouted, 'count', 'misrouted'),
    m('misrouting_rate', 'Misrouting rate', r.rates.misroutingRate, 'ratio', 'misrouted'),
    m(
      'social_complaint_share',
      'Complaints on social, share of all contacts',
      r.rates.socialComplaintShare,
      'ratio',
      'social_complaints',
    ),
    m('csat', 'CSAT (share scoring 4–5)', r.rates.csat, 'ratio', 'csat_responded'),
    m('csat_average', 'CSAT average score (1–5)', r.csat.averageScore, 'score', 'csat_responded'),
    m('csat_response_rate', 'CSAT survey response rate', r.rates.csatResponseRate, 'ratio', null),
    m(
      'cost_per_resolution_social',
      'Cost per resolution, social',
      r.roi.socialCostPerResolution,
      'money',
      null,
    ),
    m('cost_per_resolution_phone', 'Cost per resolution, phone', r.roi.phoneCostPerResolution, 'money', null),
    m(
      'hours_saved_community',
      'Hours saved by community answers',
      r.roi.hoursSavedByCommunity,
      'hours',
      null,
    ),
  ];
}

/** Human formatting shared by the dashboard and the report. */
export function formatValue(v: number | null, unit: Unit, currency = 'EUR'): string {
  if (v === null) return '—';
  switch (unit) {
    case 'ratio':
      return `${(v * 100).toFixed(1)} %`;
    case 'seconds':
      return formatDuration(v);
    case 'money':
      return `${currency} ${v.toFixed(2)}`;
    case 'hours':
      return `${v.toFixed(1)} h`;
    case 'score':
      return v.toFixed(2);
    default:
      return String(Math.round(v));
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${(s / 86_400).toFixed(1)} d`;
}
