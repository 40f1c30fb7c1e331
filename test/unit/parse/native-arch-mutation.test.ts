/**
 * The native-architecture decision line by line (mutation testing). The probe JSON is what our own
 * PowerShell script prints (main/host), so the cases are its fields one at a time, their absence, and
 * hostile values; the IMAGE_FILE_MACHINE_* and PROCESSOR_ARCHITECTURE_* numbers are servicing-facts §5.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { NativeArchProbe } from '../../../main/parse/native-arch.ts'

type M0 = typeof import('../../../main/parse/native-arch.ts')
let archFromEnvWord: M0['archFromEnvWord'],
  decideNativeArch: M0['decideNativeArch'],
  parseNativeArchJson: M0['parseNativeArchJson']
// A fresh module per test-file run (vi.resetModules): module-level tables and patterns are evaluated again, so
// Stryker's static mutants in them are active too.
beforeAll(async () => {
  vi.resetModules()
  ;({ archFromEnvWord, decideNativeArch, parseNativeArchJson } = await import('../../../main/parse/native-arch.ts'))
})

const none: NativeArchProbe = {
  isWow64Process2Ok: null,
  processMachine: null,
  nativeMachine: null,
  sessionManagerArch: null,
  cimArchitecture: null,
  envArch: null,
}
const REG = 'Session Manager\\Environment PROCESSOR_ARCHITECTURE'
const CIM = 'Win32_Processor.Architecture'

describe('parseNativeArchJson', () => {
  it('reads every field of the probe, trimming the words', () => {
    expect(
      parseNativeArchJson(
        '  {"ok":true,"processMachine":0,"nativeMachine":43620,"sessionManagerArch":" ARM64 ","cimArchitecture":12,"envArch":"AMD64"}\n',
      ),
    ).toEqual({
      isWow64Process2Ok: true,
      processMachine: 0,
      nativeMachine: 0xaa64,
      sessionManagerArch: 'ARM64',
      cimArchitecture: 12,
      envArch: 'AMD64',
    })
    expect(parseNativeArchJson('{"ok":false}').isWow64Process2Ok).toBe(false)
  })

  it('gives all-null for output that is not a JSON object, and null for each field of the wrong type', () => {
    const bad = ['', 'not json', 'null', '5', '"text"', 'true']
    for (const t of bad) expect(parseNativeArchJson(t)).toEqual(none)
    expect(bad).toHaveLength(6)
    expect(
      parseNativeArchJson(
        '{"ok":"true","processMachine":"0","nativeMachine":"43620","sessionManagerArch":12,"cimArchitecture":"12","envArch":"  "}',
      ),
    ).toEqual(none)
    expect(parseNativeArchJson('{"sessionManagerArch":"","envArch":false}')).toEqual(none)
  })
})

describe('archFromEnvWord', () => {
  const cases: Array<[string | null | undefined, string | null]> = [
    ['AMD64', 'x64'],
    ['amd64', 'x64'],
    ['X64', 'x64'],
    ['x64', 'x64'],
    [' x86 ', 'x86'],
    ['X86', 'x86'],
    ['ARM64', 'arm64'],
    ['arm64', 'arm64'],
    ['ARM', 'arm'],
    ['arm', 'arm'],
    ['IA64', null],
    ['', null],
    [null, null],
    [undefined, null],
    ['AMD 64', null],
  ]
  it('maps each PROCESSOR_ARCHITECTURE word, any case, and nothing else', () => {
    let ran = 0
    for (const [word, arch] of cases) {
      expect(archFromEnvWord(word), String(word)).toBe(arch)
      ran++
    }
    expect(ran).toBe(15)
  })
})

describe('decideNativeArch', () => {
  it('IsWow64Process2 decides by nativeMachine, for each IMAGE_FILE_MACHINE value', () => {
    const cases: Array<[number, string]> = [
      [0x14c, 'x86'],
      [0x8664, 'x64'],
      [0xaa64, 'arm64'],
      [0x1c4, 'arm'],
    ]
    for (const [nativeMachine, arch] of cases) {
      expect(decideNativeArch({ ...none, isWow64Process2Ok: true, processMachine: 0, nativeMachine })).toEqual({
        nativeArch: arch,
        method: 'IsWow64Process2',
        disagreements: [],
      })
    }
    expect(cases).toHaveLength(4)
  })

  it('does not use nativeMachine when the call failed or was not made, or when the value is unknown', () => {
    expect(decideNativeArch({ ...none, isWow64Process2Ok: false, nativeMachine: 0xaa64 })).toEqual({
      nativeArch: null,
      method: null,
      disagreements: [],
    })
    expect(
      decideNativeArch({ ...none, isWow64Process2Ok: null, nativeMachine: 0xaa64, sessionManagerArch: 'AMD64' }),
    ).toEqual({ nativeArch: 'x64', method: REG, disagreements: [] })
    expect(
      decideNativeArch({ ...none, isWow64Process2Ok: true, nativeMachine: null, sessionManagerArch: 'ARM64' }),
    ).toEqual({ nativeArch: 'arm64', method: REG, disagreements: [] })
    expect(decideNativeArch({ ...none, isWow64Process2Ok: true, nativeMachine: 0x1234, cimArchitecture: 9 })).toEqual({
      nativeArch: 'x64',
      method: CIM,
      disagreements: [],
    })
    // nativeMachine 0 is a number (IMAGE_FILE_MACHINE_UNKNOWN), not "absent": no arch, and no crash.
    expect(decideNativeArch({ ...none, isWow64Process2Ok: true, nativeMachine: 0 }).nativeArch).toBeNull()
  })

  it('falls back to Win32_Processor.Architecture for each of its numbers, 0 included', () => {
    const cases: Array<[number, string | null]> = [
      [0, 'x86'],
      [5, 'arm'],
      [9, 'x64'],
      [12, 'arm64'],
      [6, null],
    ]
    for (const [cimArchitecture, arch] of cases) {
      expect(decideNativeArch({ ...none, cimArchitecture })).toEqual(
        arch
          ? { nativeArch: arch, method: CIM, disagreements: [] }
          : { nativeArch: null, method: null, disagreements: [] },
      )
    }
    expect(cases).toHaveLength(5)
  })

  it('never decides from the process environment (an emulated x64 process says AMD64)', () => {
    expect(decideNativeArch({ ...none, envArch: 'AMD64' })).toEqual({
      nativeArch: null,
      method: null,
      disagreements: [],
    })
  })

  it('keeps the first source and names every source that disagrees, in order', () => {
    expect(
      decideNativeArch({
        ...none,
        isWow64Process2Ok: true,
        nativeMachine: 0xaa64,
        sessionManagerArch: 'AMD64',
        cimArchitecture: 9,
      }).disagreements,
    ).toEqual([`${REG} says x64, IsWow64Process2 says arm64.`, `${CIM} says x64, IsWow64Process2 says arm64.`])
    expect(decideNativeArch({ ...none, sessionManagerArch: 'ARM64', cimArchitecture: 9 })).toEqual({
      nativeArch: 'arm64',
      method: REG,
      disagreements: [`${CIM} says x64, ${REG} says arm64.`],
    })
    expect(
      decideNativeArch({
        ...none,
        isWow64Process2Ok: true,
        nativeMachine: 0xaa64,
        sessionManagerArch: 'ARM64',
        cimArchitecture: 12,
      }).disagreements,
    ).toEqual([])
  })
})
