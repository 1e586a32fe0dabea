/**
 * Roles and permission checks. Pure predicates; `require*` helpers throw ForbiddenError.
 */
import { ForbiddenError } from './errors.ts';
import type { QueueName } from './types.ts';

export const ROLES = [
  'admin',
  'supervisor',
  'agent',
  'trainee',
  'marketing',
  'moderator',
  'member',
  'guest',
] as const;
export type Role = (typeof ROLES)[number];

/** Who does something: a user with a role, or Earshot itself (pipeline, scheduler). */
export interface Actor {
  id: string;
  role: Role | 'system';
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const STAFF: ReadonlySet<Role> = new Set([
  'admin',
  'supervisor',
  'agent',
  'trainee',
  'marketing',
  'moderator',
]);

/** Staff work in the agent workspace; members and guests only use public pages and their own account. */
export function isStaff(role: Role | 'system'): boolean {
  return role === 'system' || STAFF.has(role);
}

const QUEUE_VISIBILITY: Record<Role, readonly QueueName[]> = {
  admin: ['support', 'marketing', 'moderation'],
  supervisor: ['support', 'marketing', 'moderation'],
  agent: ['support'],
  trainee: ['support'],
  marketing: ['marketing'],
  moderator: ['moderation'],
  member: [],
  guest: [],
};

/** Queues a role may see. Marketing sees only the marketing queue; support-only work is invisible to it. */
export function visibleQueues(role: Role | 'system'): readonly QueueName[] {
  if (role === 'system') return ['support', 'marketing', 'moderation'];
  return QUEUE_VISIBILITY[role];
}

export function canSeeQueue(role: Role | 'system', queue: QueueName): boolean {
  return visibleQueues(role).includes(queue);
}

/** May draft and send replies at all (trainees' public replies go through approval). */
export function canReply(role: Role | 'system'): boolean {
  return isStaff(role);
}

export function canSendPublicReplyWithoutApproval(role: Role | 'system'): boolean {
  return (
    role === 'system' ||
    role === 'admin' ||
    role === 'supervisor' ||
    role === 'agent' ||
    role === 'marketing' ||
    role === 'moderator'
  );
}

/** Private replies (DM, private message, email) never need approval, for anyone who may reply. */
export function canSendPrivateReplyWithoutApproval(role: Role | 'system'): boolean {
  return canReply(role);
}

export function needsApprovalForPublicReply(role: Role | 'system'): boolean {
  return canReply(role) && !canSendPublicReplyWithoutApproval(role);
}

export function canApprove(role: Role | 'system'): boolean {
  return role === 'admin' || role === 'supervisor';
}

/** SLA escalations ("to a supervisor before breach") and breaches are pushed to these roles. */
export function receivesSlaEscalations(role: Role | 'system'): boolean {
  return role === 'admin' || role === 'supervisor';
}

export function canWaiveResolutionNotice(role: Role | 'system'): boolean {
  return role === 'admin' || role === 'supervisor';
}

/** "No response needed" is a decision; trainees escalate instead of deciding. */
export function canMarkNoResponseNeeded(role: Role | 'system'): boolean {
  return isStaff(role) && role !== 'trainee';
}

/** Hand a conversation from a queue the role can see to another queue (marketing → support, etc.). */
export function canHandOff(role: Role | 'system', from: QueueName, to: QueueName): boolean {
  return from !== to && isStaff(role) && canSeeQueue(role, from);
}

export function canAssign(role: Role | 'system', queue: QueueName): boolean {
  return isStaff(role) && role !== 'trainee' && canSeeQueue(role, queue);
}

export function canRetractReply(role: Role | 'system'): boolean {
  return role === 'admin' || role === 'supervisor' || role === 'agent' || role === 'marketing';
}

export function canCorrectClassification(role: Role | 'system'): boolean {
  return isStaff(role);
}

/** Who reviews the posts triage ignored (spam, admins' ignore rules): admins, supervisors, moderators. */
/** Who reviews (and restores, within canRestoreIgnoredPost) the posts triage ignored. */
export const IGNORED_POST_REVIEWERS = ['admin', 'supervisor', 'moderator'] as const satisfies readonly Role[];

export function canReviewIgnoredPosts(role: Role | 'system'): boolean {
  return role === 'system' || (IGNORED_POST_REVIEWERS as readonly string[]).includes(role);
}

/**
 * Restore an ignored post into a queue: admins and supervisors into any queue; moderators only into
 * moderation, the one queue they work (and see) — they may rescue abuse reports, not route support work.
 */
export function canRestoreIgnoredPost(role: Role | 'system', queue: QueueName): boolean {
  if (role === 'moderator') return queue === 'moderation';
  return role === 'system' || role === 'admin' || role === 'supervisor';
}

export function canManageRoutingRules(role: Role | 'system'): boolean {
  return role === 'admin';
}

export function canManageGuidelines(role: Role | 'system'): boolean {
  return role === 'admin';
}

export function canManageSlaPolicies(role: Role | 'system'): boolean {
  return role === 'admin';
}

export function canManageUsers(role: Role | 'system'): boolean {
  return role === 'admin';
}

export function canModerateCommunity(role: Role | 'system'): boolean {
  return role === 'admin' || role === 'moderator';
}

export function canViewReports(role: Role | 'system'): boolean {
  return role === 'admin' || role === 'supervisor' || role === 'marketing';
}

export function requirePermission(allowed: boolean, action: string, actor: Actor): void {
  if (!allowed) {
    throw new ForbiddenError('forbidden', `role ${actor.role} may not ${action}`, {
      action,
      role: actor.role,
      actorId: actor.id,
    });
  }
}
