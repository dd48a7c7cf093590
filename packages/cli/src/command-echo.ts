import { showControlChars } from './control-chars.js';

/** How long an echoed command may be; Heroku's `Running \`…\` on app` stays on one line too. */
export const ECHO_MAX = 60;

/** A one-off's command as `run` echoes it: on one line, control characters shown, a long one cut with `…`. */
export function echoCommand(words: readonly string[], max = ECHO_MAX): string {
  const text = showControlChars(words.join(' '));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
