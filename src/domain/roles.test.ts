import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import {
  canApprove,
  canHandOff,
  canMarkNoResponseNeeded,
  canSeeQueue,
  canSendPublicReplyWithoutApproval,
  canWaiveResolutionNotice,
  isRole,
  isStaff,
  needsApprovalForPublicReply,
  ROLES,
  type Role,
  requirePermission,
  visibleQueues,
} from './roles.ts';

describe('roles', () => {
  it('knows the eight roles', () => {
    expect(ROLES).toHaveLength(8);
    expect(isRole('trainee')).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it('trainees need approval for public replies; nobody else on staff does', () => {
    const needs = ROLES.filter((r) => needsApprovalForPublicReply(r));
    expect(needs).toEqual(['trainee']);
    expect(canSendPublicReplyWithoutApproval('member')).toBe(false);
    expect(canSendPublicReplyWithoutApproval('guest')).toBe(false);
    expect(needsApprovalForPublicReply('guest')).toBe(false);
  });

  it('supervisors and admins approve and waive; agents do not', () => {
    const approvers = ROLES.filter((r) => canApprove(r));
    expect(approvers).toEqual(['admin', 'supervisor']);
    expect(ROLES.filter((r) => canWaiveResolutionNotice(r))).toEqual(['admin', 'supervisor']);
    expect(canWaiveResolutionNotice('system')).toBe(false);
  });

  it('marketing sees only the marketing queue; support work is invisible to it', () => {
    expect(visibleQueues('marketing')).toEqual(['marketing']);
    expect(canSeeQueue('marketing', 'support')).toBe(false);
    expect(canSeeQueue('agent', 'marketing')).toBe(false);
    expect(canSeeQueue('moderator', 'moderation')).toBe(true);
    const all: Role[] = ['admin', 'supervisor'];
    for (const r of all) expect(visibleQueues(r)).toHaveLength(3);
    expect(visibleQueues('guest')).toEqual([]);
    expect(visibleQueues('member')).toEqual([]);
  });

  it('hand-off needs sight of the source queue and a different target', () => {
    expect(canHandOff('marketing', 'marketing', 'support')).toBe(true);
    expect(canHandOff('marketing', 'support', 'marketing')).toBe(false);
    expect(canHandOff('agent', 'support', 'support')).toBe(false);
    expect(canHandOff('member', 'support', 'marketing')).toBe(false);
  });

  it('staff and no-response decisions', () => {
    expect(ROLES.filter((r) => isStaff(r))).toEqual([
      'admin',
      'supervisor',
      'agent',
      'trainee',
      'marketing',
      'moderator',
    ]);
    expect(canMarkNoResponseNeeded('trainee')).toBe(false);
    expect(canMarkNoResponseNeeded('agent')).toBe(true);
  });

  it('requirePermission throws a forbidden DomainError naming the action', () => {
    expect(() => requirePermission(true, 'x', { id: 'a', role: 'agent' })).not.toThrow();
    try {
      requirePermission(false, 'approve replies', { id: 'a', role: 'agent' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({
        kind: 'forbidden',
        code: 'forbidden',
        details: { action: 'approve replies', role: 'agent' },
      });
    }
  });
});
