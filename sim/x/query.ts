/**
 * A small evaluator for the X search/stream rule language, enough for listening rules:
 * bare words and "quoted phrases" (case-insensitive, AND by adjacency), OR, parentheses,
 * negation with `-`, `@handle` (mentions), `from:`, `to:`, `lang:`, `is:retweet`, `is:reply`.
 */
export interface MatchableTweet {
  text: string;
  authorHandle: string;
  lang?: string;
  isRetweet?: boolean;
  inReplyToHandle?: string;
  isReply?: boolean;
}

type Node =
  | { kind: 'term'; value: string; phrase: boolean }
  | { kind: 'op'; name: string; value: string }
  | { kind: 'not'; node: Node }
  | { kind: 'and' | 'or'; nodes: Node[] };

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(-?"[^"]*"|\(|\)|-?[^\s()"]+)/gy;
  let m: RegExpExecArray | null;
  while (true) {
    m = re.exec(q);
    if (!m) break;
    if (m[1]) tokens.push(m[1]);
  }
  return tokens;
}

export class QueryError extends Error {}

export function parseQuery(q: string): Node {
  const tokens = tokenize(q);
  let i = 0;
  const parseOr = (): Node => {
    const nodes = [parseAnd()];
    while (tokens[i] === 'OR') {
      i++;
      nodes.push(parseAnd());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
  };
  const parseAnd = (): Node => {
    const nodes: Node[] = [];
    while (i < tokens.length && tokens[i] !== ')' && tokens[i] !== 'OR') nodes.push(parseUnary());
    if (nodes.length === 0) throw new QueryError('empty clause');
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  };
  const parseUnary = (): Node => {
    const tok = tokens[i++]!;
    if (tok === '(') {
      const inner = parseOr();
      if (tokens[i++] !== ')') throw new QueryError('unbalanced parentheses');
      return inner;
    }
    if (tok.startsWith('-') && tok.length > 1) {
      tokens[--i] = tok.slice(1);
      return { kind: 'not', node: parseUnary() };
    }
    if (tok.startsWith('"')) return { kind: 'term', value: tok.slice(1, -1).toLowerCase(), phrase: true };
    const op = /^(from|to|lang|is):(.+)$/.exec(tok);
    if (op) return { kind: 'op', name: op[1]!, value: op[2]!.toLowerCase() };
    return { kind: 'term', value: tok.toLowerCase(), phrase: false };
  };
  if (tokens.length === 0) throw new QueryError('empty query');
  const node = parseOr();
  if (i !== tokens.length) throw new QueryError(`unexpected "${tokens[i]}"`);
  return node;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[@#]?[\p{L}\p{N}_'-]+/gu) ?? []);
}

function evaluate(node: Node, t: MatchableTweet, lower: string, ws: Set<string>): boolean {
  switch (node.kind) {
    case 'term':
      if (node.phrase) return lower.includes(node.value);
      return ws.has(node.value) || (node.value.startsWith('#') ? false : ws.has(`#${node.value}`));
    case 'op':
      if (node.name === 'from') return t.authorHandle.toLowerCase() === node.value.replace(/^@/, '');
      if (node.name === 'to') return (t.inReplyToHandle ?? '').toLowerCase() === node.value.replace(/^@/, '');
      if (node.name === 'lang') return (t.lang ?? '').toLowerCase() === node.value;
      if (node.value === 'retweet') return !!t.isRetweet;
      if (node.value === 'reply') return !!t.isReply;
      return false;
    case 'not':
      return !evaluate(node.node, t, lower, ws);
    case 'and':
      return node.nodes.every((n) => evaluate(n, t, lower, ws));
    case 'or':
      return node.nodes.some((n) => evaluate(n, t, lower, ws));
  }
}

export function compileQuery(q: string): (t: MatchableTweet) => boolean {
  const node = parseQuery(q);
  return (t) => evaluate(node, t, t.text.toLowerCase(), words(t.text));
}
