/** Inbox keyset cursors: (sort key as text, id) of the last row of a page, opaque to clients. */
import { InvalidError } from '../../domain/errors.ts';

export interface Cursor {
  v: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.v, c.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const [v, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      (v === null || (typeof v === 'string' && v.length <= 64)) &&
      typeof id === 'string' &&
      UUID.test(id)
    ) {
      return { v, id };
    }
  } catch {}
  throw decodeError();
}

export function decodeError(): InvalidError {
  return new InvalidError(
    'invalid_cursor',
    'This page link is not valid any more; start from the first page.',
  );
}
