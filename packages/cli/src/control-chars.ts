const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/**
 * Text from apps (log lines, config values) shown on a terminal: every control character but tab
 * is written as `\xNN`, so that no value can move the cursor, clear the screen or set the clipboard.
 */
export function showControlChars(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
