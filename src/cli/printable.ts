/** Text from posts and admins for the terminal: one line, no control characters (an escape stays text). */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
export const printable = (s: string) => oneLine(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
