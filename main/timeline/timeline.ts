/**
 * The timeline of a PC, pure: its last boot, update attempts from the Windows Update history, CBS/DISM
 * servicing sessions from the logs, and the runs of this app, oldest first. Findings take their state from it.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { AppRun, Timeline, TimelineEvent } from '../../preload/model/timeline.ts'
import type { CbsLogAnalysis } from '../parse/cbs-log.ts'
import type { DismLogAnalysis } from '../parse/dism-log.ts'
import { allKnownUpdates, branchForBuild, machineContext } from '../knowledge/servicing-chains.ts'
import { localeOrder } from '../parse/locale-free.ts'

/** A log or history time as ISO 8601: `2026-06-10 08:24:54` (CBS/DISM, the PC's clock: read as UTC) or ISO already. */
export function isoOf(text: string | null | undefined): string | null {
  if (!text) return null
  const m = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/.exec(text)
  if (!m) return null
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}${m[4] ?? 'Z'}`)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

export interface TimelineInput {
  snapshot: MachineSnapshot | null
  /** The CBS and DISM sessions read (the diagnosis's LogsAnalysis carries them; the timeline sits below the diagnosis). */
  logs?: { cbs: { source: string; analysis: CbsLogAnalysis }[]; dism: { source: string; analysis: DismLogAnalysis }[] }
  runs?: AppRun[]
}

export function buildTimeline({ snapshot, logs, runs = [] }: TimelineInput): Timeline {
  const events: TimelineEvent[] = []
  const os = snapshot?.os.status === 'known' ? snapshot.os.value : null
  const lastBootAt = os?.lastBootAt ?? null
  if (lastBootAt)
    events.push({
      at: lastBootAt,
      kind: 'boot',
      title: 'Windows started (last boot)',
      outcome: 'succeeded',
      kb: null,
      code: null,
      source: 'Win32_OperatingSystem.LastBootUpTime',
    })
  const history = snapshot?.history.status === 'known' ? snapshot.history.value : []
  for (const h of history) {
    const at = isoOf(h.date)
    if (!at || h.operation === 'other') continue
    const outcome =
      h.result === 'succeeded' || h.result === 'succeeded-with-errors'
        ? 'succeeded'
        : h.result === 'failed' || h.result === 'aborted'
          ? 'failed'
          : h.result === 'in-progress'
            ? 'pending'
            : 'other'
    events.push({
      at,
      kind: 'update-attempt',
      title: `${h.operation === 'uninstall' ? 'Uninstall' : 'Install'}: ${h.title}`,
      outcome,
      kb: h.kb,
      code: outcome === 'failed' ? h.hresult : null,
      source: 'Windows Update history',
    })
  }
  for (const { source, analysis } of logs?.cbs ?? []) {
    for (const e of analysis.episodes) {
      const at = isoOf(e.firstError?.time ?? e.lastError?.time ?? null)
      if (!at) continue
      const code = e.firstError?.code ?? null
      events.push({
        at,
        kind: 'servicing-session',
        title: `CBS session${e.client ? ` (${e.client})` : ''} failed${e.failingPackage ? `: ${e.failingPackage}` : ''}`,
        outcome: 'failed',
        kb: null,
        code,
        source,
      })
    }
    if (analysis.rebootPending) {
      const at = isoOf(analysis.rebootPending.text)
      if (at)
        events.push({
          at,
          kind: 'servicing-session',
          title: 'CBS session finished: a restart is required',
          outcome: 'pending',
          kb: null,
          code: null,
          source: `${source} line ${analysis.rebootPending.line}`,
        })
    }
  }
  for (const { source, analysis } of logs?.dism ?? []) {
    const e = analysis.lastError
    const at = isoOf(e?.time ?? null)
    if (e && at)
      events.push({
        at,
        kind: 'servicing-session',
        title: `DISM failed: ${e.text.slice(0, 120)}`,
        outcome: 'failed',
        kb: null,
        code: e.code,
        source,
      })
  }
  for (const r of runs) {
    const at = isoOf(r.at)
    if (!at) continue
    events.push({
      at,
      kind: 'app-run',
      title: r.detail,
      outcome: r.verified
        ? 'succeeded'
        : r.status === 'failed'
          ? 'failed'
          : r.status === 'running'
            ? 'pending'
            : 'other',
      kb: r.kbs[0] ?? null,
      code: null,
      source: `Servicing Desk journal ${r.id}`,
      run: r,
    })
  }
  events.sort((a, b) => localeOrder(a.at, b.at) || localeOrder(a.kind, b.kind))
  const once = pendingRestartOnce(events, lastBootAt)
  const pendingNow = snapshot?.reboot.status === 'known' && snapshot.reboot.value.pending
  const staged = stagedUpdates(snapshot)
  const marked = once.filter((e) => e.restartPending)
  const pendingRestart = pendingNow
    ? {
        at: marked[0]?.at ?? null,
        kbs: [
          ...new Set([...marked.flatMap((e) => (e.kb ? [e.kb] : [])), ...staged.flatMap((s) => (s.kb ? [s.kb] : []))]),
        ],
        sources: [...new Set(marked.flatMap((e) => e.source.split('; ')))],
      }
    : null
  // Marked only while the restart is pending: after it, the events are history like any other.
  const events2 = pendingNow ? once : once.map(({ restartPending: _, ...e }) => e)
  return { lastBootAt, events: events2, pendingRestart, staged: pendingNow ? staged : [] }
}

/**
 * One restart, one event: since the last boot, Windows Update's entries still in progress (installed, waiting for the
 * restart) and CBS's "a restart is required" lines are the same restart. The update entries stay (they name the
 * update), the CBS lines go into the first one's source; with no such update entry, the first CBS line stays.
 */
function pendingRestartOnce(events: TimelineEvent[], lastBootAt: string | null): TimelineEvent[] {
  const since = (e: TimelineEvent) => !lastBootAt || e.at >= lastBootAt
  const isCbs = (e: TimelineEvent) => e.kind === 'servicing-session' && e.outcome === 'pending' && since(e)
  const isWu = (e: TimelineEvent) => e.kind === 'update-attempt' && e.outcome === 'pending' && since(e)
  const cbs = events.filter(isCbs)
  const wu = events.filter(isWu)
  if (!cbs.length && !wu.length) return events
  const keep = wu.length ? wu : [cbs[0]!]
  const folded = wu.length ? cbs : cbs.slice(1)
  const out: TimelineEvent[] = []
  for (const e of events) {
    if (folded.includes(e)) continue
    if (e === keep[0])
      out.push({
        ...e,
        restartPending: true,
        source: [e.source, ...folded.map((c) => c.source)].join('; '),
      })
    else if (keep.includes(e)) out.push({ ...e, restartPending: true })
    else out.push(e)
  }
  return out
}

/** Packages installed and waiting for the restart (DISM "Install Pending"), with the KB and build they bring. */
function stagedUpdates(snapshot: MachineSnapshot | null): NonNullable<Timeline['staged']> {
  const packages = snapshot?.packages.status === 'known' ? snapshot.packages.value.packages : []
  const os = snapshot?.os.status === 'known' ? snapshot.os.value : null
  const branch = os?.build != null ? branchForBuild(os.build, machineContext(os)) : null
  return packages
    .filter((p) => p.state === 'install-pending')
    .map((p) => {
      // A cumulative update's package names its build: Package_for_RollupFix~…~~26100.8655.1.14.
      const m = /~(\d{5})\.(\d{1,5})\.\d+\.\d+$/.exec(p.identity)
      const ubr = m ? Number(m[2]) : null
      const build = m && os?.build != null ? `${os.build}.${ubr}` : m ? `${m[1]}.${m[2]}` : null
      const known =
        ubr !== null && /RollupFix/i.test(p.identity)
          ? allKnownUpdates().find(
              (u) => u.kind === 'lcu' && u.ubr === ubr && (branch ? u.branchIds.includes(branch.id) : true),
            )
          : undefined
      return { identity: p.identity, kb: p.kb ?? known?.kb ?? null, build, state: 'install-pending' as const }
    })
}
