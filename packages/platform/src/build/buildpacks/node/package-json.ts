import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';

export interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
}

export async function readPackageJson(buildDir: string): Promise<PackageJson> {
  const text = await readFile(join(buildDir, 'package.json'), 'utf8');
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
