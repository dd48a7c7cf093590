/**
 * `.env` text -> config vars: `KEY=value` lines, `export ` allowed, `#` comments and blank lines
 * skipped, values in single quotes taken as they are, in double quotes with \n, \" and \\ escapes.
 * A line that is not KEY=value is reported with its number (nothing is saved).
 */
export function parseEnvText(text: string): { vars: Record<string, string>; errors: string[] } {
  const vars: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      errors.push(`line ${index + 1}: expected KEY=value`);
      return;
    }
    vars[match[1]!] = unquote(match[2]!);
  });
  return { vars, errors };
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return value.replace(/\s+#.*$/, '');
}

/** Config vars -> `.env` text (values quoted when they need it). */
export function toEnvText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([key, value]) => `${key}=${/^[\w@%+=:,./-]*$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\n')}"`}`)
    .join('\n');
}

/** The change from `current` to `wanted`: set what is new or different, unset (null) what is gone. */
export function configChange(current: Record<string, string>, wanted: Record<string, string>): Record<string, string | null> {
  const change: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(wanted)) if (current[key] !== value) change[key] = value;
  for (const key of Object.keys(current)) if (!(key in wanted)) change[key] = null;
  return change;
}
