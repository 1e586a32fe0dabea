/** JSON schemas of the analytics API (they document the OpenAPI and shape the responses). */
import { DRILLDOWN_METRICS } from '../../db/repositories/analytics.ts';
import { CHANNEL_KINDS, QUEUES } from '../../domain/types.ts';
import { PERIODS } from '../../services/analytics.ts';

const DATE_OR_EMPTY = '^(\\d{4}-\\d{2}-\\d{2})?$';
const UUID_OR_EMPTY = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$';

export const filterProperties = {
  period: {
    type: 'string',
    enum: [...PERIODS],
    description: 'Rolling (7d…365d), calendar week/month, or custom',
  },
  from: { type: 'string', pattern: DATE_OR_EMPTY, description: 'custom period: first day (UTC)' },
  to: { type: 'string', pattern: DATE_OR_EMPTY, description: 'custom period: last day, inclusive (UTC)' },
  start: { type: 'string', pattern: DATE_OR_EMPTY, description: 'week/month: a day inside it' },
  channel: { type: 'string', enum: ['', ...CHANNEL_KINDS] },
  queue: { type: 'string', enum: ['', ...QUEUES] },
  team: { type: 'string', maxLength: 100 },
  agent: { type: 'string', pattern: UUID_OR_EMPTY },
} as const;

export interface FilterQuery {
  period?: string;
  from?: string;
  to?: string;
  start?: string;
  channel?: string;
  queue?: string;
  team?: string;
  agent?: string;
}

export const filterQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: filterProperties,
} as const;

const numOrNull = { type: ['number', 'null'] } as const;
const numbers = { type: 'object', additionalProperties: numOrNull } as const;
const rowsOf = (props: Record<string, unknown>) =>
  ({ type: 'array', items: { type: 'object', properties: props } }) as const;

const filtersOut = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    channel: { type: 'string' },
    queue: { type: 'string' },
    team: { type: 'string' },
    agent: { type: 'string' },
  },
} as const;

const breakdownRows = rowsOf({
  key: { type: 'string' },
  label: { type: 'string' },
  conversations: { type: 'integer' },
  responded: { type: 'integer' },
  frtWallMedianS: numOrNull,
  frtBusinessAvgS: numOrNull,
  resolved: { type: 'integer' },
  resolutionWallAvgS: numOrNull,
  slaFirstResponseMet: { type: 'integer' },
  slaFirstResponseMissed: { type: 'integer' },
  inboundNeeding: { type: 'integer' },
  inboundAnswered: { type: 'integer' },
  noticeMissing: { type: 'integer' },
  agentReplies: { type: 'integer' },
});
const workloadRows = rowsOf({
  key: { type: 'string' },
  label: { type: 'string' },
  openNow: { type: 'integer' },
  conversations: { type: 'integer' },
  resolved: { type: 'integer' },
  agentReplies: { type: 'integer' },
});

export const metricRowSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    label: { type: 'string' },
    value: numOrNull,
    unit: { type: 'string', enum: ['count', 'ratio', 'seconds', 'score', 'money', 'hours'] },
    drill: { type: ['string', 'null'] },
  },
} as const;

export const reportSchema = {
  type: 'object',
  description: 'Every analytics figure for the filters. Formulas: docs/METRICS.md.',
  properties: {
    period: { type: 'string' },
    generatedAt: { type: 'string', format: 'date-time' },
    rollupAt: { type: ['string', 'null'], format: 'date-time' },
    filters: filtersOut,
    settings: { type: 'object', additionalProperties: { type: ['number', 'string', 'null'] } },
    summary: { ...numbers, description: 'Counts, medians and p90s (seconds) computed in PostgreSQL' },
    rates: { ...numbers, description: 'Ratios 0–1 derived from the summary; null when the denominator is 0' },
    metrics: { type: 'array', items: metricRowSchema },
    series: rowsOf({
      day: { type: 'string', format: 'date' },
      conversations: { type: 'integer' },
      publicComplaints: { type: 'integer' },
      responded: { type: 'integer' },
      resolved: { type: 'integer' },
      frtWallAvgS: numOrNull,
      slaFirstResponseMet: { type: 'integer' },
      slaFirstResponseMissed: { type: 'integer' },
      noticeMissing: { type: 'integer' },
      misrouted: { type: 'integer' },
    }),
    frtDistribution: rowsOf({
      label: { type: 'string' },
      upperMinutes: numOrNull,
      count: { type: 'integer' },
    }),
    breakdowns: {
      type: 'object',
      properties: {
        channel: breakdownRows,
        intent: breakdownRows,
        queue: breakdownRows,
        team: breakdownRows,
        agent: breakdownRows,
      },
    },
    workload: { type: 'object', properties: { agents: workloadRows, teams: workloadRows } },
    community: numbers,
    csat: {
      type: 'object',
      properties: {
        sent: { type: 'integer' },
        responses: { type: 'integer' },
        satisfied: { type: 'integer' },
        unsatisfied: { type: 'integer' },
        averageScore: numOrNull,
        distribution: { type: 'array', items: { type: 'integer' } },
      },
    },
    handoffs: rowsOf({
      fromQueue: { type: 'string' },
      toQueue: { type: 'string' },
      count: { type: 'integer' },
    }),
    roi: { type: 'object', additionalProperties: { type: ['number', 'string', 'null'] } },
  },
} as const;

export const drilldownQuerySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['metric'],
  properties: {
    ...filterProperties,
    metric: { type: 'string', enum: [...DRILLDOWN_METRICS] },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    before: { type: 'string', format: 'date-time' },
  },
} as const;

export const drilldownResponseSchema = {
  type: 'object',
  properties: {
    conversations: rowsOf({
      id: { type: 'string', format: 'uuid' },
      subject: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      channelKind: { type: 'string' },
      queue: { type: 'string' },
      intent: { type: 'string' },
      status: { type: 'string' },
      frtWallS: numOrNull,
      resolutionNotice: { type: ['string', 'null'] },
    }),
    nextBefore: { type: ['string', 'null'] },
  },
} as const;

export const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    currency: { type: 'string', minLength: 1, maxLength: 8 },
    silenceHours: { type: 'number', exclusiveMinimum: 0, maximum: 720 },
    socialMonthlyCost: { type: ['number', 'null'], minimum: 0 },
    phoneCostPerResolution: { type: ['number', 'null'], minimum: 0 },
    agentHourlyCost: { type: ['number', 'null'], minimum: 0 },
    minutesPerStaffAnswer: { type: 'number', minimum: 0, maximum: 600 },
    otherContactsPerMonth: { type: 'number', minimum: 0 },
  },
} as const;
