/**
 * The verdict's "behind" findings name builds of the PC's own branch only, for every serviced branch: updates and CVE
 * records are shared (Windows 10 21H2 and 22H2 share 1904x; Windows 11 24H2, 25H2 and Server 2025 share 26100), and a
 * 21H2 PC must never be told a 22H2 build. Each branch is judged on 2026-11-27 far behind (UBR 1: the newest update is
 * offered) and at its newest update with a KB (behind the build known without its KB).
 */
import { describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { behindNewest } from '../../../main/diagnose/behind-newest.ts'
import { osContext } from '../../../main/diagnose/facts.ts'
import {
  allBranches,
  allKnownUpdates,
  branchForBuild,
  newestBuildForBranch,
  newestUpdateForBranch,
} from '../../../main/knowledge/servicing-chains.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

const CHECKPOINTS = new Set(
  allKnownUpdates()
    .filter((u) => u.checkpoint)
    .map((u) => `${u.baseBuild}.${u.ubr}`),
)
const SERVICED = allBranches().filter((b) => newestBuildForBranch(b.id) !== null)

describe("the behind findings name the PC's own branch's builds only", () => {
  it('covers every branch with a newest build (11)', () => {
    expect(SERVICED.length).toBe(11)
  })

  for (const branch of SERVICED) {
    it(`${branch.id}`, async () => {
      const services = createServices({ dataDir: tempDirSync('sd-behind-own-') })
      const s = await services.scan({ kind: 'training', name: 'x64-healthy' })
      if (s.os.status !== 'known') throw new Error('training snapshot without OS facts')
      const server = branch.id.startsWith('server-')
      const build = branch.builds[0]!
      const withKb = newestUpdateForBranch(branch.id)?.ubr ?? 1
      for (const ubr of [1, withKb]) {
        const value = {
          ...s.os.value,
          build,
          ubr,
          version: `10.0.${build}.${ubr}`,
          displayVersion: branch.displayVersion,
          productName: server ? `${branch.product} Datacenter` : `${branch.product} Pro`,
          edition: server ? 'ServerDatacenter' : 'Professional',
        }
        expect(branchForBuild(build, osContext(value))?.id, `${branch.id} UBR ${ubr}`).toBe(branch.id)
        const snap: MachineSnapshot = { ...s, takenAt: '2026-11-27T10:00:00Z', os: { ...s.os, value } }
        const findings = behindNewest([], snap, null)
        expect(findings.length, `${branch.id} UBR ${ubr}`).toBeGreaterThan(0)
        // Not vacuous: at the newest update with a KB, the finding names the branch's newest build.
        if (ubr === withKb)
          expect(findings.map((f) => f.title).join('\n')).toContain(`${build}.${newestBuildForBranch(branch.id)!.ubr}`)
        for (const f of findings) {
          const text = [f.title, f.technical, ...f.causes, ...f.remedies.map((r) => r.text)].join('\n')
          const other = [...text.matchAll(/\b(?:10\.0\.)?(\d{5})\.(\d{1,5})\b/g)].filter(
            (m) =>
              Number(m[1]) !== build &&
              allBranches().some((b) => b.builds.includes(Number(m[1]))) &&
              !CHECKPOINTS.has(m[0].replace(/^10\.0\./, '')),
          )
          expect(
            other.map((m) => m[0]),
            `${branch.id} UBR ${ubr}: ${text}`,
          ).toEqual([])
        }
      }
    })
  }
})
