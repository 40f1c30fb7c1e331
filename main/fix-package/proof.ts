/**
 * Proof from the "after" file: the before and after collector files of one PC side by side — build, packages,
 * WinRE, restart — and the findings that were current before and are past or gone after (resolved), those still
 * current, and any new ones; as data and as a ticket-ready text. By the findings' `state` from the one verdict
 * (main/timeline): a finding only past in the before file was never a problem to resolve, and one that is past in
 * the after file (a failure the history still shows, resolved by a restart or a later install) is resolved, not
 * remaining. Pure: both files are opened and diagnosed by the caller.
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import { isActive } from '../../preload/model/diagnosis.ts'
import { isWorkLeft } from '../../preload/model/finding-state.ts'

export interface ProofSide {
  snapshot: MachineSnapshot
  findings: Finding[]
}

export interface Proof {
  computer: string
  before: { takenAt: string; build: string | null; winre: string; restartPending: boolean | null }
  after: { takenAt: string; build: string | null; winre: string; restartPending: boolean | null }
  samePc: boolean
  /** Facts read before but not after (a probe failed): a finding about them may vanish without being fixed. */
  lostFacts: string[]
  packagesAdded: string[]
  packagesRemoved: string[]
  /** Current before, past or gone after; `resolvedBy` when the after file still shows it as history. */
  resolved: { id: string; title: string; severity: string; resolvedBy?: string }[]
  remaining: { id: string; title: string; severity: string }[]
  added: { id: string; title: string; severity: string }[]
  /**
   * Work left that no package can do: a newer build Microsoft's records name without its KB (a person finds the KB in
   * the Catalog). Listed, never counted against "fixed".
   */
  workLeft?: { id: string; title: string; severity: string }[]
  /** A rehearsal's problems the model of the PC could not show: see ProofSchema. */
  notRehearsed?: { id: string; title: string; severity: string; lacks: string }[]
  verdict: 'fixed' | 'partly-fixed' | 'not-fixed' | 'nothing-to-fix' | 'not-proven' | 'not-rehearsed'
}

/** A problem now: a serious enough finding that is current (or unknown: not known to be past). */
const problem = (f: Finding) =>
  (f.severity === 'critical' || f.severity === 'error' || f.severity === 'warning') && isActive(f)
const brief = (f: Finding) => ({ id: f.id, title: f.title, severity: f.severity })

function side(s: MachineSnapshot) {
  const os = s.os.status === 'known' ? s.os.value : null
  const w = s.winre.status === 'known' ? s.winre.value : null
  return {
    takenAt: s.takenAt,
    build: os?.build != null ? `${os.build}.${os.ubr ?? '?'}` : null,
    winre: w ? `${w.status}${w.version ? ` ${w.version}` : ''}` : 'unknown',
    restartPending: s.reboot.status === 'known' ? s.reboot.value.pending : null,
  }
}

function installedKbs(s: MachineSnapshot): Set<string> {
  if (s.packages.status !== 'known') return new Set()
  return new Set(s.packages.value.packages.filter((p) => p.state === 'installed').map((p) => p.kb ?? p.identity))
}

