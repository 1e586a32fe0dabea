/**
 * Contacts and their per-channel identities, upserted in bulk by the pipeline: one SELECT for the
 * known identities, one multi-row INSERT each for new contacts and identities, one UPDATE for
 * changed handles/reach. Raw SQL over unnest() arrays: one statement per stage however many rows.
 */
import { randomUUID } from 'node:crypto';
import type { InboundAuthor } from '../../domain/inbound-post.ts';
import type { Queryable } from '../../pipeline/intake.ts';

export interface AuthorInput extends InboundAuthor {
  channelKind: string;
}

export interface ContactRef {
  identityId: string;
  contactId: string;
  vip: boolean;
  /** true when created by this call. */
  created: boolean;
}

export const authorKey = (channelKind: string, externalId: string) => `${channelKind}\u001f${externalId}`;

interface IdentityRow {
  id: string;
  contact_id: string;
  channel_kind: string;
  external_id: string;
  handle: string;
  display_name: string | null;
  followers: number | null;
  vip: boolean;
}

async function selectIdentities(q: Queryable, kinds: string[], ids: string[]): Promise<IdentityRow[]> {
  const r = await q.query<IdentityRow>(
    `select i.id, i.contact_id, i.channel_kind, i.external_id, i.handle, i.display_name, i.followers, c.vip
       from contact_identities i
       join contacts c on c.id = i.contact_id
       join unnest($1::text[], $2::text[]) u(k, e) on i.channel_kind = u.k and i.external_id = u.e`,
    [kinds, ids],
  );
  return r.rows;
}

/** Finds or creates a contact per distinct author; returns refs by authorKey. */
export async function upsertContacts(
  q: Queryable,
  authors: readonly AuthorInput[],
): Promise<Map<string, ContactRef>> {
  const distinct = new Map<string, AuthorInput>();
  for (const a of authors) distinct.set(authorKey(a.channelKind, a.externalId), a);
  const keys = [...distinct.keys()].sort();
  const out = new Map<string, ContactRef>();
  if (keys.length === 0) return out;
  const list = keys.map((k) => distinct.get(k)!);
  const found = await selectIdentities(
    q,
    list.map((a) => a.channelKind),
    list.map((a) => a.externalId),
  );
  const changed: { id: string; a: AuthorInput }[] = [];
  for (const row of found) {
    const key = authorKey(row.channel_kind, row.external_id);
    out.set(key, { identityId: row.id, contactId: row.contact_id, vip: row.vip, created: false });
    const a = distinct.get(key)!;
    if (
      row.handle !== a.handle ||
      (a.followers !== undefined && row.followers !== a.followers) ||
      (a.displayName !== undefined && row.display_name !== a.displayName)
    ) {
      changed.push({ id: row.id, a });
    }
  }
  const missing = list.filter((a) => !out.has(authorKey(a.channelKind, a.externalId)));
  if (missing.length > 0) {
    const contactIds = missing.map(() => randomUUID());
    const identityIds = missing.map(() => randomUUID());
    await q.query(`insert into contacts (id, display_name) select * from unnest($1::uuid[], $2::text[])`, [
      contactIds,
      missing.map((a) => a.displayName?.trim() || a.handle || a.externalId),
    ]);
    const ins = await q.query<{ id: string }>(
      `insert into contact_identities (id, contact_id, channel_kind, external_id, handle, display_name, followers, profile_url)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
       on conflict (channel_kind, external_id) do nothing
       returning id`,
      [
        identityIds,
        contactIds,
        missing.map((a) => a.channelKind),
        missing.map((a) => a.externalId),
        missing.map((a) => a.handle),
        missing.map((a) => a.displayName ?? null),
        missing.map((a) =>
          Number.isFinite(a.followers) ? Math.min(2 ** 31 - 1, Math.round(a.followers!)) : null,
        ),
        missing.map((a) => a.profileUrl ?? null),
      ],
    );
    const inserted = new Set(ins.rows.map((r) => r.id));
    const orphans: string[] = [];
    const raced: AuthorInput[] = [];
    missing.forEach((a, i) => {
      if (inserted.has(identityIds[i]!)) {
        out.set(authorKey(a.channelKind, a.externalId), {
          identityId: identityIds[i]!,
          contactId: contactIds[i]!,
          vip: false,
          created: true,
        });
      } else {
        orphans.push(contactIds[i]!);
        raced.push(a);
      }
    });
    if (raced.length > 0) {
      // Another worker created these identities meanwhile: use theirs, drop our unused contacts.
      await q.query('delete from contacts where id = any($1::uuid[])', [orphans]);
      for (const row of await selectIdentities(
        q,
        raced.map((a) => a.channelKind),
        raced.map((a) => a.externalId),
      )) {
        out.set(authorKey(row.channel_kind, row.external_id), {
          identityId: row.id,
          contactId: row.contact_id,
          vip: row.vip,
          created: false,
        });
      }
    }
  }
  if (changed.length > 0) {
    await q.query(
      `update contact_identities i
          set handle = u.h, display_name = coalesce(u.d, i.display_name), followers = coalesce(u.f, i.followers)
         from unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) u(id, h, d, f)
        where i.id = u.id`,
      [
        changed.map((c) => c.id),
        changed.map((c) => c.a.handle),
        changed.map((c) => c.a.displayName ?? null),
        changed.map((c) =>
          Number.isFinite(c.a.followers) ? Math.min(2 ** 31 - 1, Math.round(c.a.followers!)) : null,
        ),
      ],
    );
  }
  return out;
}

/** Previous complaints per contact (conversations opened as complaints). */
export async function complaintHistory(
  q: Queryable,
  contactIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (contactIds.length === 0) return out;
  const r = await q.query<{ contact_id: string; n: number }>(
    `select contact_id, count(*)::int as n from conversations
      where contact_id = any($1::uuid[]) and intent = 'complaint' group by contact_id`,
    [contactIds],
  );
  for (const row of r.rows) out.set(row.contact_id, row.n);
  return out;
}
