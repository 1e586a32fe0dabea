/** Merge two contacts: identities and conversations move to the survivor; the other is marked merged. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { auditLog, contactIdentities, contacts, conversations } from '../../db/schema/index.ts';
import { InvalidError, NotFoundError } from '../../domain/errors.ts';
import { type Actor, isStaff, requirePermission } from '../../domain/roles.ts';

export async function mergeContacts(db: Db, actor: Actor, fromId: string, intoId: string) {
  requirePermission(isStaff(actor.role) && actor.role !== 'trainee', 'merge contacts', actor);
  if (fromId === intoId) throw new InvalidError('same_contact', 'Pick another contact to merge into.');
  return db.transaction(async (tx) => {
    const found = await tx.select().from(contacts).where(sql`${contacts.id} IN (${fromId}, ${intoId})`);
    if (found.length !== 2) throw new NotFoundError('contact_not_found', 'No such contact.');
    const moved = await tx
      .update(contactIdentities)
      .set({ contactId: intoId })
      .where(eq(contactIdentities.contactId, fromId))
      .returning({ id: contactIdentities.id });
    await tx
      .update(conversations)
      .set({ contactId: intoId, updatedAt: new Date() })
      .where(eq(conversations.contactId, fromId));
    await tx.update(contacts).set({ mergedInto: intoId }).where(eq(contacts.id, fromId));
    await tx.insert(auditLog).values({
      actorId: actor.id,
      action: 'contact.merge',
      subjectType: 'contact',
      subjectId: intoId,
      detail: { from: fromId, identities: moved.length },
    });
    return { mergedInto: intoId, identitiesMoved: moved.length };
  });
}
