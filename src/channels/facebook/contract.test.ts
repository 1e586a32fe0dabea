import { describe, expect, it } from 'vitest';
import { readEnum, readNodeSpec } from '../../../sim/facebook/graph-spec.ts';
import { COMMENT_FIELDS, POST_FIELDS } from './index.ts';

describe('facebook adapter requests only what graph-api-specs declares', () => {
  it('requested fields exist on Comment and PagePost', () => {
    const comment = new Set(readNodeSpec('Comment').fields.map((f) => f.name));
    const post = new Set(readNodeSpec('PagePost').fields.map((f) => f.name));
    expect(COMMENT_FIELDS.split(',').filter((f) => !comment.has(f))).toEqual([]);
    expect(POST_FIELDS.split(',').filter((f) => !post.has(f))).toEqual([]);
  });

  it('edges, parameters and enum values used exist in the specs', () => {
    const page = readNodeSpec('Page').apis;
    const messages = page.find((a) => a.method === 'POST' && a.endpoint === 'messages');
    expect(messages?.params?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['recipient', 'messaging_type', 'message']),
    );
    expect(readEnum('pagemessages_messaging_type_enum_param')).toContain('RESPONSE');
    expect(page.some((a) => a.method === 'GET' && a.endpoint === 'feed')).toBe(true);
    const comment = readNodeSpec('Comment').apis;
    const getComments = comment.find((a) => a.method === 'GET' && a.endpoint === 'comments');
    expect(getComments?.params?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['filter', 'order', 'since']),
    );
    expect(
      comment.find((a) => a.method === 'POST' && a.endpoint === 'comments')?.params?.map((p) => p.name),
    ).toContain('message');
    expect(comment.some((a) => a.method === 'DELETE' && a.endpoint === undefined)).toBe(true);
    expect(readEnum('pagepostcomments_filter_enum_param')).toContain('stream');
    expect(readEnum('pagepostcomments_order_enum_param')).toContain('chronological');
  });
});
