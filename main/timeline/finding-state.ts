/**
 * Each finding's state, computed once from the PC's timeline:
 * - `current`: it rests on live facts (the scan shows it now), or on dated evidence nothing has resolved since;
 * - `past`: all its dated evidence is older than what resolves that cause — a restart (for what a restart clears),
 *   a verified run of the repair the finding offers, or a later successful install of the same update(s);
 * - `unknown`: dated evidence a restart would clear, and the last boot could not be read.
 * A past finding offers no repair. Severity stays the rule's: one severity per fact, on the finding.
 */
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Timeline, TimelineEvent } from '../../preload/model/timeline.ts'
import { isoOf } from './timeline.ts'

/** Codes that mean "earlier servicing waits for a restart" (main/diagnose/rules/reboot.ts). */
const RESTART_CODES = new Set(['0x800F0806', '0x800F0826', '0x800F082F', '0x80242014', '0x80240016', '0x80070BC9'])
/** Findings a restart resolves when the scan no longer shows anything waiting for one. */
const RESTART_FINDINGS = new Set(['pending-restart', 'shutdown-in-progress-effect'])

function restartClears(f: Finding): boolean {
  return RESTART_FINDINGS.has(f.id) || (f.codes.length > 0 && f.codes.every((c) => RESTART_CODES.has(c)))
}

/** What the scan shows now for findings whose cause is visible live (evidence then outweighs any date). */
function liveNow(f: Finding, s: MachineSnapshot | null): boolean {
  if (!s) return false
  if (restartClears(f)) {
    const reboot = s.reboot.status === 'known' ? s.reboot.value.pending : false
    const pkgs =
      s.packages.status === 'known'
        ? s.packages.value.packages.some((p) => p.state === 'install-pending' || p.state === 'uninstall-pending')
        : false
    return reboot || pkgs
  }
  return false
}

const fmt = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

/** The updates a finding is about: the ones it names, else the failed history entries with its codes. */
function kbsOf(f: Finding, s: MachineSnapshot | null): string[] {
  if (f.kbs?.length) return f.kbs
  const h = s?.history.status === 'known' ? s.history.value : []
  return [
    ...new Set(
      h
        .filter(
          (e) => e.kb && e.hresult && (e.result === 'failed' || e.result === 'aborted') && f.codes.includes(e.hresult),
        )
        .map((e) => e.kb!),
    ),
  ]
}

/** The WinRE / Safe OS updates that fail for a recovery partition too small (KB5034441 and its siblings). */
const WINRE_KBS = new Set(['KB5034441', 'KB5034440', 'KB5034439', 'KB5034957'])

/** A WinRE repair resolves a finding about WinRE: its own repair, or the failures of a WinRE update on a too-small partition. */
function winreCause(f: Finding, s: MachineSnapshot | null): boolean {
  if (f.repair?.startsWith('winre-') || f.codes.includes('0x800F0828')) return true
  const kbs = kbsOf(f, s)
  return kbs.length > 0 && kbs.every((kb) => WINRE_KBS.has(kb))
}

function resolution(f: Finding, since: string, t: Timeline, s: MachineSnapshot | null): string | null {
  const after = t.events.filter((e) => e.at > since)
  const run = after.find(
    (e) =>
      e.run?.verified &&
      ((f.repair && e.run.repairId === f.repair) || (e.run.kind === 'winre-repair' && winreCause(f, s))),
  )
  if (run) return `the verified repair "${run.run!.detail}" on ${fmt(run.at)}`
  if (restartClears(f)) {
    const boot = t.lastBootAt && t.lastBootAt > since ? t.lastBootAt : null
    const restartRun = after.find((e) => e.run?.verified && e.run.repairId === 'restart')
    if (restartRun) return `a verified restart on ${fmt(restartRun.at)}`
    if (boot) return `a restart on ${fmt(boot)}`
  }
  const kbs = kbsOf(f, s)
  if (kbs.length) {
    const done = (kb: string): TimelineEvent | undefined =>
      after.find(
        (e) =>
          (e.kind === 'update-attempt' && e.outcome === 'succeeded' && e.kb === kb) ||
          (e.run?.kind === 'install' && e.run.verified && e.run.kbs.includes(kb)),
      )
    const evs = kbs.map(done)
    if (evs.every(Boolean))
      return `a later successful install of ${kbs.join(', ')} on ${fmt(
        evs
          .map((e) => e!.at)
          .sort()
          .at(-1)!,
      )}`
  }
  return null
}

/** The newest time among a finding's evidence (history dates, log line times), or null when none has one. */
export function newestEvidenceTime(f: Finding): string | null {
  let newest: string | null = null
  for (const e of f.evidence) {
    const at = isoOf(e.excerpt)
    if (at && (!newest || at > newest)) newest = at
  }
  return newest
}

export function assignStates(findings: Finding[], timeline: Timeline, snapshot: MachineSnapshot | null): Finding[] {
  return findings.map((f) => {
    const since = newestEvidenceTime(f)
    if (!snapshot || since === null || liveNow(f, snapshot)) return { ...f, state: 'current', since }
    const by = resolution(f, since, timeline, snapshot)
    if (by)
      return {
        ...f,
        state: 'past',
        since,
        resolvedBy: by,
        repair: null,
        remedies: f.remedies.map((r) => ({ ...r, repair: null })),
      }
    if (restartClears(f) && timeline.lastBootAt === null) return { ...f, state: 'unknown', since }
    return { ...f, state: 'current', since }
  })
}
