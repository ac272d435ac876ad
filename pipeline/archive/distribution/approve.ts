/** `memo approve`: record the approval, then rebuild the archive index, which shows it. */
import { loadIndexKit, recordVersions } from '../index-page.js';
import { approveVersion } from './approvals.js';
import type { ApproveRequest, Approved } from './approvals.js';

export async function approve(request: ApproveRequest): Promise<Approved> {
  const approved = await approveVersion(request);
  if (approved.added)
    await recordVersions(request.archive, [], await loadIndexKit(), request.lock ?? {});
  return approved;
}
