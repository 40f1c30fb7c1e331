/**
 * Decides the machine's native architecture, right even for an x64 process emulated on ARM64.
 *
 * Order (servicing-facts §5): IsWow64Process2 → HKLM\…\Session Manager\Environment
 * PROCESSOR_ARCHITECTURE → Win32_Processor.Architecture → otherwise unknown. Never process.arch or
 * %PROCESSOR_ARCHITECTURE% alone: an emulated x64 process sees AMD64 in both
 * (https://learn.microsoft.com/en-us/windows/arm/apps-on-arm-x86-emulation). The decision is a pure
 * function; `detectNativeArch` only gathers its inputs through the Host.
 */
import type { MachineArch } from '../../preload/model/common.ts'
import type { Evidence } from '../../preload/model/common.ts'
import type { CommandSpec, Host } from './host.ts'
import { powershellSpec } from './powershell.ts'
import { parseIsWow64Process2, parseWin32ProcessorArchitecture, type Wow64Machines } from '../parse/is-wow64-process2.ts'
import { parseRegQueryValue } from '../parse/reg-query-value.ts'

/** IMAGE_FILE_MACHINE_* constants (winnt.h). 0 = UNKNOWN, which IsWow64Process2 uses for "not WOW64". */
export const IMAGE_FILE_MACHINE = { UNKNOWN: 0, I386: 0x014c, ARM: 0x01c0, ARMNT: 0x01c4, AMD64: 0x8664, ARM64: 0xaa64 } as const

export function archFromImageMachine(machine: number): MachineArch | null {
  switch (machine) {
    case IMAGE_FILE_MACHINE.I386: return 'x86'
    case IMAGE_FILE_MACHINE.AMD64: return 'x64'
    case IMAGE_FILE_MACHINE.ARM64: return 'arm64'
    case IMAGE_FILE_MACHINE.ARM:
    case IMAGE_FILE_MACHINE.ARMNT: return 'arm'
    default: return null
  }
}

/** PROCESSOR_ARCHITECTURE strings (AMD64, x86, ARM64, ARM). */
export function archFromProcessorArchitecture(value: string | null): MachineArch | null {
  switch ((value ?? '').trim().toUpperCase()) {
    case 'AMD64': return 'x64'
    case 'X86': return 'x86'
    case 'ARM64': return 'arm64'
    case 'ARM': return 'arm'
    default: return null
  }
}

/** Win32_Processor.Architecture numbering: 0 x86, 5 ARM, 9 x64, 12 ARM64. */
export function archFromCimArchitecture(n: number | null): MachineArch | null {
  switch (n) {
    case 0: return 'x86'
    case 5: return 'arm'
    case 9: return 'x64'
    case 12: return 'arm64'
    default: return null
  }
}

/** Node's process.arch mapped to Windows names; null for anything Windows does not run. */
export function archFromNodeArch(arch: string): MachineArch | null {
  switch (arch) {
    case 'x64': return 'x64'
    case 'ia32': return 'x86'
    case 'arm64': return 'arm64'
    case 'arm': return 'arm'
    default: return null
  }
}

export interface NativeArchInputs {
  /** process.arch of this process (its own, possibly emulated, architecture). */
  nodeArch: string
  wow64: Wow64Machines | null
  registryProcessorArchitecture: string | null
  cimArchitecture: number | null
}

export interface NativeArchDecision {
  nativeArch: MachineArch | null
  processArch: MachineArch | null
  emulated: boolean | null
  method: 'IsWow64Process2' | 'registry PROCESSOR_ARCHITECTURE' | 'Win32_Processor.Architecture' | null
  /** Sources that disagreed with the one used, said plainly. */
  disagreements: string[]
}

