import { DozenError } from '@dozen/contracts/errors';

/**
 * $VISUAL / $EDITOR as argv, without a shell: words split on whitespace, 'single' and "double"
 * quotes group, a backslash escapes the next character (`code --wait`, `"/opt/My Editor/ed" -w`).
 */
export function editorArgv(env: Record<string, string | undefined>): string[] {
  const text = env.VISUAL || env.EDITOR || 'vi';
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i] as string;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + (text[++i] as string);
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote !== null) throw new DozenError('CLI_USAGE', `$EDITOR (${JSON.stringify(text)}) has an unclosed ${quote} quote.`, { hint: 'Set EDITOR to the editor command, e.g. EDITOR="code --wait".' });
  if (word !== null) words.push(word);
  if (words.length === 0) throw new DozenError('CLI_USAGE', '$EDITOR is empty.', { hint: 'Set EDITOR to the editor command, e.g. EDITOR=vi.' });
  return words;
}
