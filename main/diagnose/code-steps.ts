/**
 * The steps follow the cause. Microsoft's documented steps for a code (the ones `explain` gives: 0x80070BC9's start
 * types of the installer services, 0x800706BE's package install state) reach every finding that cites the code,
 * whichever rule made it, ahead of the generic steps; and a step whose own cause the PC's facts rule out leaves it —
 * "free space on the system drive" for 0x8024001E (whose causes are many) on a PC with 10 GB or more free there.
 */
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import { errorCodeEntry } from '../knowledge/error-codes.ts'
import { remedy } from './finding.ts'
import { known } from './facts.ts'

/** Standard remedies Microsoft documents for particular codes only (error-codes.json), not generic escalation steps. */
const CODE_STEPS = new Set(['R11', 'R12'])
const LOW = 10 * 1024 ** 3

export function withCodeSteps(f: Finding, snapshot: MachineSnapshot | null): Finding {
  const ids = f.codes.flatMap((c) => errorCodeEntry(c)?.remedyIds.filter((id) => CODE_STEPS.has(id)) ?? [])
  const missing = [...new Set(ids)].filter((id) => !f.remedies.some((r) => r.id === id))
  let remedies = missing.length ? [...missing.map((id) => remedy(id)), ...f.remedies] : f.remedies
  const st = known(snapshot?.storage)
  if (st && st.systemDrive.freeBytes >= LOW && f.codes.length && f.codes.every((c) => c === '0x8024001E'))
    remedies = remedies.filter((r) => r.id !== 'R2')
  return remedies === f.remedies ? f : { ...f, remedies }
}
