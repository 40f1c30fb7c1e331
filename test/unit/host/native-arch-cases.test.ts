/**
 * The documented native-architecture cases (servicing-facts §5) against the OS probe's decision function,
 * and the OEM-code-page/PowerShell helpers WindowsHost relies on.
 */
import { describe, expect, it } from 'vitest'
import { decideNativeArch, parseNativeArchJson } from '../../../main/parse/native-arch.ts'
import { archFromNodeArch } from '../../../main/host/windows-host.ts'
import {
  decodePowerShellScript,
  encodePowerShell,
  powershellSpec,
  POWERSHELL_PRELUDE,
} from '../../../main/host/powershell.ts'

const probe = (o: Record<string, unknown>) => parseNativeArchJson(JSON.stringify(o))

describe('native architecture, documented cases', () => {
  it('x64 process on ARM64: processMachine 0, nativeMachine 0xAA64 → native arm64, emulated', () => {
    const d = decideNativeArch(
      probe({ ok: true, processMachine: 0, nativeMachine: 0xaa64, sessionManagerArch: 'ARM64', envArch: 'AMD64' }),
    )
    expect(d).toMatchObject({ nativeArch: 'arm64', method: 'IsWow64Process2', disagreements: [] })
    expect(d.nativeArch !== archFromNodeArch('x64')).toBe(true)
  })

  it('x86 process under WOW64 on x64 → native x64', () => {
    const d = decideNativeArch(probe({ ok: true, processMachine: 0x14c, nativeMachine: 0x8664, envArch: 'x86' }))
    expect(d).toMatchObject({ nativeArch: 'x64', method: 'IsWow64Process2' })
    expect(archFromNodeArch('ia32')).toBe('x86')
  })

  it('native x64 → x64, not emulated', () => {
    const d = decideNativeArch(probe({ ok: true, processMachine: 0, nativeMachine: 0x8664 }))
    expect(d.nativeArch).toBe('x64')
    expect(d.nativeArch === archFromNodeArch('x64')).toBe(true)
  })

  it('never decides from the process environment alone', () => {
    expect(decideNativeArch(probe({ ok: false, envArch: 'AMD64' })).nativeArch).toBeNull()
  })

  it('falls back to the registry, then CIM, and reports disagreement', () => {
    expect(decideNativeArch(probe({ ok: false, sessionManagerArch: 'ARM64', cimArchitecture: 12 })).nativeArch).toBe(
      'arm64',
    )
    expect(decideNativeArch(probe({ ok: false, cimArchitecture: 12 })).method).toBe('Win32_Processor.Architecture')
    expect(
      decideNativeArch(probe({ ok: true, processMachine: 0, nativeMachine: 0xaa64, sessionManagerArch: 'AMD64' }))
        .disagreements,
    ).toHaveLength(1)
  })
})

describe('powershellSpec', () => {
  it('carries the script as -EncodedCommand (UTF-16LE base64) after a UTF-8 prelude', () => {
    const spec = powershellSpec('t.ps', 'Write-Output \'a "b" & c; $(x)\'', 5000)
    expect(spec.args.slice(0, 6)).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ])
    expect(spec.outputEncoding).toBe('utf8')
    expect(Buffer.from(spec.args[6], 'base64').toString('utf16le').startsWith(POWERSHELL_PRELUDE)).toBe(true)
    expect(decodePowerShellScript(spec.args)).toBe('Write-Output \'a "b" & c; $(x)\'')
    expect(encodePowerShell('A')).toBe('QQA=')
    expect(decodePowerShellScript(['-Command', 'x'])).toBeNull()
  })
})
