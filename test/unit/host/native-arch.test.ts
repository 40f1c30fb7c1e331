/** Native architecture decision: the documented cases from servicing-facts §5, plus the probe order through a fake Host. */
import { describe, expect, it } from 'vitest'
import { decideNativeArch, detectNativeArch, nativeArchCommands, IMAGE_FILE_MACHINE } from '../../../main/host/native-arch.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'

const none = { wow64: null, registryProcessorArchitecture: null, cimArchitecture: null }

describe('decideNativeArch', () => {
  it('x64 process on ARM64: processMachine 0, nativeMachine 0xAA64 → native arm64, emulated', () => {
    const d = decideNativeArch({ ...none, nodeArch: 'x64', wow64: { processMachine: 0, nativeMachine: 0xaa64 }, registryProcessorArchitecture: 'ARM64' })
    expect(d).toEqual({ nativeArch: 'arm64', processArch: 'x64', emulated: true, method: 'IsWow64Process2', disagreements: [] })
  })

  it('x86 process under WOW64 on x64 → native x64, process x86, emulated', () => {
    const d = decideNativeArch({ ...none, nodeArch: 'ia32', wow64: { processMachine: IMAGE_FILE_MACHINE.I386, nativeMachine: IMAGE_FILE_MACHINE.AMD64 } })
    expect(d).toMatchObject({ nativeArch: 'x64', processArch: 'x86', emulated: true, method: 'IsWow64Process2' })
  })

  it('native x64 → x64, not emulated', () => {
    const d = decideNativeArch({ ...none, nodeArch: 'x64', wow64: { processMachine: 0, nativeMachine: IMAGE_FILE_MACHINE.AMD64 } })
    expect(d).toMatchObject({ nativeArch: 'x64', processArch: 'x64', emulated: false })
  })

  it('native arm64 process on ARM64 → not emulated', () => {
    expect(decideNativeArch({ ...none, nodeArch: 'arm64', wow64: { processMachine: 0, nativeMachine: 0xaa64 } })).toMatchObject({ nativeArch: 'arm64', emulated: false })
  })

  it('falls back to the Session Manager registry value, then Win32_Processor', () => {
    expect(decideNativeArch({ ...none, nodeArch: 'x64', registryProcessorArchitecture: 'ARM64' })).toMatchObject({ nativeArch: 'arm64', method: 'registry PROCESSOR_ARCHITECTURE', emulated: true })
    expect(decideNativeArch({ ...none, nodeArch: 'x64', cimArchitecture: 12 })).toMatchObject({ nativeArch: 'arm64', method: 'Win32_Processor.Architecture' })
    expect(decideNativeArch({ ...none, nodeArch: 'x64', cimArchitecture: 9 })).toMatchObject({ nativeArch: 'x64', emulated: false })
  })

  it('never decides from process.arch alone', () => {
    expect(decideNativeArch({ ...none, nodeArch: 'x64' })).toEqual({ nativeArch: null, processArch: 'x64', emulated: null, method: null, disagreements: [] })
  })

  it('ignores unknown machine values and reports disagreements', () => {
    const d = decideNativeArch({ nodeArch: 'x64', wow64: { processMachine: 0, nativeMachine: 0x1234 }, registryProcessorArchitecture: 'IA64', cimArchitecture: 9 })
    expect(d).toMatchObject({ nativeArch: 'x64', method: 'Win32_Processor.Architecture' })
    const e = decideNativeArch({ nodeArch: 'x64', wow64: { processMachine: 0, nativeMachine: 0xaa64 }, registryProcessorArchitecture: 'AMD64', cimArchitecture: null })
    expect(e.disagreements).toEqual(['registry PROCESSOR_ARCHITECTURE says x64, IsWow64Process2 says arm64'])
  })
})

/** A Host that answers by command name (the same way a training machine does). */
function fakeHost(answers: Record<string, { stdout: string; exitCode?: number } | Error>): Host & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    info: () => ({ kind: 'training', name: 'fake', title: 'fake', processArch: 'x64', elevated: false }),
    async run(spec: CommandSpec): Promise<CommandResult> {
      asked.push(spec.name)
      const a = answers[spec.name]
      if (a instanceof Error) throw a
      const exitCode = a?.exitCode ?? (a ? 0 : 1)
      return { name: spec.name, exitCode, stdout: a?.stdout ?? '', stderr: a ? '' : 'not answered', ok: exitCode === 0, timedOut: false, cancelled: false, truncated: false, durationMs: 1, commandLine: spec.file }
    },
    openRead: () => Promise.reject(new Error('no')),
    listDir: async () => [],
    exists: async () => false,
  }
}

const REG_ARM64 = '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment\r\n    PROCESSOR_ARCHITECTURE    REG_SZ    ARM64\r\n\r\n'

describe('detectNativeArch', () => {
  it('stops at IsWow64Process2 when it answers', async () => {
    const h = fakeHost({ 'os.iswow64process2': { stdout: '{"processMachine":0,"nativeMachine":43620}\r\n' } })
    const r = await detectNativeArch(h, 'x64', 1234)
    expect(r).toMatchObject({ nativeArch: 'arm64', emulated: true, method: 'IsWow64Process2' })
    expect(h.asked).toEqual(['os.iswow64process2'])
    expect(r.evidence[0].excerpt).toContain('43620')
  })

  it('falls through a failing PowerShell (e.g. blocked by policy) to the registry', async () => {
    const h = fakeHost({ 'os.iswow64process2': { stdout: '', exitCode: 1 }, 'os.processor-architecture-registry': { stdout: REG_ARM64 } })
    const r = await detectNativeArch(h, 'x64', 1234)
    expect(r).toMatchObject({ nativeArch: 'arm64', method: 'registry PROCESSOR_ARCHITECTURE' })
    expect(h.asked).toEqual(['os.iswow64process2', 'os.processor-architecture-registry'])
  })

  it('reaches Win32_Processor last and survives a host that throws', async () => {
    const h = fakeHost({ 'os.iswow64process2': new Error('spawn EPERM'), 'os.win32-processor-architecture': { stdout: '{"Architecture":12}' } })
    const r = await detectNativeArch(h, 'x64', 1234)
    expect(r).toMatchObject({ nativeArch: 'arm64', method: 'Win32_Processor.Architecture' })
    expect(r.evidence[0].excerpt).toMatch(/could not run: spawn EPERM/)
  })

  it('says unknown when nothing answers', async () => {
    const r = await detectNativeArch(fakeHost({}), 'x64', 1)
    expect(r).toMatchObject({ nativeArch: null, method: null })
    expect(r.evidence).toHaveLength(3)
  })

  it('builds the IsWow64Process2 script for our own pid, and a non-integer pid cannot reach the script', () => {
    const s = decodePowerShellScript(nativeArchCommands(4321).wow64.args)
    expect(s).toContain('GetProcessById(4321)')
    expect(s).toContain('IsWow64Process2')
    expect(decodePowerShellScript(nativeArchCommands(Number.NaN).wow64.args)).toContain('if(0 -gt 0)')
  })
})
