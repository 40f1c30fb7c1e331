/**
 * Analyzer for package lists: DISM /Get-Packages (list or table), Get-WindowsPackage (list or JSON).
 * facts.packages = [{identity, kb, arch, version, state, releaseType, installTime}], plus the effective
 * LCU level and the checkpoint status it implies.
 */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { dismPackagesScore } from '../kind-scores.ts'
import { parseDismPackages, effectiveLcu, servicingStackVersion } from '../../parse/dism-packages.ts'
import { restoreStrippedTildes } from '../../parse/package-identity.ts'
import { checkpointStatus } from '../../knowledge/servicing-chains.ts'

export const dismPackagesAnalyzer: Analyzer = {
  kind: 'dism-packages',
  label: 'Package list (DISM /Get-Packages, Get-WindowsPackage)',
  detect: dismPackagesScore,
  analyze(pasted) {
    // Markdown may have eaten the tildes of every identity; put them back first.
    const text = restoreStrippedTildes(pasted)
    const r = parseDismPackages(text)
    const lcu = effectiveLcu(r.packages)
    const findings: AnalyzeFinding[] = []
    const pending = r.packages.filter((p) => p.state === 'install-pending' || p.state === 'uninstall-pending')
    if (pending.length > 0)
      findings.push({
        id: 'packages-pending',
        severity: 'warning',
        title: `${pending.length} package(s) wait for a restart`,
        detail: pending.map((p) => `${p.identity} (${p.state})`).join('\n'),
      })
    // A list of identities alone (`findstr "Package Identity"`) gives no states: nothing is "unusual" then.
    const statesGiven = /\b(?:State|PackageState|Status)\b|Zustand|État|Estado|状态|状態|Состояние|\|/i.test(text)
    if (!statesGiven && r.packages.length > 0)
      r.warnings.push(
        'The text gives no package states (only identities): the installed update level cannot be told from it.',
      )
    const partial = statesGiven ? r.packages.filter((p) => p.state === 'other') : []
    if (partial.length > 0)
      findings.push({
        id: 'packages-other-state',
        severity: 'warning',
        title: `${partial.length} package(s) in an unusual state`,
        detail: partial.map((p) => p.identity).join('\n'),
      })
    let checkpoint = null
    if (lcu) {
      checkpoint = checkpointStatus(lcu.build, lcu.ubr)
      if (checkpoint.present === false)
        findings.push({
          id: 'checkpoint-missing',
          severity: 'error',
          title: `Checkpoint ${checkpoint.kb} is missing`,
          detail: checkpoint.reason,
        })
    }
    if (r.packages.length === 0)
      r.warnings.push('No package identities (name~31bf3856ad364e35~arch~lang~version) were found.')
    return {
      facts: {
        packages: r.packages,
        lcu,
        checkpoint,
        servicingStackVersion: servicingStackVersion(r.packages),
        imageVersion: r.imageVersion,
      },
      findings,
      warnings: r.warnings,
    }
  },
}
