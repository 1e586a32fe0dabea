/** SLA: policies, business time and replayable clocks. See sla/clocks.ts for the rules. */
export * from './sla/business-hours.ts';
export * from './sla/clocks.ts';
export * from './sla/events.ts';
export * from './sla/policy.ts';
