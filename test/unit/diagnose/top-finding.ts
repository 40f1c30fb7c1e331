/**
 * The id of the finding `diagnose` ranks first for a pasted text among those that hold now (no note, no history), or
 * 'none': what a person pasting the text is told first. Shared by the tests of causes told in words.
 */
import { diagnose } from '../../../main/diagnose/diagnose.ts'

export const topFindingId = (text: string): string =>
  diagnose({ text }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')?.id ?? 'none'
