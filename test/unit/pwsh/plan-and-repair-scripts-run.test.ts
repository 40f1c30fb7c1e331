/**
 * The other scripts the app gives a person to run, run by PowerShell on the emulated PC: a
 * `plan --script` export (its checkpoint and target by DISM's full path, a restart with its RunOnce continuation) and
 * a repair script from `repairs --script` (the copyable repair block).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc, type StandInCall } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { buildPackage } from './fix-run-helpers.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const dir = tempDirSync('sd-planrun-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const open: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of open) await pc.close()
})
const programs = (calls: readonly StandInCall[]) =>
  calls
    .filter((c) => c.kind === 'program')
    .map((c) => `${c.spec?.name ?? 'not modelled'}: ${c.tool} ${c.args.join(' ')}`)

describe.runIf(ps)('scripts a person runs, run by PowerShell', () => {
  it("plan --script: the checkpoint and the target by DISM's full path, the restart between them with its RunOnce continuation, to the end", {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'arm64-missing-checkpoint'
    const p = await buildPackage(services, dir, machine)
    const { id } = await services.loadSnapshotFile(p.before)
    const plan = await services.install.makePlan({
      ref: { kind: 'snapshot', id },
      kbs: [p.kb!],
      kitDir: join(p.dir, 'kit'),
    })
    const pc = await startEmulatedPc({ machine })
    open.push(pc)
    const script = pc.localPath('C:\\Users\\Public\\plan.ps1')
    writeFileSync(script, powerShellFileText(planToPowerShell(plan)))
    const runs = [await pc.run(script)]
    for (let i = 0; runs[runs.length - 1]!.exitCode === 3010 && i < 4; i++) runs.push((await pc.restart())[0]!)
    const last = runs[runs.length - 1]!
    expect(last.exitCode, `${last.stdout.slice(-1200)}\n${last.stderr.slice(0, 1200)}`).toBe(0)
    const ran = runs.flatMap((r) => programs(r.calls))
    expect(ran.filter((l) => l.startsWith('install.dism-add-package'))).toHaveLength(
      plan.steps.filter((s) => s.kind === 'add-package').length,
    )
    expect(ran.every((l) => !l.startsWith('not modelled'))).toBe(true)
    expect(last.stdout).toMatch(/All steps done/)
  })

  it('repairs --script: the remove-package repair runs DISM and the restart by their full paths', {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'x64-lcu-uninstall-blocked'
    const before = join(dir, `${machine}.zip`)
    writeFileSync(before, await services.collect({ kind: 'training', name: machine }))
    const { id } = await services.loadSnapshotFile(before)
    const ref = { kind: 'snapshot', id } as const
    const offer = (await services.repairs.offers(ref)).offers.find((o) => o.repairId === 'remove-package')!
    const s = await services.repairs.script(ref, offer.repairId)
    const pc = await startEmulatedPc({ machine })
    open.push(pc)
    const script = pc.localPath(`C:\\Users\\Public\\${s.fileName}`)
    writeFileSync(script, powerShellFileText(s.content))
    const r = await pc.run(script)
    expect(r.exitCode, `${r.stdout.slice(-1200)}\n${r.stderr.slice(0, 1200)}`).toBe(0)
    // First the whole-PC checks, read on the PC with the app's own probes (reboot keys, services), then DISM and the restart.
    expect(r.calls.filter((c) => c.kind === 'program').map((c) => [c.tool, c.via, c.spec?.name ?? null])).toEqual([
      ['powershell.exe', 'call-operator', 'reboot.sources'],
      ['powershell.exe', 'call-operator', 'services.state'],
      ['dism.exe', 'call-operator', 'repair.dism-remove-package'],
      ['shutdown.exe', 'call-operator', 'install.restart'],
    ])
  })
})
