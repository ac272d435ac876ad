/** The one content hash: fingerprints, cache keys, archive manifests. */
import { createHash } from 'node:crypto';

/** Lowercase hex sha256 of `data` (a string is hashed as UTF-8). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
