/**
 * Every text the whole-PC plan and the diagnosis show for a PC names builds of that PC's own branch only: records and
 * updates are shared between branches (Windows 10 21H2 and 22H2 share 1904x and one record; Windows 11 24H2 and Server
 * 2025 share 26100), and a note quoting a shared source whole would give a 23H2 PC a Windows 10 build. Checked on every
 * training machine, judged on 2026-11-27 (after the November 2026 Patch Tuesday, whose builds are known without KBs).
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { composePcPlan } from '../../../main/pc-plan/compose.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { allBranches, allKnownUpdates } from '../../../main/knowledge/servicing-chains.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { planParts } from './plan-input.ts'

/** Builds of serviced branches (10.0.B.U or B.U with B a branch's build number) a text names. */
const SERVICED = new Set(allBranches().flatMap((b) => b.builds))
const buildsIn = (s: string) =>
  [...s.matchAll(/\b(?:10\.0\.)?(\d{5})\.(\d{1,5})\b/g)]
    .map((m) => ({ base: Number(m[1]), text: m[0] }))
    .filter((b) => SERVICED.has(b.base))
/** A checkpoint's build is the same on every branch it serves (KB5043080 is 26100.1742 on 25H2 too). */
const CHECKPOINTS = new Set(
  allKnownUpdates()
    .filter((u) => u.checkpoint)
    .map((u) => `${u.baseBuild}.${u.ubr}`),
)

describe("the plan and the diagnosis name the PC's own branch's builds only", () => {
  const services = createServices({ dataDir: tempDirSync('sd-own-branch-') })
  for (const p of trainingProfiles) {
    it(`${p.name}`, async () => {
      const ref: MachineRef = { kind: 'training', name: p.name }
      const { input, diagnosis: d } = await planParts(services, ref, '2026-11-27T10:00:00.000Z')
      const own = input.snapshot.os.status === 'known' ? input.snapshot.os.value.build : null
      if (typeof own !== 'number' || !SERVICED.has(own)) return
      const plan = composePcPlan(input)
      const texts = [
        ...plan.notes,
        ...plan.steps.flatMap((s) => [s.title, s.why, ...(s.instructions ?? [])]),
        ...d.findings
          .filter((f) => f.id === 'newer-build-available' || f.id.startsWith('behind'))
          .flatMap((f) => [f.title, f.technical, ...f.causes, ...f.remedies.map((r) => r.text)]),
      ]
      for (const t of texts) {
        // WinRE's own version is its image's build (23H2's WinRE is 22621.x, 25H2's is 26100.x): not a branch's build.
        const other = buildsIn(
          t.replace(/WinRE (?:image )?10\.0\.\d+\.\d+(?: is older than 10\.0\.\d+\.\d+)?/g, 'WinRE'),
        ).filter((b) => b.base !== own && !CHECKPOINTS.has(b.text.replace(/^10\.0\./, '')) && !/\.0$/.test(b.text))
        expect(
          other.map((b) => b.text),
          `${p.name} (build ${own}): ${t}`,
        ).toEqual([])
      }
    })
  }
})
