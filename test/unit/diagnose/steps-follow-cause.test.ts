/**
 * The steps follow the cause: Microsoft's documented steps that `explain` gives reach `diagnose`, a disk-full code
 * names the volume that was full (never "C: has only 392.9 GB free"), a secondary code's remedy fits its own cause,
 * and WinRE's steps are listed in the order they run — on real captures and the training PCs' scans.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import { readFileSync } from 'node:fs'
import { createServices } from '../../../main/services.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import data from '../../../main/knowledge/data/error-codes.json' with { type: 'json' }
import { tempDirSync } from '../temp-dirs.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'

const body = (path: string) => {
  const t = readFileSync(path, 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}
const services = createServices({ dataDir: tempDirSync('sd-steps-'), platform: 'linux' })
let healthy: MachineSnapshot
let winreFull: MachineSnapshot

beforeAll(async () => {
  healthy = await services.scan({ kind: 'training', name: 'x64-healthy' })
  winreFull = await services.scan({ kind: 'training', name: 'x64-winre-partition-full' })
})

describe("Microsoft's steps for a code reach diagnose", () => {
  it("0x80070BC9 in Microsoft's own CBS.log excerpt: the installer services' start types are checked first", () => {
    const text = body(
      'test/fixtures/corpus-causes/cbs-log/en-msdocs-0x80070bc9-pending-transaction-fail-reboot-required.log',
    )
    const f = diagnose({ text }).findings.find((x) => x.codes.includes('0x80070BC9'))!
    expect(f.remedies[0]!.id).toBe('R11')
    expect(f.remedies[0]!.commands.join('\n')).toMatch(/TrustedInstaller, msiserver/)
  })
  it('every code: the remedies explain gives are among those of the finding diagnose makes for it', () => {
    const missing: string[] = []
    for (const e of data.codes) {
      const x = explain(e.code)
      if (!x.ok) continue
      const f = diagnose({ code: e.code }).findings.find((d) => d.codes.includes(e.code))
      if (!f) continue
      for (const r of x.value.remedies.filter((r) => r.id === 'R11' || r.id === 'R12'))
        if (!f.remedies.some((d) => d.id === r.id)) missing.push(`${e.code}: ${r.title}`)
    }
    expect(missing).toEqual([])
    const rpc = diagnose({ code: '0x800706BE' }).findings[0]!
    expect(rpc.remedies[0]!.title).toBe('Read the install state of the update packages')
  })
})

describe('a space failure names the volume that was full', () => {
  const takondo = body(
    'test/fixtures/corpus-causes/dism-output/en-winreupdate-1-dism-save-image-error-112-recovery-partition-full.txt',
  )
  it('ERROR_DISK_FULL on a PC whose C: has room is not "C: has only … free"', () => {
    // The scan of this PC: 392.9 GB free on C:, every partition with room; the text speaks of the recovery partition.
    const f = diagnose({ snapshot: healthy, text: takondo }).findings.find((x) => x.id === 'low-disk-space')!
    expect(f.title).not.toMatch(/has only/)
    expect(f.title).toBe('The recovery partition most likely ran out of space (drive C: has 392.9 GB free)')
    expect(f.remedies.map((r) => r.id)).toEqual(['find-full-volume'])
    const bare = diagnose({ snapshot: healthy, code: '0x80070070' }).findings.find((x) => x.id === 'low-disk-space')!
    expect(bare.title).toBe('A disk other than drive C: ran out of space (C: has 392.9 GB free)')
  })
  it('with the recovery partition measured full, it is named', () => {
    const f = diagnose({ snapshot: winreFull, text: takondo }).findings.find((x) => x.id === 'low-disk-space')!
    expect(f.title).toBe('The recovery partition ran out of space (83 MB free); drive C: has room')
  })
  it('0x8024001E on a PC with room on C: is not "free space"', () => {
    const out = diagnose({ snapshot: healthy, code: '0x8024001E' })
    const f = out.findings.find((x) => x.codes.includes('0x8024001E'))!
    expect(f.id).not.toBe('low-disk-space')
    expect(f.remedies.map((r) => r.id)).not.toContain('R2')
    expect(f.remedies[0]!.id).toBe('R3')
  })
})

describe("WinRE's steps in the order they run", () => {
  it('make room on the recovery partition, then install the WinRE update (the gate keeps the follow-up after it)', async () => {
    const out = await services.diagnose({ machine: { kind: 'training', name: 'x64-winre-partition-full' } })
    const f = out.findings.find((x) => x.id === 'winre-partition-too-small')!
    const titles = f.remedies.map((r) => r.title)
    expect(titles.indexOf('Make room for WinRE')).toBeGreaterThanOrEqual(0)
    expect(titles.indexOf('Make room for WinRE')).toBeLessThan(titles.indexOf('Then install the WinRE update again'))
  })
})
