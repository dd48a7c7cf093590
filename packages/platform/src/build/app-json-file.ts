import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { DozenError } from '@dozen/contracts/errors';
import { EMPTY_MANIFEST, readAppJson, type AppJson } from '../core/app-json.js';
import { readRegularFile } from './safe-files.js';

/** Reads app.json from a build directory; strict JSON, errors with line and column. */
export async function readAppJsonFile(buildDir: string): Promise<AppJson> {
  const text = await readRegularFile(buildDir, 'app.json', 1024 * 1024);
  if (text === null) return { manifest: EMPTY_MANIFEST, buildpacks: [], healthchecks: {}, warnings: [] };
  return readAppJson(parseStrictJson(text, 'app.json'));
}

export function parseStrictJson(text: string, name: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return value;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  throw new DozenError('APP_JSON_INVALID', `${name} is not valid JSON: ${what} at line ${line}, column ${column}.`);
}
