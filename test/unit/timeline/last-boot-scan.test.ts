/**
 * The last boot is a fact every scan reads: a training machine answers the same command in the
 * captured format, the scan reads it into os.lastBootAt and the timeline, and a restart moves it on.
 */
import { describe, it, expect } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { lastBootOf } from '../../../main/training/state.ts'
import { parseLastBoot } from '../../../main/parse/last-boot.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('last boot', () => {
  it('a training machine answers in the captured format, the scan and the timeline carry it, a restart moves it', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-last-boot-'), platform: 'linux' })
    const machine = { kind: 'training' as const, name: 'x64-pending-restart' }
    const out = await services
      .hostFor(machine)
      .run({ name: 'os.last-boot', file: 'powershell.exe', args: [], timeoutMs: 10_000 })
    // Same shape as the capture: a JSON object whose LastBootUpTime is a CIM datetime.
    expect(out.stdout).toMatch(/^\{"LastBootUpTime":"\d{14}\.\d{6}\+000"\}\r\n$/)
    expect(Object.keys(JSON.parse(loadFixture('last-boot/win32-os-json.txt').text).OS)).toContain('LastBootUpTime')
    const state = services.trainingStore.load('x64-pending-restart')
    expect(parseLastBoot(out.stdout)).toMatchObject({ ok: true, at: lastBootOf(state) })
    const before = await services.scan(machine)
    expect(before.os.status === 'known' && before.os.value.lastBootAt).toBe(lastBootOf(state))
    await services.repairs.run(machine, 'restart')
    const d = await services.diagnose({ machine })
    expect(d.timeline!.lastBootAt! > lastBootOf(state)).toBe(true)
    expect(d.timeline!.events.filter((e) => e.kind === 'boot')).toHaveLength(1)
    expect(
      d.timeline!.events.some((e) => e.kind === 'app-run' && e.run?.repairId === 'restart' && e.run.verified),
    ).toBe(true)
  })
})
