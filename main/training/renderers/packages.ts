/**
 * Installed packages as Windows prints them: our Get-WindowsPackage JSON (enum names as strings,
 * InstallTime `s`), and `DISM /English /Get-Packages` list output (format of the real capture in
 * CodingWonders/DISMTools issue #220, under the en-US culture).
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { enUsDateTime, psJson } from './ps-json.ts'

export const renderWindowsPackages: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: psJson(state.packages.map((p) => ({
    PackageName: p.identity,
    PackageState: p.state.replace(/\s/g, ''),
    ReleaseType: p.releaseType.replace(/\s/g, ''),
    InstallTime: p.installTime ? p.installTime.replace(/(\.\d+)?Z$/, '') : null,
  }))),
})

export const renderDismGetPackages: TrainingCommand = ({ state }) => {
  const lines = ['', 'Deployment Image Servicing and Management tool', `Version: ${dismVersion(state)}`, '',
    `Image Version: 10.0.${state.os.currentBuild}.${state.os.ubr}`, '', 'Packages listing:', '']
  for (const p of state.packages) {
    lines.push(`Package Identity : ${p.identity}`, `State : ${p.state}`, `Release Type : ${p.releaseType}`, `Install Time : ${enUsDateTime(p.installTime)}`, '')
  }
  lines.push('The operation completed successfully.', '')
  return { exitCode: 0, stdout: lines.join('\r\n') }
}

/** DISM's own version is the OS build's servicing base with the current UBR (it ships with the OS). */
export function dismVersion(state: TrainingState): string {
  return `10.0.${state.os.currentBuild === 26200 ? 26100 : state.os.currentBuild}.${state.os.ubr}`
}
