/**
 * OS facts as Windows prints them: `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"`
 * (format of the real capture in flutter/flutter windows_version_validator_test.dart) and the JSON our
 * native-architecture PowerShell script prints.
 */
import type { TrainingCommand } from '../command.ts'
import { lastBootOf } from '../state.ts'

const machineOf = { x86: 0x14c, x64: 0x8664, arm64: 0xaa64, arm: 0x1c4 } as const
const cimOf = { x86: 0, arm: 5, x64: 9, arm64: 12 } as const
const envOf = { x86: 'x86', x64: 'AMD64', arm64: 'ARM64', arm: 'ARM' } as const

export const renderCurrentVersion: TrainingCommand = ({ state }) => {
  const o = state.os
  const archWord = o.nativeArch === 'arm64' ? 'arm64' : o.nativeArch === 'x86' ? 'x86' : 'amd64'
  const branch = o.currentBuild >= 26100 ? 'ge_release' : o.currentBuild >= 22621 ? 'ni_release' : 'vb_release'
  const base =
    o.currentBuild === 26200
      ? 26100
      : o.currentBuild === 22631
        ? 22621
        : o.currentBuild === 19045
          ? 19041
          : o.currentBuild
  const rows: [string, string, string][] = [
    ['SystemRoot', 'REG_SZ', 'C:\\WINDOWS'],
    ['BuildBranch', 'REG_SZ', branch],
    ['BuildGUID', 'REG_SZ', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
    ['BuildLab', 'REG_SZ', `${o.currentBuild}.${branch}.240401-1435`],
    ['BuildLabEx', 'REG_SZ', `${base}.1.${archWord}fre.${branch}.240401-1435`],
    ['CompositionEditionID', 'REG_SZ', o.editionId === 'Professional' ? 'Enterprise' : o.editionId],
    ['CurrentBuild', 'REG_SZ', String(o.currentBuild)],
    ['CurrentBuildNumber', 'REG_SZ', String(o.currentBuild)],
    ['CurrentMajorVersionNumber', 'REG_DWORD', '0xa'],
    ['CurrentMinorVersionNumber', 'REG_DWORD', '0x0'],
    ['CurrentType', 'REG_SZ', 'Multiprocessor Free'],
    ['CurrentVersion', 'REG_SZ', '6.3'],
    ['EditionID', 'REG_SZ', o.editionId],
    ['EditionSubManufacturer', 'REG_SZ', ''],
    ['EditionSubstring', 'REG_SZ', ''],
    ['EditionSubVersion', 'REG_SZ', ''],
    ['InstallationType', 'REG_SZ', o.installationType],
    ['InstallDate', 'REG_DWORD', `0x${o.installDate.toString(16)}`],
    ['ProductName', 'REG_SZ', o.productName],
    ['ReleaseId', 'REG_SZ', '2009'],
    ['SoftwareType', 'REG_SZ', 'System'],
    ['UBR', 'REG_DWORD', `0x${o.ubr.toString(16)}`],
    ['PathName', 'REG_SZ', 'C:\\Windows'],
    ['ProductId', 'REG_SZ', '00330-80000-00000-AA412'],
    ['DisplayVersion', 'REG_SZ', o.displayVersion],
    ['RegisteredOwner', 'REG_SZ', o.registeredOwner],
    ['WinREVersion', 'REG_SZ', state.winre.version],
  ]
  const lines = ['', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion']
  for (const [n, t, d] of rows) lines.push(d === '' ? `    ${n}    ${t}` : `    ${n}    ${t}    ${d}`)
  lines.push(
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\AccessibilityTemp',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\AppCompatFlags',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
    '',
  )
  return { exitCode: 0, stdout: lines.join('\r\n') }
}

export const renderNativeArch: TrainingCommand = ({ state }) => {
  const native = state.os.nativeArch
  const proc = state.os.processArch
  // The PowerShell child runs natively: its IsWow64Process2 processMachine is 0 (not WOW64).
  const out = {
    ok: true,
    processMachine: 0,
    nativeMachine: machineOf[native],
    cimArchitecture: cimOf[native],
    sessionManagerArch: envOf[native],
    envArch: envOf[proc],
    envArchW6432: null,
  }
  return { exitCode: 0, stdout: `${JSON.stringify(out)}\r\n` }
}

export const renderComputerName: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: [
    '',
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName',
    `    ComputerName    REG_SZ    ${state.os.computerName}`,
    '',
    '',
  ].join('\r\n'),
})

/**
 * `Get-WmiObject Win32_OperatingSystem | Select-Object LastBootUpTime | ConvertTo-Json -Compress`: the CIM datetime
 * (yyyymmddHHMMSS.ffffff+UUU, as in the capture test/fixtures/last-boot/win32-os-json.txt), in UTC (+000).
 */
export const renderLastBoot: TrainingCommand = ({ state }) => {
  const d = new Date(lastBootOf(state))
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const dmtf = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000+000`
  return { exitCode: 0, stdout: `${JSON.stringify({ LastBootUpTime: dmtf })}\r\n` }
}
