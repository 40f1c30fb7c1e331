/**
 * Decides the machine's native architecture, right even for an x64 process emulated on ARM64.
 *
 * An emulated x64 process is not WOW64: IsWow64Process/GetNativeSystemInfo/PROCESSOR_ARCHITECTURE all say
 * AMD64. Only IsWow64Process2's nativeMachine (0xAA64) or machine-wide sources tell ARM64
 * (servicing-facts §5: learn.microsoft.com IsWow64Process2; dotnet/runtime#68671).
 * Order: IsWow64Process2 → Session Manager\Environment PROCESSOR_ARCHITECTURE → Win32_Processor.Architecture.
 */
import type { MachineArch } from '../../preload/model/common.ts'

/** IMAGE_FILE_MACHINE_* values. */
const imageMachine: Record<number, MachineArch> = { 0x14c: 'x86', 0x8664: 'x64', 0xaa64: 'arm64', 0x1c4: 'arm' }
/** Win32_Processor.Architecture / PROCESSOR_ARCHITECTURE_* numbering. */
const cimArch: Record<number, MachineArch> = { 0: 'x86', 5: 'arm', 9: 'x64', 12: 'arm64' }

export interface NativeArchProbe {
  isWow64Process2Ok: boolean | null
  processMachine: number | null
  nativeMachine: number | null
  sessionManagerArch: string | null
  cimArchitecture: number | null
  envArch: string | null
}

export interface NativeArchDecision {
  nativeArch: MachineArch | null
  method: string | null
  /** Sources that disagree with the decision, said plainly. */
  disagreements: string[]
}

/** Parses the JSON our native-arch PowerShell script prints. Total: bad JSON gives all-null. */
export function parseNativeArchJson(text: string): NativeArchProbe {
  const empty: NativeArchProbe = {
    isWow64Process2Ok: null,
    processMachine: null,
    nativeMachine: null,
    sessionManagerArch: null,
    cimArchitecture: null,
    envArch: null,
  }
  let o: unknown
  try {
    o = JSON.parse(text.trim())
  } catch {
    return empty
  }
  if (!o || typeof o !== 'object') return empty
  const r = o as Record<string, unknown>
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
  return {
    isWow64Process2Ok: typeof r.ok === 'boolean' ? r.ok : null,
    processMachine: num(r.processMachine),
    nativeMachine: num(r.nativeMachine),
    sessionManagerArch: str(r.sessionManagerArch),
    cimArchitecture: num(r.cimArchitecture),
    envArch: str(r.envArch),
  }
}

export function archFromEnvWord(word: string | null | undefined): MachineArch | null {
  switch ((word ?? '').trim().toUpperCase()) {
    case 'AMD64':
    case 'X64':
      return 'x64'
    case 'X86':
      return 'x86'
    case 'ARM64':
      return 'arm64'
    case 'ARM':
      return 'arm'
    default:
      return null
  }
}

export function decideNativeArch(p: NativeArchProbe): NativeArchDecision {
  const candidates: { method: string; arch: MachineArch | null }[] = [
    {
      method: 'IsWow64Process2',
      arch: p.isWow64Process2Ok && p.nativeMachine != null ? (imageMachine[p.nativeMachine] ?? null) : null,
    },
    { method: 'Session Manager\\Environment PROCESSOR_ARCHITECTURE', arch: archFromEnvWord(p.sessionManagerArch) },
    {
      method: 'Win32_Processor.Architecture',
      arch: p.cimArchitecture != null ? (cimArch[p.cimArchitecture] ?? null) : null,
    },
  ]
  const chosen = candidates.find((c) => c.arch !== null) ?? null
  const disagreements = candidates
    .filter((c) => chosen && c.arch !== null && c.arch !== chosen.arch)
    .map((c) => `${c.method} says ${c.arch}, ${chosen!.method} says ${chosen!.arch}.`)
  return { nativeArch: chosen?.arch ?? null, method: chosen?.method ?? null, disagreements }
}
