/** Minimal `--name value` / `--flag` parser for the CLI. */
export interface Flags {
  /** Positional arguments. */
  positional: string[];
  values: Record<string, string | undefined>;
}

export function parseArgs(args: string[]): Flags {
  const out: Flags = { positional: [], values: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out.values[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out.values[arg.slice(2)] = next;
      i++;
    } else {
      out.values[arg.slice(2)] = 'true';
    }
  }
  return out;
}

export function parseFlags(args: string[]): Record<string, string | undefined> {
  return parseArgs(args).values;
}
