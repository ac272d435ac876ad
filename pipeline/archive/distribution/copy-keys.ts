/**
 * The Info keys of a distribution copy, apart from stamp.ts so that `memo identify`
 * reads them without loading the stamp's font engine.
 */

/** Information dictionary keys of a copy (custom keys, ISO 32000-1, 14.3.3). */
export const COPY_KEYS = {
  memo: 'MemoPressMemo',
  version: 'MemoPressVersion',
  copy: 'MemoPressCopy',
  of: 'MemoPressCopies',
  recipient: 'MemoPressRecipient',
} as const;
