/**
 * A written repair script re-reads the whole PC where and when it runs (main/repair/whole-pc-guard.ts), in real
 * PowerShell on the emulated PC: the script was written while the PC allowed the repair; by the time it runs,
 * servicing has started (RebootInProgress, TrustedInstaller running) or BitLocker protects it with the TPM only. The
 * script refuses before it changes anything — the services are not stopped, no folder is renamed, no Secure Boot value
 * is written. Red before the guard: the scripts ran their steps.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc, type StandInCall } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const dir = tempDirSync('sd-wholepc-run-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const open: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of open) await pc.close()
})
const changed = (calls: readonly StandInCall[]) =>
  calls
    .filter(
      (c) => c.kind === 'program' && !/^(reboot\.sources|services\.state|storage\.layout)$/.test(c.spec?.name ?? ''),
    )
    .map((c) => c.spec?.name ?? c.tool)

async function scriptFor(machine: string, repairId: string): Promise<string> {
  const zip = join(dir, `${machine}.zip`)
  writeFileSync(zip, await services.collect({ kind: 'training', name: machine }))
  const { id } = await services.loadSnapshotFile(zip)
  return (await services.repairs.script({ kind: 'snapshot', id }, repairId)).content
}

describe.runIf(ps)('a written repair script checks the whole PC on the PC first (real PowerShell)', () => {
  it('the Windows Update reset refuses when servicing is mid-way by the time it runs: nothing stopped, nothing renamed', {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'x64-wu-components-broken'
    const content = await scriptFor(machine, 'reset-wu-components')
    const pc = await startEmulatedPc({ machine })
    open.push(pc)
    const s = pc.state()
    s.reboot.cbsRebootInProgress = true
    for (const svc of s.services) if (/^trustedinstaller$/i.test(svc.name)) svc.status = 'Running'
    pc.store.save(s)
    const file = pc.localPath('C:\\Users\\Public\\reset.ps1')
    writeFileSync(file, powerShellFileText(content))
    const r = await pc.run(file)
    expect(r.exitCode).not.toBe(0)
    expect(`${r.stdout}\n${r.stderr}`).toMatch(
      /in the middle of servicing[\s\S]*RebootInProgress[\s\S]*TrustedInstaller/,
    )
    expect(changed(r.calls)).toEqual([])
    expect(r.calls.some((c) => c.kind !== 'program' && /Rename/i.test(c.tool))).toBe(false)
    expect(pc.state().wuFolders).toEqual(s.wuFolders)
  })

  it('the Secure Boot update refuses when BitLocker has only the TPM by the time it runs: no AvailableUpdates written, no task run', {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'x64-secureboot-2011'
    const content = await scriptFor(machine, 'secure-boot-update')
    const pc = await startEmulatedPc({ machine })
    open.push(pc)
    const s = pc.state()
    s.bitlocker = { ...s.bitlocker, protectionStatus: 'On', tpmProtector: true, recoveryPassword: false }
    pc.store.save(s)
    const file = pc.localPath('C:\\Users\\Public\\secureboot.ps1')
    writeFileSync(file, powerShellFileText(content))
    const r = await pc.run(file)
    expect(r.exitCode).not.toBe(0)
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/TPM only/)
    expect(changed(r.calls)).toEqual([])
  })

  it('with a recovery password beside the TPM the same script runs its steps', {
    timeout: hangMs(600_000),
  }, async () => {
    const machine = 'x64-secureboot-2011'
    const content = await scriptFor(machine, 'secure-boot-update')
    const pc = await startEmulatedPc({ machine })
    open.push(pc)
    const file = pc.localPath('C:\\Users\\Public\\secureboot-ok.ps1')
    writeFileSync(file, powerShellFileText(content))
    const r = await pc.run(file)
    expect(changed(r.calls)).toContain('repair.secureboot-available-updates')
  })
})
