/** JSON schemas of the articles API. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export const revParams = {
  type: 'object',
  required: ['id', 'revision'],
  properties: { id: { type: 'string', format: 'uuid' }, revision: { type: 'integer', minimum: 1 } },
} as const;

/** Editable fields (body of POST without `kind`, and of PATCH). */
export const inputProps = {
  title: { type: 'string', minLength: 1, maxLength: 200 },
  body: { type: 'string', maxLength: 200000 },
  slug: { type: 'string', maxLength: 120 },
  summary: { type: 'string', maxLength: 500 },
  categoryId: { type: ['string', 'null'], format: 'uuid' },
  tags: { type: 'array', maxItems: 12, items: { type: 'string', maxLength: 40 } },
  status: { type: 'string', enum: ['draft', 'published', 'scheduled'] },
  publishAt: { type: ['string', 'null'], format: 'date-time' },
} as const;

export const articleJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    slug: { type: 'string' },
    url: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    body: { type: 'string' },
    bodyHtml: { type: 'string' },
    categoryId: { type: ['string', 'null'] },
    categoryName: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    status: { type: 'string' },
    publishAt: { type: ['string', 'null'], format: 'date-time' },
    authorId: { type: ['string', 'null'] },
    authorName: { type: ['string', 'null'] },
    updatedById: { type: ['string', 'null'] },
    revision: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const categoryJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    slug: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    position: { type: 'integer' },
  },
} as const;

export const suggestionJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    url: { type: 'string' },
    path: { type: 'string' },
    rank: { type: 'number' },
  },
} as const;
