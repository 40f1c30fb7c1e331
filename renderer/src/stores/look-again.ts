/**
 * After a run that changed a PC (an install, a WinRE repair, a Fix-it repair) the app looks at the PC again by
 * itself: the machine is scanned and diagnosed afresh (Overview tiles, Packages, History and
 * every screen reading the machine slice), a diagnosis shown for it is made again, a WinRE report or Fix-it offer
 * list loaded before is loaded again, and a report made before the run is dropped so Proof makes a new one. Nobody has to press "Check again".
 */
import { useEffect, useRef } from 'react'
import type { MachineRef } from '../../../preload/model/common.ts'
import { diagnosisStore, machineStore, reportStore } from './index.ts'
import { machineKeyOf } from './report-store.ts'
import { recoveryStore } from './recovery-store.ts'
import { repairStore } from './repair-store.ts'
import { updatesStore } from './updates-store.ts'

const same = (a: MachineRef | null, b: MachineRef | null) =>
  a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b)

export async function lookAgain(machine: MachineRef): Promise<void> {
  if (machine.kind === 'snapshot') return
  const r = reportStore.getState()
  if (r.machineKey === machineKeyOf(machine)) reportStore.setState({ latest: null })
  const m = machineStore.getState()
  if (same(m.machine, machine)) await m.rescan()
  const d = diagnosisStore.getState()
  if (d.result && same(machineStore.getState().machine, machine)) await d.run(machine)
  // The Recovery and Fix-it screens read their own slices: a report or offer list loaded before the run is
  // loaded again (never the one whose run just ended: its end screen stays, it came back with the run).
  const rec = recoveryStore.getState()
  if (same(rec.machine, machine) && rec.report && !rec.run && !rec.running) await rec.load(rec.machine!)
  const rep = repairStore.getState()
  if (same(rep.machine, machine) && rep.offers && !rep.run && !rep.running) await rep.load(rep.machine!, rep.repairId)
  // The Updates screen's chain marks what this PC has installed: drawn again for the same update.
  const up = updatesStore.getState()
  if (same(up.machine, machine) && up.chain && !up.busy) await up.showChain(up.chain.targetKb)
}

/**
 * Looks again once each time `doneKey` changes to a new non-null value (a run id, a journal's verification time):
 * the screens call it with the run they show, so a resumed or repeated run refreshes too.
 */
export function useLookAgainAfter(machine: MachineRef | null, doneKey: string | null): void {
  const last = useRef<string | null>(null)
  useEffect(() => {
    if (!machine || !doneKey || last.current === doneKey) return
    last.current = doneKey
    void lookAgain(machine)
  }, [machine, doneKey])
}
