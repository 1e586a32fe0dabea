/** A wait in whole seconds as people read it: "none", "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function waitText(seconds: number): string {
  if (seconds <= 0) return 'none';
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor(seconds / 3600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'min'],
    [Math.floor(seconds) % 60, 's'],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, unit]) => `${v} ${unit}`)
    .join(' ');
}
