/**
 * Validates response bodies (and declared headers) against a platform's OpenAPI description
 * in ../shared/specs. Resolves `$ref`s against the whole document (components and all), so
 * a response is checked exactly as the spec describes it for (path, method, status).
 * OpenAPI 3.0 documents use Ajv (draft-07 + `nullable`), 3.1 documents use Ajv2020.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { sharedDir } from '../../src/lib/shared-dir.ts';

// ajv-formats is CJS with a default export; under NodeNext the callable sits on `.default` at runtime.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Directory holding the shared platform specs (`../shared/specs` next to the repo; EARSHOT_SHARED_DIR overrides). */
export function specsDir(): string {
  return sharedDir('specs');
}

export function specFile(relative: string): string {
  return join(specsDir(), relative);
}

export interface ValidationOutcome {
  ok: boolean;
  errors: string[];
}

type Json = Record<string, unknown>;

function stripKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripKeywords);
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) {
      // Ajv's discriminator does not support `mapping`; oneOf alone decides the same thing.
      if (k === 'discriminator') continue;
      out[k] = stripKeywords(v);
    }
    return out;
  }
  return node;
}

function collectFormats(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) collectFormats(n, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === 'format' && typeof v === 'string') into.add(v);
      else collectFormats(v, into);
    }
  }
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly doc: Json;
  private readonly cache = new Map<string, ValidateFunction>();
  private static readonly ID = 'openapi-spec.json';

  constructor(spec: Json) {
    this.doc = stripKeywords(spec) as Json;
    const is31 = String(this.doc.openapi ?? '').startsWith('3.1');
    const options = { strict: false, allErrors: true, validateSchema: false } as const;
    this.ajv = (is31 ? new Ajv2020(options) : new Ajv(options)) as Ajv;
    addFormats(this.ajv);
    const formats = new Set<string>();
    collectFormats(this.doc, formats);
    for (const f of formats) if (!this.ajv.formats[f]) this.ajv.addFormat(f, true);
    this.ajv.addSchema(this.doc, SpecValidator.ID);
  }

  static fromFile(relative: string): SpecValidator {
    return new SpecValidator(JSON.parse(readFileSync(specFile(relative), 'utf8')) as Json);
  }

  private deref(node: unknown): Json | undefined {
    let cur = node as Json | undefined;
    for (let i = 0; cur && typeof cur.$ref === 'string' && i < 10; i++) {
      const parts = (cur.$ref as string).replace(/^#\//, '').split('/');
      let next: unknown = this.doc;
      for (const p of parts) next = (next as Json | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')];
      cur = next as Json | undefined;
    }
    return cur;
  }

  /** The response object for (path template in spec form, method, status), falling back to `default`. */
  responseFor(path: string, method: string, status: number): { pointer: string; response: Json } | undefined {
    const op = (this.doc.paths as Json | undefined)?.[path] as Json | undefined;
    const responses = (op?.[method.toLowerCase()] as Json | undefined)?.responses as Json | undefined;
    if (!responses) return undefined;
    const key = String(status) in responses ? String(status) : 'default' in responses ? 'default' : undefined;
    if (!key) return undefined;
    const response = this.deref(responses[key]);
    if (!response) return undefined;
    const pointer = `#/paths/${escapePointer(path)}/${method.toLowerCase()}/responses/${key}`;
    return { pointer, response };
  }

  private compile(pointer: string, schema: unknown): ValidateFunction {
    let fn = this.cache.get(pointer);
    if (!fn) {
      // If the response itself was a $ref, the pointer may not reach the schema; compile a ref to it instead.
      const ref = (schema as Json).$ref;
      fn = this.ajv.compile({
        $ref: typeof ref === 'string' ? `${SpecValidator.ID}${ref}` : `${SpecValidator.ID}${pointer}`,
      });
      this.cache.set(pointer, fn);
    }
    return fn;
  }

  validateResponse(
    path: string,
    method: string,
    status: number,
    body: unknown,
    headers: Record<string, string | undefined> = {},
  ): ValidationOutcome {
    const found = this.responseFor(path, method, status);
    if (!found)
      return { ok: false, errors: [`spec has no response for ${method.toUpperCase()} ${path} ${status}`] };
    const errors: string[] = [];
    const content = found.response.content as Json | undefined;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (content) {
      const served = String(lower['content-type'] ?? 'application/json')
        .split(';')[0]!
        .trim();
      const mediaKey =
        served in content
          ? served
          : 'application/json' in content
            ? 'application/json'
            : Object.keys(content)[0];
      const media = mediaKey ? (content[mediaKey] as Json) : undefined;
      if (media?.schema) {
        const pointer = `${found.pointer}/content/${escapePointer(mediaKey!)}/schema`;
        const fn = this.compile(pointer, media.schema);
        if (!fn(body)) errors.push(...(fn.errors ?? []).map(formatError));
      }
    }
    const declared = (found.response.headers as Json | undefined) ?? {};
    for (const [name, def] of Object.entries(declared)) {
      const value = lower[name.toLowerCase()];
      if (value === undefined) continue;
      const schema = this.deref(def)?.schema as Json | undefined;
      if (!schema) continue;
      const coerced = schema.type === 'integer' || schema.type === 'number' ? Number(value) : value;
      const ok = this.ajv.validate(schema, coerced);
      if (!ok) errors.push(`header ${name}=${value}: ${(this.ajv.errors ?? []).map(formatError).join('; ')}`);
    }
    return { ok: errors.length === 0, errors };
  }
}

function formatError(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;
}

/** Convert a router template (`/2/users/:id/mentions`) to the spec's form (`/2/users/{id}/mentions`). */
export function toSpecPath(template: string): string {
  return template.replace(/:([A-Za-z_]+)/g, '{$1}');
}
