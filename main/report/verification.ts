/**
 * Verification as the report states it: the health checks (the same model as the Overview's tiles and the
 * CLI, preload/model/health.ts) over the snapshot and the diagnosis' findings, plus whether the most likely
 * cause is gone. A check passes only when its area is OK: "attention" or "problem" is not a pass, and while
 * the diagnosis still names a problem as the most likely cause, verification does not pass.
 */
import { assessHealth, offeredInstalls, type HealthFinding } from '../../preload/model/health.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Report, ReportCheck } from '../../preload/model/report.ts'

const labels: Record<string, string> = {
  packages: 'Packages and checkpoint (component store)',
  restart: 'No restart pending',
  space: 'Free space (system drive, EFI partition)',
  services: 'Update services can start (Windows Update, BITS, …)',
  winre: 'Recovery environment (WinRE)',
  boot: 'Secure Boot certificates (boot chain)',
  failures: 'Latest update attempt (Windows Update history)',
}

/** `findings`: the diagnosis' findings, or null when no diagnosis ran (the top-cause check is then unknown). */
export function verificationOf(s: MachineSnapshot, findings: readonly HealthFinding[] | null = null): Report['verification'] {
  // The verdict: findings with states decide; a past finding is history, never a problem.
  const verdict = findings?.some((f) => f.state !== undefined)
  const checks: ReportCheck[] = assessHealth(s, undefined, findings ?? [], { verdict }).map((h) => ({
    id: h.id === 'failures' ? 'latest-attempt' : h.id, label: labels[h.id], ok: h.level === 'unknown' ? null : h.level === 'ok', detail: h.headline ? `${h.headline}. ${h.detail}` : h.detail,
    ...(h.technical ? { technical: h.technical } : {}),
  }))
  const top = findings?.find((f) => f.severity !== 'info' && f.state !== 'past') ?? null
  checks.push({
    id: 'top-cause', label: 'Most likely cause resolved (diagnosis)', ok: findings === null ? null : top === null,
    detail: findings === null ? 'Not diagnosed.' : top ? `Still found: ${top.title}.` : 'The diagnosis finds no servicing problem.',
  })
  // An update the verdict still offers is work left: the report never passes beside "Install KB…".
  const offered = findings === null ? [] : offeredInstalls(findings)
  if (findings !== null) {
    checks.push({
      id: 'offered-installs', label: 'No update left to install (the app offers none)', ok: offered.length === 0,
      detail: offered.length ? `Still offered: ${offered.map((f) => f.title).join('; ')}.` : 'The app offers no update to install.',
    })
  }
  const known = checks.filter((c) => c.ok !== null)
  const status = known.length === 0 ? 'unknown' : known.every((c) => c.ok) ? 'healthy' : 'problems'
  return { status, checks }
}
