/**
 * The boxes of the steps that had no kind, run as shown on the emulated PC (real PowerShell, the cmd interpreter of the
 * box tests): the services-disabled remedy — sc qc (the start type read first), sc config back to the default, net
 * start — on a PC whose Windows Update service was disabled, the not-installed remedy's sc query of the update
 * services, and the ESU licence check (slmgr.vbs /dlv all). The
 * programs answer from the training model in Windows' own words (test/pwsh/shown-programs.ts), and sc config changes
 * the model.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc } from '../../pwsh/harness.ts'
import { cmdStep, type CmdPc } from '../../pwsh/cmd-line.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const open: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of open) await pc.close()
})

const cmdPc = (pc: EmulatedPc): CmdPc => ({
  env: { SystemRoot: 'C:\\Windows', windir: 'C:\\Windows', SystemDrive: 'C:' },
  cwd: 'C:\\Windows\\System32',
  drives: ['C'],
  localPath: (w) => pc.localPath(w),
})

/** Each line as a person pastes it into an elevated Command Prompt: its output, or the error that stopped it. */
async function runLines(pc: EmulatedPc, lines: string[]): Promise<{ stdout: string; stderr: string }> {
  const body = lines.map((l, i) => {
    const st = cmdStep(l, cmdPc(pc), `line ${i + 1}`)
    if (st.kind !== 'run') throw new Error(`skipped: ${l} (${st.reason})`)
    return st.ps
  })
  const file = pc.localPath('C:\\Users\\Public\\lines.ps1')
  writeFileSync(file, powerShellFileText(['$ErrorActionPreference = "Stop"', ...body].join('\n')))
  const r = await pc.run(file)
  return { stdout: r.stdout, stderr: r.stderr }
}

describe.runIf(ps)('the boxes of the new step kinds run as shown on the emulated PC', () => {
  it('a disabled Windows Update service: sc qc reads DISABLED, sc config sets the default back, net start starts it', {
    timeout: hangMs(300_000),
  }, async () => {
    const pc = await startEmulatedPc({ machine: 'x64-healthy' })
    open.push(pc)
    // The PC as the finding finds it: the service disabled and stopped (a "debloat" tool's work).
    await runLines(pc, ['sc config wuauserv start= disabled', 'net stop wuauserv'])
    expect(pc.state().services.find((s) => s.name === 'wuauserv')).toMatchObject({
      startType: 'Disabled',
      status: 'Stopped',
    })
    const f = diagnose({
      text: 'Windows Update: There were problems installing some updates. One of the update services is not running properly.',
    }).findings.find((x) => x.id === 'services-disabled')!
    const box = f.remedies.find((r) => r.id === 'enable-services')!.commands
    expect(box).toHaveLength(7)
    const r = await runLines(pc, box)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(
      /\[SC\] QueryServiceConfig SUCCESS\s+SERVICE_NAME: wuauserv[\s\S]*START_TYPE\s+: 4\s+DISABLED/,
    )
    expect(r.stdout).toMatch(/START_TYPE\s+: 2\s+AUTO_START\s+\(DELAYED\)/)
    expect(r.stdout.match(/\[SC\] ChangeServiceConfig SUCCESS/g)).toHaveLength(3)
    const svc = (n: string) => pc.state().services.find((s) => s.name === n)!
    expect(svc('wuauserv')).toMatchObject({ startType: 'Manual', status: 'Running' })
    expect(svc('bits').startType).toBe('Manual')
    expect(svc('cryptsvc').startType).toBe('Automatic')
    // A service the PC does not have is sc's error 1060, and the box stops there.
    await expect(runLines(pc, ['sc qc nosuchsvc'])).resolves.toMatchObject({
      stdout: expect.stringMatching(/OpenService FAILED 1060/),
    })
  })

  it('a service that is not installed: sc query reads each update service, and a missing one is error 1060', {
    timeout: hangMs(300_000),
  }, async () => {
    const pc = await startEmulatedPc({ machine: 'x64-healthy' })
    open.push(pc)
    const f = diagnose({ code: '0x80070424' }).findings.find((x) => x.id === 'services-disabled:not-installed')!
    const box = f.remedies.find((r) => r.id === 'check-services-exist')!.commands
    const r = await runLines(pc, box)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(
      /SERVICE_NAME: wuauserv\s+TYPE\s+: 20\s+WIN32_SHARE_PROCESS\s+STATE\s+: [14]\s+(?:RUNNING|STOPPED)/,
    )
    expect(r.stdout).toMatch(/SERVICE_NAME: bits/)
    await expect(runLines(pc, ['sc query nosuchsvc'])).resolves.toMatchObject({
      stdout: expect.stringMatching(
        /OpenService FAILED 1060:\s+The specified service does not exist as an installed service\./,
      ),
    })
  })

  it("the ESU licence check prints the Windows product's licence as slmgr.vbs /dlv does", {
    timeout: hangMs(300_000),
  }, async () => {
    const pc = await startEmulatedPc({ machine: 'x64-winre-partition-full' })
    open.push(pc)
    const r = await runLines(pc, [
      '%SystemRoot%\\System32\\cscript.exe //nologo %SystemRoot%\\System32\\slmgr.vbs /dlv all',
    ])
    expect(r.stdout).toMatch(/^Software licensing service version: 10\.0\.19045\.3803\r?\n/)
    expect(r.stdout).toMatch(
      /Name: Windows\(R\), Professional edition\r?\nDescription: Windows\(R\) Operating System, RETAIL channel/,
    )
    expect(r.stdout).toMatch(/License Status: Licensed/)
  })
})
