/** Internal notes on a conversation: staff only, never sent to a platform. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { notes, users } from '../schema/index.ts';

export interface NoteView {
  id: string;
  text: string;
  authorName: string | null;
  createdAt: string;
}

export function notesRepository(db: Db) {
  return {
    async add(conversationId: string, authorId: string, text: string): Promise<string> {
      const [row] = await db
        .insert(notes)
        .values({ conversationId, authorId, text })
        .returning({ id: notes.id });
      // Touch the conversation so other viewers refresh (the update trigger announces it).
      await db.execute(sql`UPDATE conversations SET updated_at = now() WHERE id = ${conversationId}`);
      return row!.id;
    },
    /** The newest `limit` notes, oldest first (notes_conversation_idx, read backwards). */
    async forConversation(conversationId: string, limit = 100): Promise<NoteView[]> {
      const rows = await db
        .select({ id: notes.id, text: notes.text, authorName: users.displayName, createdAt: notes.createdAt })
        .from(notes)
        .leftJoin(users, eq(users.id, notes.authorId))
        .where(eq(notes.conversationId, conversationId))
        .orderBy(desc(notes.createdAt))
        .limit(limit);
      return rows.reverse().map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },
  };
}
