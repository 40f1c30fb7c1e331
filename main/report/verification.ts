/**
 * Verification as the report states it: the five health checks (shared with the Overview's tiles)
 * plus whether the most recent update attempt in the history succeeded.
 */
import { assessHealth } from '../../preload/model/health.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Report, ReportCheck } from '../../preload/model/report.ts'

const labels: Record<string, string> = {
  packages: 'Packages and checkpoint (component store)',
  restart: 'No restart pending (reboot-pending)',
  space: 'Free space on the system drive',
  services: 'Update services can start (wuauserv, BITS, …)',
  winre: 'Recovery environment (WinRE)',
}

export function verificationOf(s: MachineSnapshot): Report['verification'] {
  const checks: ReportCheck[] = assessHealth(s).map((h) => ({
    id: h.id, label: labels[h.id], ok: h.level === 'unknown' ? null : h.level !== 'bad', detail: h.detail,
  }))
  checks.push(latestAttemptCheck(s))
  const known = checks.filter((c) => c.ok !== null)
  const status = known.length === 0 ? 'unknown' : known.every((c) => c.ok) ? 'healthy' : 'problems'
  return { status, checks }
}

/** The newest install attempt per the Windows Update history: a failure there is still unresolved. */
function latestAttemptCheck(s: MachineSnapshot): ReportCheck {
  const label = 'Latest update attempt (Windows Update history)'
  if (s.history.status === 'unknown') return { id: 'latest-attempt', label, ok: null, detail: s.history.error }
  const installs = s.history.value.filter((e) => e.operation === 'install' && e.date)
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
  const last = installs[0]
  if (!last) return { id: 'latest-attempt', label, ok: null, detail: 'The history lists no dated install.' }
  const ok = last.result === 'succeeded' || last.result === 'succeeded-with-errors'
  return {
    id: 'latest-attempt', label, ok,
    detail: `${last.date?.slice(0, 10)}: ${last.title} — ${last.result}${last.hresult ? ` (${last.hresult})` : ''}.`,
  }
}