export function buildProof(before: ProofSide, after: ProofSide): Proof {
  const nameOf = (s: MachineSnapshot) => (s.os.status === 'known' ? s.os.value.computerName : null) ?? s.origin.name
  // Work left that no package can do: a newer build known without its KB (a person finds it in the Catalog). A newer
  // update with its KB is one the package should have installed, so it stays a problem.
  const workLeftOf = (f: Finding) => isWorkLeft(f.id) && !f.kbs?.length
  const b = before.findings.filter((f) => problem(f) && !workLeftOf(f)),
    a = after.findings.filter((f) => problem(f) && !workLeftOf(f))
  const workLeft = after.findings.filter((f) => problem(f) && workLeftOf(f)).map(brief)
  const afterIds = new Set(a.map((f) => f.id)),
    beforeIds = new Set(b.map((f) => f.id))
  const ib = installedKbs(before.snapshot),
    ia = installedKbs(after.snapshot)
  const ids = ['os', 'packages', 'history', 'hotfixes', 'reboot', 'storage', 'services', 'winre', 'bootChain'] as const
  const lostFacts = ids.filter((k) => before.snapshot[k]?.status === 'known' && after.snapshot[k]?.status !== 'known')
  const pastAfter = new Map(after.findings.filter((f) => !isActive(f)).map((f) => [f.id, f]))
  const resolved = b
    .filter((f) => !afterIds.has(f.id))
    .map((f) => {
      const by = pastAfter.get(f.id)?.resolvedBy
      return by ? { ...brief(f), resolvedBy: by } : brief(f)
    })
  const remaining = a.filter((f) => beforeIds.has(f.id)).map(brief)
  const added = a.filter((f) => !beforeIds.has(f.id)).map(brief)
  return {
    computer: nameOf(before.snapshot),
    before: side(before.snapshot),
    after: side(after.snapshot),
    samePc: nameOf(before.snapshot).toLowerCase() === nameOf(after.snapshot).toLowerCase(),
    packagesAdded: [...ia].filter((k) => !ib.has(k)).sort(),
    packagesRemoved: [...ib].filter((k) => !ia.has(k)).sort(),
    lostFacts,
    resolved,
    remaining,
    added,
    ...(workLeft.length ? { workLeft } : {}),
    verdict:
      b.length === 0
        ? 'nothing-to-fix'
        : lostFacts.length > 0
          ? 'not-proven'
          : remaining.length === 0 && added.length === 0
            ? 'fixed'
            : resolved.length > 0
              ? 'partly-fixed'
              : 'not-fixed',
  }
}

/** The ticket text. */
export function proofText(p: Proof): string {
  const verdict = {
    fixed: 'FIXED: every problem found before is gone.',
    'partly-fixed': 'PARTLY FIXED: some problems remain.',
    'not-fixed': 'NOT FIXED: the problems found before are still there.',
    'nothing-to-fix': 'Nothing was wrong before.',
    'not-proven': 'NOT PROVEN: the after file lacks facts the before file had.',
    'not-rehearsed':
      'NOT REHEARSED: the model of the PC could not show some problems found before (the snapshot lacks their evidence).',
  }[p.verdict]
  const L = [
    `Proof for ${p.computer}: ${verdict}`,
    ...(p.samePc ? [] : ['WARNING: the after file is from another computer; this comparison proves nothing.']),
    ...(p.lostFacts.length
      ? [
          `WARNING: the after file could not read ${p.lostFacts.join(', ')}; a finding about them that is gone is not proof that it was fixed.`,
        ]
      : []),
    `Before: collected ${p.before.takenAt}; build ${p.before.build ?? 'unknown'}; WinRE ${p.before.winre}; restart pending ${p.before.restartPending ?? 'unknown'}.`,
    `After:  collected ${p.after.takenAt}; build ${p.after.build ?? 'unknown'}; WinRE ${p.after.winre}; restart pending ${p.after.restartPending ?? 'unknown'}.`,
    ...(p.packagesAdded.length ? [`Installed since: ${p.packagesAdded.join(', ')}.`] : []),
    ...(p.packagesRemoved.length ? [`Removed since: ${p.packagesRemoved.join(', ')}.`] : []),
    '',
    ...(p.notRehearsed?.length
      ? [
          `Not rehearsed (${p.notRehearsed.length}):`,
          ...p.notRehearsed.map(
            (f) => `  - ${f.title} [${f.severity}, ${f.id}] — not rehearsed: the snapshot lacks ${f.lacks}`,
          ),
        ]
      : []),
    `Resolved (${p.resolved.length}):`,
    ...p.resolved.map(
      (f) =>
        `  - ${f.title} [${f.severity}, ${f.id}]${f.resolvedBy ? ` (history now: resolved by ${f.resolvedBy})` : ''}`,
    ),
    ...(p.remaining.length
      ? [`Still there (${p.remaining.length}):`, ...p.remaining.map((f) => `  - ${f.title} [${f.severity}, ${f.id}]`)]
      : []),
    ...(p.added.length
      ? [`New since (${p.added.length}):`, ...p.added.map((f) => `  - ${f.title} [${f.severity}, ${f.id}]`)]
      : []),
    ...(p.workLeft?.length
      ? [
          `Work left for a person (${p.workLeft.length}):`,
          ...p.workLeft.map(
            (f) => `  - ${f.title} [${f.severity}, ${f.id}]: find its KB in the Microsoft Update Catalog`,
          ),
        ]
      : []),
  ]
  return L.join('\n')
}
