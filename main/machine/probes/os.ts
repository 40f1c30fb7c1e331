/**
 * The OS probe: edition, DisplayVersion, build, UBR (registry CurrentVersion), and the native
 * architecture even when this app runs emulated (IsWow64Process2 and machine-wide sources).
 */
import type { Probe } from '../probe.ts'
import { commandEvidence, requireOk, ProbeError } from '../probe.ts'
import type { CommandSpec } from '../../host/host.ts'
import { parseRegQuery, regValue } from '../../parse/reg-query.ts'
import { decideNativeArch, parseNativeArchJson } from '../../parse/native-arch.ts'
import { parseLastBoot } from '../../parse/last-boot.ts'

export const currentVersionCommand: CommandSpec = {
  name: 'os.currentversion',
  file: 'reg.exe',
  args: ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'],
  timeoutMs: 15_000,
  outputEncoding: 'console',
}

/** PowerShell that reports IsWow64Process2 and the machine-wide architecture values as JSON. */
export const nativeArchScript = [
  "$ErrorActionPreference = 'Stop'",
  '[Console]::OutputEncoding = [Text.UTF8Encoding]::new($false)',
  '$sig = \'[DllImport("kernel32.dll", SetLastError = true)] public static extern bool IsWow64Process2(IntPtr process, out ushort processMachine, out ushort nativeMachine);\'',
  "$k = Add-Type -MemberDefinition $sig -Name 'Wow64' -Namespace 'ServicingDesk' -PassThru",
  '$pm = [uint16]0; $nm = [uint16]0; $ok = $false',
  'try { $ok = $k::IsWow64Process2([Diagnostics.Process]::GetCurrentProcess().Handle, [ref]$pm, [ref]$nm) } catch { $ok = $false }',
  '$cim = $null; try { $cim = [int](Get-CimInstance Win32_Processor | Select-Object -First 1).Architecture } catch { }',
  "$sm = $null; try { $sm = (Get-ItemProperty 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment').PROCESSOR_ARCHITECTURE } catch { }",
  '[pscustomobject]@{ ok = $ok; processMachine = [int]$pm; nativeMachine = [int]$nm; cimArchitecture = $cim; sessionManagerArch = $sm; envArch = $env:PROCESSOR_ARCHITECTURE; envArchW6432 = $env:PROCESSOR_ARCHITEW6432 } | ConvertTo-Json -Compress',
].join('; ')

export const nativeArchCommand: CommandSpec = {
  name: 'os.native-arch',
  file: 'powershell.exe',
  args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', nativeArchScript],
  timeoutMs: 30_000,
  outputEncoding: 'utf8',
}

export const computerNameCommand: CommandSpec = {
  name: 'os.computername',
  file: 'reg.exe',
  args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName', '/v', 'ComputerName'],
  timeoutMs: 15_000,
  outputEncoding: 'console',
}

/**
 * The last boot: Win32_OperatingSystem.LastBootUpTime as the CIM datetime Get-WmiObject gives (Windows PowerShell
 * 5.1), as JSON — language-independent (main/parse/last-boot.ts). A restart moves it on; findings a restart
 * clears are judged against it.
 */
export const lastBootCommand: CommandSpec = {
  name: 'os.last-boot',
  file: 'powershell.exe',
  args: [
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-Command',
    'Get-WmiObject -Class Win32_OperatingSystem | Select-Object LastBootUpTime | ConvertTo-Json -Compress',
  ],
  timeoutMs: 30_000,
  outputEncoding: 'utf8',
}

export const osProbe: Probe<'os'> = {
  id: 'os',
  timeoutMs: 30_000,
  collect: [currentVersionCommand, nativeArchCommand, computerNameCommand, lastBootCommand].map((spec) => ({
    kind: 'command',
    spec,
  })),
  async run({ host, signal }) {
    const [cv, na, cn, lb] = await Promise.all([
      host.run(currentVersionCommand, { signal }),
      host.run(nativeArchCommand, { signal }),
      host.run(computerNameCommand, { signal }),
      host.run(lastBootCommand, { signal }).catch(() => null),
    ])
    requireOk(cv, 'Reading the Windows version from the registry')
    const reg = parseRegQuery(cv.stdout)
    if (reg.keys.length === 0) throw new ProbeError('The registry answer had no values.', [commandEvidence(cv)])
    const str = (n: string) => {
      const v = regValue(reg, n)
      return typeof v === 'string' && v !== '' ? v : null
    }
    const int = (n: string) => {
      const v = regValue(reg, n)
      return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null
    }
    const build = int('CurrentBuild') ?? int('CurrentBuildNumber')
    const ubr = int('UBR')
    let productName = str('ProductName')
    // ProductName still says "Windows 10" on Windows 11; Windows 11 is build 22000 and later.
    if (productName && build !== null && build >= 22000)
      productName = productName.replace(/^Windows 10\b/, 'Windows 11')
    const processArch = host.info().processArch
    const archProbe = na.ok ? parseNativeArchJson(na.stdout) : null
    const decision = archProbe ? decideNativeArch(archProbe) : { nativeArch: null, method: null, disagreements: [] }
    const evidence = [
      commandEvidence(cv, (l) =>
        /^\s+(ProductName|EditionID|DisplayVersion|CurrentBuild|UBR|InstallationType)\s/.test(l),
      ),
      commandEvidence(na),
    ]
    for (const d of decision.disagreements) evidence.push({ source: 'native architecture', excerpt: d })
    const boot = lb?.ok ? parseLastBoot(lb.stdout) : null
    if (lb)
      evidence.push(
        boot?.ok
          ? { source: 'last boot (Win32_OperatingSystem)', excerpt: `LastBootUpTime ${boot.raw} = ${boot.at}` }
          : {
              source: 'last boot (Win32_OperatingSystem)',
              excerpt: boot
                ? boot.reason
                : `Not read: ${(lb.stderr || lb.stdout).trim().slice(0, 160) || `exit ${lb.exitCode}`}`,
            },
      )
    return {
      value: {
        productName,
        edition: str('EditionID'),
        displayVersion: str('DisplayVersion') ?? str('ReleaseId'),
        build,
        ubr,
        version: build !== null && ubr !== null ? `10.0.${build}.${ubr}` : null,
        nativeArch: decision.nativeArch,
        processArch,
        emulated: decision.nativeArch ? decision.nativeArch !== processArch : null,
        computerName: cn.ok
          ? (() => {
              const v = regValue(parseRegQuery(cn.stdout), 'ComputerName')
              return typeof v === 'string' ? v : null
            })()
          : null,
        nativeArchMethod: decision.method,
        lastBootAt: boot?.ok ? boot.at : null,
      },
      evidence,
    }
  },
}
