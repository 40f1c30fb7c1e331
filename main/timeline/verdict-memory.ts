/**
 * A fixed finding moves to history with the run that fixed it. Many rules read live facts only (WinRE's
 * version, the EFI partition's free space, the Secure Boot status, the LCU on the PC): once a run fixes the cause, the
 * rule finds nothing and the finding would simply vanish. So the verdict of a PC the app changes is remembered
 * (`<data>/verdicts/<machine>.json`, the findings that held, each with when it was last seen), and a remembered
 * finding no rule finds any more is shown as past when a verified run of what fixes it ended after it was last seen:
 * its own Fix-it repair, a WinRE repair for a WinRE finding, an install of the update(s) it is about. One that
 * vanished without such a run is not shown (nothing of this app's proves what happened).
 *
 * The file is data the app wrote, read as untrusted: checked as written (verdict-memory-check.ts) or else parsed with zod
 * (verdict-memory-schema.ts), anything odd is ignored. A training machine's
 * memory moves to the archive with its journals when it starts over (main/training/archive-runs.ts).
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { MachineRef } from '../../preload/model/common.ts'
import type { Timeline, TimelineEvent } from '../../preload/model/timeline.ts'
import { writeFileAtomicSync } from '../atomic-write.ts'
import type { Memory } from './verdict-memory-schema.ts'
import { memoryAsWritten } from './verdict-memory-check.ts'
import { localeOrder } from '../parse/locale-free.ts'

/** What a machine's memory holds: read by readVerdictMemory before the diagnosis, then used by recallVerdict. */
export type VerdictEntries = Memory['entries']

const MAX_ENTRIES = 100
const fmt = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`

/** A finding's identity across scans: its rule and the updates it is about. */
export function findingKey(f: Pick<Finding, 'id' | 'kbs'>): string {
  return `${f.id}|${(f.kbs ?? []).join(',')}`
}

function fileOf(dataDir: string, ref: MachineRef): string | null {
  const name =
    ref.kind === 'training'
      ? `training-${ref.name}${ref.via ? `-${ref.via}` : ''}`
      : ref.kind === 'this-pc'
        ? 'this-pc'
        : ref.kind === 'remote'
          ? `remote-${ref.computer}`
          : null
  return name ? join(dataDir, 'verdicts', `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`) : null
}

/**
 * The remembered findings of `ref` (none when it has no memory, or an unreadable one). The schema that checks the file
 * is loaded only when there is a file to check.
 */
export async function readVerdictMemory(dataDir: string, ref: MachineRef): Promise<VerdictEntries> {
  const file = fileOf(dataDir, ref)
  if (!file) return []
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return []
  }
  // The file as this app writes it needs no zod (verdict-memory-check.ts); anything else is zod's to judge.
  const asWritten = memoryAsWritten(value)
  const m = asWritten
    ? { success: true as const, data: asWritten }
    : (await import('./verdict-memory-schema.ts')).MemorySchema.safeParse(value)
  return m.success && JSON.stringify(m.data.machine) === JSON.stringify(ref) ? m.data.entries : []
}

/** True when a verified run `e` is what fixes `f`: its own repair, a WinRE repair for WinRE, an install of its update(s). */
export function runFixes(f: Finding, e: TimelineEvent): boolean {
  const run = e.run
  if (!run?.verified) return false
  if (run.kind === 'repair') return f.repair !== null && run.repairId === f.repair
  if (run.kind === 'winre-repair') return f.repair?.startsWith('winre-') === true
  if (run.kind === 'install') return (f.kbs ?? []).some((kb) => run.kbs.includes(kb))
  return false
}

/**
 * The remembered findings (`entries`, from readVerdictMemory) a verified run fixed since (as past), added to
 * `findings`; what holds now is remembered.
 */
export function recallVerdict(
  dataDir: string,
  ref: MachineRef,
  entries: VerdictEntries,
  findings: Finding[],
  timeline: Timeline,
  opts: { remember?: boolean; now?: Date } = {},
): Finding[] {
  const file = fileOf(dataDir, ref)
  if (!file) return findings
  const present = new Set(findings.map(findingKey))
  const recalled: Finding[] = []
  for (const { finding: f, seenAt } of entries) {
    if (present.has(findingKey(f)) || f.state === 'past') continue
    const run = timeline.events.find((e) => e.at > seenAt && runFixes(f, e))
    if (!run) continue
    present.add(findingKey(f))
    recalled.push({
      ...f,
      state: 'past',
      resolvedBy: `the verified repair "${run.run!.detail}" on ${fmt(run.at)}`,
      repair: null,
      remedies: f.remedies.map((r) => ({ ...r, repair: null })),
    })
  }
  if (opts.remember !== false) {
    const now = (opts.now ?? new Date()).toISOString()
    const byKey = new Map(entries.map((e) => [findingKey(e.finding), e]))
    for (const f of findings) if (f.state !== 'past') byKey.set(findingKey(f), { finding: f, seenAt: now })
    const next = [...byKey.values()].sort((a, b) => localeOrder(b.seenAt, a.seenAt)).slice(0, MAX_ENTRIES)
    const body = JSON.stringify({ schemaVersion: 1, machine: ref, entries: next } satisfies Memory)
    try {
      mkdirSync(join(dataDir, 'verdicts'), { recursive: true })
      let old = ''
      try {
        old = readFileSync(file, 'utf8')
      } catch {
        /* first time */
      }
      // Only the findings' last sighting changes between two looks at an unchanged PC: still written, it is small.
      if (old !== body) writeFileAtomicSync(file, body, { what: 'the remembered verdict' })
    } catch {
      /* A verdict that cannot be remembered is still the verdict. */
    }
  }
  return [...findings, ...recalled]
}