/** Pure: picks the native architecture from the gathered inputs, in the documented order of trust. */
export function decideNativeArch(inputs: NativeArchInputs): NativeArchDecision {
  const fromWow = inputs.wow64 ? archFromImageMachine(inputs.wow64.nativeMachine) : null
  const fromReg = archFromProcessorArchitecture(inputs.registryProcessorArchitecture)
  const fromCim = archFromCimArchitecture(inputs.cimArchitecture)
  // IsWow64Process2's processMachine is the WOW64 guest (x86 on x64/ARM64); 0 means "not WOW64",
  // in which case the process runs as its own image architecture, which is what process.arch says.
  const wowGuest = inputs.wow64 && inputs.wow64.processMachine !== 0 ? archFromImageMachine(inputs.wow64.processMachine) : null
  const processArch = wowGuest ?? archFromNodeArch(inputs.nodeArch)

  const candidates = [
    { method: 'IsWow64Process2', arch: fromWow },
    { method: 'registry PROCESSOR_ARCHITECTURE', arch: fromReg },
    { method: 'Win32_Processor.Architecture', arch: fromCim },
  ] as const
  const chosen = candidates.find((c) => c.arch !== null)
  if (!chosen) return { nativeArch: null, processArch, emulated: null, method: null, disagreements: [] }
  const disagreements = candidates
    .filter((c) => c.arch !== null && c.arch !== chosen.arch)
    .map((c) => `${c.method} says ${c.arch}, ${chosen.method} says ${chosen.arch}`)
  const emulated = processArch === null ? null : processArch !== chosen.arch
  return { nativeArch: chosen.arch, processArch, emulated, method: chosen.method, disagreements }
}

/** The three commands, by stable name (training machines answer them by name). */
export function nativeArchCommands(pid: number): { wow64: CommandSpec; registry: CommandSpec; cim: CommandSpec } {
  const pidInt = Number.isInteger(pid) && pid > 0 ? pid : 0
  return {
    wow64: powershellSpec(
      'os.iswow64process2',
      "Add-Type -Namespace SD -Name Wow -MemberDefinition '[DllImport(\"kernel32.dll\", SetLastError=true)] public static extern bool IsWow64Process2(IntPtr hProcess, out ushort processMachine, out ushort nativeMachine);';" +
        `$h=if(${pidInt} -gt 0){[Diagnostics.Process]::GetProcessById(${pidInt}).Handle}else{[Diagnostics.Process]::GetCurrentProcess().Handle};` +
        '$p=[uint16]0;$n=[uint16]0;' +
        "if(-not [SD.Wow]::IsWow64Process2($h,[ref]$p,[ref]$n)){throw 'IsWow64Process2 failed'};" +
        '[pscustomobject]@{processMachine=[int]$p;nativeMachine=[int]$n}|ConvertTo-Json -Compress',
      30_000,
    ),
    registry: {
      name: 'os.processor-architecture-registry',
      file: 'reg.exe',
      args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment', '/v', 'PROCESSOR_ARCHITECTURE'],
      timeoutMs: 15_000,
      outputEncoding: 'console',
    },
    cim: powershellSpec('os.win32-processor-architecture', 'Get-CimInstance -ClassName Win32_Processor|Select-Object -First 1 Architecture|ConvertTo-Json -Compress', 30_000),
  }
}

export interface NativeArchResult extends NativeArchDecision {
  evidence: Evidence[]
}

/** Runs the probes in the documented order, stopping at the first that answers. Never throws. */
export async function detectNativeArch(host: Host, nodeArch: string = process.arch, pid: number = process.pid): Promise<NativeArchResult> {
  const cmds = nativeArchCommands(pid)
  const evidence: Evidence[] = []
  const inputs: NativeArchInputs = { nodeArch, wow64: null, registryProcessorArchitecture: null, cimArchitecture: null }
  const run = async (spec: CommandSpec): Promise<string | null> => {
    try {
      const r = await host.run(spec)
      evidence.push({ source: r.commandLine, excerpt: (r.ok ? r.stdout : `exit ${r.exitCode}: ${r.stderr || r.stdout}`).trim().slice(0, 400) })
      return r.ok ? r.stdout : null
    } catch (e) {
      evidence.push({ source: spec.name, excerpt: `could not run: ${(e as Error).message}` })
      return null
    }
  }
  const wowOut = await run(cmds.wow64)
  inputs.wow64 = wowOut === null ? null : parseIsWow64Process2(wowOut)
  if (!inputs.wow64 || archFromImageMachine(inputs.wow64.nativeMachine) === null) {
    const regOut = await run(cmds.registry)
    inputs.registryProcessorArchitecture = regOut === null ? null : (parseRegQueryValue(regOut, 'PROCESSOR_ARCHITECTURE')?.data ?? null)
    if (archFromProcessorArchitecture(inputs.registryProcessorArchitecture) === null) {
      const cimOut = await run(cmds.cim)
      inputs.cimArchitecture = cimOut === null ? null : parseWin32ProcessorArchitecture(cimOut)
    }
  }
  return { ...decideNativeArch(inputs), evidence }
}
