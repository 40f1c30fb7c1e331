/**
 * Analyzer for `reagentc /info` text (and the other reagentc answers people paste: "Operation
 * Successful", "Windows RE is already disabled", "The Windows RE image was not found", …).
 *
 * `facts.winre = {status, location, bcdId, version}` for an info report; `facts.reagentc =
 * {outcome, message}` always, so a pasted enable failure is reported as exactly that.
 */
import type { Analyzer, AnalyzeFinding } from '../analyzer.ts'
import { parseReagentc, looksLikeReagentc, type ReagentcOutcome } from '../../parse/reagentc.ts'

const outcomeFindings: Partial<Record<ReagentcOutcome, AnalyzeFinding>> = {
  'image-not-found': {
    id: 'reagentc-image-not-found',
    severity: 'error',
    title: 'reagentc could not find the WinRE image (winre.wim)',
    detail:
      'winre.wim is missing from C:\\Windows\\System32\\Recovery and from the recovery partition. Restore it from installation media of the same Windows build (sources\\install.wim → Windows\\System32\\Recovery\\Winre.wim), then run reagentc /enable.',
  },
  'already-disabled': {
    id: 'reagentc-already-disabled',
    severity: 'info',
    title: 'WinRE was already disabled',
    detail: 'reagentc /disable changed nothing: WinRE was not enabled.',
  },
  'already-enabled': {
    id: 'reagentc-already-enabled',
    severity: 'info',
    title: 'WinRE was already enabled',
    detail: 'reagentc /enable changed nothing: WinRE was enabled already.',
  },
  'bcd-update-failed': {
    id: 'reagentc-bcd-failed',
    severity: 'error',
    title: 'reagentc could not update the boot configuration (BCD)',
    detail:
      'Read the boot configuration first (bcdedit /enum all, read-only) and look for the Windows Boot Manager and Windows Recovery entries; a boot-configuration repair is decided on the PC itself, after its BitLocker protectors and EFI partition are read (servicing-desk diagnose there), then reagentc /enable again.',
  },
  'target-not-found': {
    id: 'reagentc-target-not-found',
    severity: 'error',
    title: 'reagentc did not find the Windows installation',
    detail: 'Run it on the Windows being repaired, or give /target C:\\Windows for an offline image.',
  },
  failed: {
    id: 'reagentc-failed',
    severity: 'error',
    title: 'reagentc reported a failure',
    detail: 'See the message; the ReAgent log is %windir%\\Logs\\ReAgent\\ReAgent.log.',
  },
}

export const reagentcInfoAnalyzer: Analyzer = {
  kind: 'reagentc-info',
  label: 'reagentc /info (WinRE status)',
  detect: (text) => looksLikeReagentc(text),
  analyze(text) {
    const r = parseReagentc(text)
    const findings: AnalyzeFinding[] = []
    const facts: Record<string, unknown> = {
      reagentc: { outcome: r.outcome, message: r.message, succeeded: r.succeeded },
    }
    if (r.info) {
      facts.winre = { status: r.info.status, location: r.info.location, bcdId: r.info.bcdId, version: r.info.version }
      if (r.info.status === 'disabled') {
        findings.push({
          id: 'winre-disabled',
          severity: 'warning',
          title: 'WinRE is disabled',
          detail:
            "This PC cannot start the recovery environment (Startup Repair, Reset this PC, BitLocker recovery entry). Enable it with reagentc /enable; Servicing Desk's WinRE repair shows the exact steps.",
        })
      } else if (r.info.status === 'enabled' && r.info.location) {
        findings.push({
          id: 'winre-enabled',
          severity: 'info',
          title: `WinRE is enabled on disk ${r.info.location.disk}, partition ${r.info.location.partition}`,
          detail: r.info.version
            ? `WinRE version ${r.info.version}.`
            : 'This reagentc does not print the WinRE version; read WinREVersion from the registry or DISM /Get-ImageInfo on winre.wim.',
        })
      }
    }
    const f = outcomeFindings[r.outcome]
    if (f) findings.push({ ...f, detail: r.message ? `${r.message} — ${f.detail}` : f.detail })
    return { facts, findings, warnings: r.warnings }
  },
}
