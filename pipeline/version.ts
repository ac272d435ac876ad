/** The tool's name and version, read once from package.json by the caller's request. */
import { readFileSync } from 'node:fs';
import { projectRoot } from './paths.js';
import path from 'node:path';

export function toolVersion(): string {
  const text = readFileSync(path.join(projectRoot(), 'package.json'), 'utf8');
  const parsed: unknown = JSON.parse(text);
  const version =
    parsed !== null && typeof parsed === 'object' && 'version' in parsed
      ? parsed.version
      : undefined;
  return typeof version === 'string' ? version : '0.0.0';
}
