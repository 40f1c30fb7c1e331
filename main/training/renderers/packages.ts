/**
 * Installed packages as Windows prints them: our Get-WindowsPackage JSON (enum names as strings,
 * InstallTime `s`), and `DISM /English /Get-Packages` list output (format of the real capture in
 * CodingWonders/DISMTools#220, under the en-US culture).
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingState } from '../state.ts'
import { enUsDateTime, psJson } from './ps-json.ts'

export const renderWindowsPackages: TrainingCommand = ({ state }) => ({
  exitCode: 0,
  stdout: psJson(
    state.packages.map((p) => ({
      PackageName: p.identity,
      PackageState: p.state.replace(/\s/g, ''),
      ReleaseType: p.releaseType.replace(/\s/g, ''),
      InstallTime: p.installTime ? p.installTime.replace(/(\.\d+)?Z$/, '') : null,
    })),
  ),
})

/**
 * `DISM /Online /Get-Packages`, as a list, or with `/Format:Table` as DISM's table (test/fixtures/dism-packages/
 * en-us-table-24h2-openssh2282.txt: each column padded to its widest cell, ` | ` between, dashes above and below the
 * header, the last column padded too).
 */
export const renderDismGetPackages: TrainingCommand = ({ state, spec }) => {
  const lines = [
    '',
    'Deployment Image Servicing and Management tool',
    `Version: ${dismVersion(state)}`,
    '',
    `Image Version: 10.0.${state.os.currentBuild}.${state.os.ubr}`,
    '',
    'Packages listing:',
    '',
  ]
  if (spec.args.some((a) => a.toLowerCase() === '/format:table')) {
    const rows = [
      ['Package Identity', 'State', 'Release Type', 'Install Time'],
      ...state.packages.map((p) => [p.identity, p.state, p.releaseType, enUsDateTime(p.installTime)]),
    ]
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
    const row = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')
    const rule = widths.map((w) => '-'.repeat(w)).join(' | ')
    lines.push(rule, row(rows[0]!), rule, ...rows.slice(1).map(row), '')
  } else
    for (const p of state.packages) {
      lines.push(
        `Package Identity : ${p.identity}`,
        `State : ${p.state}`,
        `Release Type : ${p.releaseType}`,
        `Install Time : ${enUsDateTime(p.installTime)}`,
        '',
      )
    }
  lines.push('The operation completed successfully.', '')
  return { exitCode: 0, stdout: lines.join('\r\n') }
}

/** DISM's own version is the OS build's servicing base with the current UBR (it ships with the OS). */
export function dismVersion(state: TrainingState): string {
  return `10.0.${state.os.currentBuild === 26200 ? 26100 : state.os.currentBuild}.${state.os.ubr}`
}
