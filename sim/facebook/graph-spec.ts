/**
 * Checks Graph API nodes against the codegen node specs in ../shared/specs/facebook/graph-api-specs
 * (each a list of {name, type} fields): every field a node carries must be declared, with a value
 * of the declared type (string, datetime, bool, int / unsigned int, float, list<…>, Object or a
 * node type such as Comment or Profile).
 */
import { readFileSync } from 'node:fs';
import { specFile } from '../shared/spec-validator.ts';

interface NodeSpec {
  fields: { name: string; type: string }[];
  apis: {
    method: string;
    endpoint?: string;
    return?: string;
    params?: { name: string; type: string; required?: boolean }[];
  }[];
}

export function readNodeSpec(node: string): NodeSpec {
  return JSON.parse(readFileSync(specFile(`facebook/graph-api-specs/${node}.json`), 'utf8')) as NodeSpec;
}

export function readEnum(name: string): string[] {
  const all = JSON.parse(readFileSync(specFile('facebook/graph-api-specs/enum_types.json'), 'utf8')) as {
    name: string;
    values: string[];
  }[];
  return all.find((e) => e.name === name)?.values ?? [];
}

const GRAPH_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;

function typeOk(type: string, value: unknown): boolean {
  if (type.startsWith('list')) return Array.isArray(value);
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'datetime':
      return typeof value === 'string' && GRAPH_DATETIME.test(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      return Number.isInteger(value);
    case 'unsigned int':
      return Number.isInteger(value) && (value as number) >= 0;
    case 'float':
      return typeof value === 'number';
    default:
      // Object and node types (Comment, Profile, Application…) are JSON objects.
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** Problems with one node; nested node-typed fields (e.g. Comment.parent) are checked too. */
export function checkNode(nodeType: string, node: Record<string, unknown>, path = nodeType): string[] {
  const spec = readNodeSpec(nodeType);
  const declared = new Map(spec.fields.map((f) => [f.name, f.type]));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const type = declared.get(key);
    if (!type) problems.push(`${path}.${key}: not a ${nodeType} field`);
    else if (!typeOk(type, value))
      problems.push(`${path}.${key}: expected ${type}, got ${JSON.stringify(value)}`);
    else if (
      /^[A-Z]/.test(type) &&
      type !== 'Object' &&
      value &&
      typeof value === 'object' &&
      isKnownNode(type)
    ) {
      problems.push(...checkNode(type, value as Record<string, unknown>, `${path}.${key}`));
    }
  }
  return problems;
}

const isKnownNode = (type: string) =>
  ['Comment', 'PagePost', 'Post', 'Profile', 'UnifiedThread'].includes(type);
