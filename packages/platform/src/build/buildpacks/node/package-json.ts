import { DozenError } from '@dozen/contracts/errors';
import type { PackageJson } from '../../../core/package-json.js';
import { readRegularFile } from '../../safe-files.js';

export type { PackageJson };

export async function readPackageJson(buildDir: string): Promise<PackageJson> {
  const text = (await readRegularFile(buildDir, 'package.json', 16 * 1024 * 1024)) ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DozenError('BUILD_FAILED', `package.json is not valid JSON: ${(error as Error).message}.`, {
      hint: 'Fix package.json (for example with `npm pkg fix`) and deploy again.',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DozenError('BUILD_FAILED', 'package.json must hold a JSON object.');
  }
  return parsed as PackageJson;
}

export function hasScript(pkg: PackageJson, name: string): boolean {
  return typeof pkg.scripts?.[name] === 'string';
}
