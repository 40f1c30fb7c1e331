/**
 * Verification as the report states it: the health checks (the same model as the Overview's tiles and the
 * CLI, preload/model/health.ts) over the snapshot and the diagnosis' findings, plus whether the most likely
 * cause is gone. A check passes only when its area is OK: "attention" or "problem" is not a pass, and while
 * the diagnosis still names a problem as the most likely cause, verification does not pass.
 */
import { assessHealth, offeredInstalls, type HealthFinding } from '../../preload/model/health.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Report, ReportCheck } from '../../preload/model/report.ts'
import { isWorkLeft } from '../../preload/model/finding-state.ts'
import { newestReleasedBy } from '../diagnose/behind-newest.ts'
import { branchForBuild, machineContext } from '../knowledge/servicing-chains.ts'
import { buildWithoutKbBy } from '../knowledge/build-without-kb.ts'

/**
 * The newest release of the PC's branch the knowledge lists, when the PC is below it (null: at it, or not known): the
 * newest update with its KB, or a newer build a source states without its KB (`kb` null).
 */
function newerThanPc(s: MachineSnapshot): { kb: string | null; build: string; at: string } | null {
  const os = s.os.status === 'known' ? s.os.value : null
  if (!os || os.build == null || os.ubr == null) return null
  const branch = branchForBuild(os.build, machineContext(os))
  const day = (s.takenAt ?? '').slice(0, 10)
  const newest = branch ? newestReleasedBy(branch.id, day) : null
  if (newest && newest.ubr > os.ubr)
    return { kb: newest.kb, build: `${os.build}.${newest.ubr}`, at: `${os.build}.${os.ubr}` }
  const beyond = branch ? buildWithoutKbBy(branch.id, day || '9999-12-31') : null
  return beyond && beyond.ubr > os.ubr
    ? { kb: null, build: `${os.build}.${beyond.ubr}`, at: `${os.build}.${os.ubr}` }
    : null
}

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
export function verificationOf(
  s: MachineSnapshot,
  findings: readonly HealthFinding[] | null = null,
): Report['verification'] {
  // The verdict: findings with states decide; a past finding is history, never a problem.
  const verdict = findings?.some((f) => f.state !== undefined)
  const checks: ReportCheck[] = assessHealth(s, undefined, findings ?? [], { verdict }).map((h) => ({
    id: h.id === 'failures' ? 'latest-attempt' : h.id,
    label: labels[h.id],
    ok: h.level === 'unknown' ? null : h.level === 'ok',
    level: h.level,
    detail: h.headline ? `${h.headline}. ${h.detail}` : h.detail,
    ...(h.technical ? { technical: h.technical } : {}),
  }))
  // The cause the diagnosis ranks first: "a newer update (or build) is available" is work left, not a cause; nor is the branch's
  // support state (Windows 10 after its end of support): that is a person's to settle (an ESU licence, an upgrade),
  // said by the update check below ("needs an ESU licence"), never "Problems remain".
  const notACause = (id: string) => isWorkLeft(id) || id === 'branch-support'
  const top = findings?.find((f) => f.severity !== 'info' && f.state !== 'past' && !notACause(f.id)) ?? null
  // "Most likely cause resolved" only where there was a cause: one that holds now, or one the PC's history resolved.
  if (findings === null || top !== null || findings.some((f) => f.state === 'past' && f.severity !== 'info')) {
    checks.push({
      id: 'top-cause',
      label: 'Most likely cause resolved (diagnosis)',
      ok: findings === null ? null : top === null,
      // The cause's own level: a warning that still holds is Attention, as its card and tile say.
      level: findings === null ? 'unknown' : top === null ? 'ok' : top.severity === 'warning' ? 'warn' : 'bad',
      detail:
        findings === null
          ? 'Not diagnosed.'
          : top
            ? `Still found: ${top.title}.`
            : 'The diagnosis finds no servicing problem.',
    })
  }
  // An update the verdict still offers is work left: the report never passes beside "Install KB…". And
  // "no update left" is said only of a PC at the newest update the knowledge lists for its branch.
  const offered = findings === null ? [] : offeredInstalls(findings)
  const newer = newerThanPc(s)
  if (findings !== null) {
    const behindWhy = findings.find((f) => isWorkLeft(f.id) && f.state !== 'past')
    checks.push({
      id: 'offered-installs',
      label: 'No update left to install (the PC is at the newest known update)',
      ok: offered.length === 0 && newer === null,
      // An update still to install is work left (Attention, as the latest-update tile says), not a failure.
      level: offered.length === 0 && newer === null ? 'ok' : 'warn',
      detail: offered.length
        ? `Still offered: ${offered.map((f) => f.title).join('; ')}.`
        : newer
          ? `${behindWhy && !behindWhy.repair ? behindWhy.title : `${newer.kb ?? `Build ${newer.build} (its KB is not in the knowledge)`} ${newer.kb ? `(${newer.build}) ` : ''}is newer than this PC's ${newer.at}`}.`
          : 'The PC is at the newest update the knowledge lists for its branch, and the app offers no update to install.',
    })
  }
  const known = checks.filter((c) => c.ok !== null)
  const failing = known.filter((c) => !c.ok)
  // Behind but healthy: nothing fails but the update still to install (and the latest-attempt tile that says so).
  const onlyUpdate =
    failing.length > 0 &&
    failing.some((c) => c.id === 'offered-installs') &&
    failing.every((c) => c.id === 'offered-installs' || c.id === 'latest-attempt') &&
    !(findings ?? []).some((f) => f.state !== 'past' && (f.severity === 'error' || f.severity === 'critical'))
  const status =
    known.length === 0 ? 'unknown' : failing.length === 0 ? 'healthy' : onlyUpdate ? 'update-available' : 'problems'
  return { status, checks }
}
