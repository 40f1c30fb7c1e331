/** The id of the finding "a newer cumulative update is available" (behind-newest.ts), apart so the fleet's cause
 * table and the CLI's fast paths name it without loading the knowledge tables behind the finding (issue 54). */
export const BEHIND_NEWEST_ID = 'newer-update-available'
