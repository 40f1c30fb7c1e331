/**
 * Whether a finding speaks about the PC now. Apart from diagnosis.ts's schemas, so code that only reads findings (the
 * fleet store's grouping) loads no zod (building those schemas costs a command's start tens of ms).
 */
/** A finding that speaks about the PC now: current, or unknown (never past). `state` is diagnosis.ts's FindingState. */
export function isActive(f: { state?: string }): boolean {
  return f.state !== 'past'
}

/** The id of the finding "a newer cumulative update is available" (main/diagnose/behind-newest.ts), here so the
 * fleet's cause table names it without loading the diagnosis or the knowledge tables behind it. */
export const BEHIND_NEWEST_ID = 'newer-update-available'

/** The id of the finding "a newer build is out" whose KB the knowledge does not hold (a CVE record's fixed build): work
 * left with nothing to install blindly, like BEHIND_NEWEST_ID never a cause. */
export const BEHIND_BUILD_ID = 'newer-build-available'

/**
 * Whether a finding (by id) says "a newer update or build is out": work left on a PC that may be healthy, never the
 * cause of a problem. The verification report, the proof and the fleet's causes read it the same way.
 */
export function isWorkLeft(id: string): boolean {
  return id === BEHIND_NEWEST_ID || id === BEHIND_BUILD_ID
}
