/** The archive is not in a state a publish can build on (damaged, locked, not ours): say so, change nothing. */
export class ArchiveStateError extends Error {
  override name = 'ArchiveStateError';
}
