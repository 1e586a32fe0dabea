/** Tiny `--flag value` parser shared by the classify and model commands. */
export function parseFlags(args: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) flags.set(a.slice(2), args[++i]!);
      else flags.set(a.slice(2), 'true');
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}
