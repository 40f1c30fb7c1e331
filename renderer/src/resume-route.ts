/**
 * After a Windows restart main opens the window on a resume route (main/app/resume-args.ts resumeRoute:
 * `#/install?resume=<plan id>`, `#/repair?repair=<id>&resume=1`) for a run on this PC. At start nothing is
 * chosen yet, so the screen takes this PC as its machine — only when the back end has one (the app on Windows);
 * the screen then shows the run and waits for the person's Continue (it never continues the run by itself).
 */
import { useEffect } from 'react'
import { machineStore } from './stores/index.ts'
import type { MachineRef } from '../../preload/model/common.ts'

export function useThisPcForResume(resume: string | null, machine: MachineRef | null): void {
  useEffect(() => {
    if (!resume || machine) return
    void (async () => {
      if (!machineStore.getState().list) await machineStore.getState().loadList()
      const s = machineStore.getState()
      if (s.list?.thisPcAvailable && !s.machine) await s.choose({ kind: 'this-pc' })
    })()
  }, [resume, machine])
}
