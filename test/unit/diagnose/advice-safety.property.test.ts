/**
 * The property: every known code × every training machine (as shipped and after the cheap run it
 * offers) × every pasted-text fixture — no destructive step appears (as a command, a declared step or a repair the app
 * would run) unless the evidence holds its precondition.
 *
 * The oracle here reads the evidence itself (the snapshot, the logs' text, the fixture), not the app's facts
 * (main/diagnose/advice-facts.ts), so a broken guard in the registry (main/knowledge/remedy-steps.ts) or a path that
 * skips the gate turns it red. Shown red by hand: the gate's own precondition check skipped for destructive steps
 * (main/knowledge/remedy-steps.ts) fails on arm64-missing-checkpoint (RevertPendingActions offered with no pending work).
 * (`revert-pending`'s precondition alone made `() => true` stays green: the whole PC's preconditions still hold it back.)
 *
 * The two cross products (machine × code, machine × fixture: thousands of diagnoses of one kind) are walked whole by
 * `npm run test:full`; `npm test` walks every code a machine's own records hold on that machine, and a sample drawn by the
 * seed (test/sample.ts) of the other pairs holding every machine, every code and every fixture at least once; every
 * machine, code and fixture alone stays checked in full.
 */
import { describe, it, expect, beforeAll } from 'vitest'
import fc from 'fast-check'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServices } from '../../../main/services.ts'
import { readMachineLogs } from '../../../main/machine/read-machine-logs.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { allErrorCodes } from '../../../main/knowledge/error-codes.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import type { LogsAnalysis } from '../../../main/diagnose/rule.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { Finding, Remedy } from '../../../preload/model/diagnosis.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'
import { FULL, randomStream, sampleNote } from '../../sample.ts'

const services = createServices({ dataDir: tempDirSync('sd-advice-'), platform: 'linux' })
interface Machine {
  name: string
  snapshot: MachineSnapshot
  logs: LogsAnalysis
  logText: string
}
const machines: Machine[] = []

const fixturesRoot = fileURLToPath(new URL('../../fixtures/', import.meta.url))
const FIXTURE_DIRS = [
  'corpus',
  'cbs-log',
  'dism-log',
  'dism-output',
  'wu-event',
  'setupdiag',
  'setup-log',
  'events',
  'wu-log',
]
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}
const fixtures: { name: string; text: string }[] = FIXTURE_DIRS.flatMap((d) => walk(join(fixturesRoot, d)))
  .filter((p) => !/\.(expect\.json|source)$/.test(p) && statSync(p).size < 256 * 1024)
  .flatMap((p) => {
    try {
      const f = loadFixture(relative(fixturesRoot, p))
      return /\u0000/.test(f.text) ? [] : [{ name: relative(fixturesRoot, p), text: f.text }]
    } catch {
      return []
    }
  })
const codes = allErrorCodes().map((e) => e.code)

async function addMachine(name: string, label = name): Promise<void> {
  const ref = { kind: 'training' as const, name }
  const snapshot = await services.scan(ref)
  const { logs } = await readMachineLogs(services.hostFor(ref))
  const logText = [
    ...logs.cbs.flatMap((l) => [
      ...l.analysis.errors.map((e) => e.text),
      ...l.analysis.failedInstallers.map((f) => f.installer),
    ]),
  ].join('\n')
  machines.push({ name: label, snapshot, logs, logText })
}

beforeAll(async () => {
  for (const m of services.listTrainingMachines().machines) await addMachine(m.name)
  // After the cheap run it offers: the pending-restart machine restarted (its own repair), scanned again.
  const offered = await services.repairs.offers({ kind: 'training', name: 'x64-pending-restart' })
  if (offered.offers.some((o) => o.repairId === 'restart' && !o.refused)) {
    await services.repairs.run({ kind: 'training', name: 'x64-pending-restart' }, 'restart')
    await addMachine('x64-pending-restart', 'x64-pending-restart after restart')
  }
}, hangMs(600_000))

// ---- the oracle: what the evidence shows, read directly ----------------------------------------------------------

const PENDING = ['0x800F0806', '0x800F0826', '0x800F082F', '0x80070BC9', '0x800F0922']
const known = <T>(f: { status: string; value?: T } | undefined): T | null =>
  f && f.status === 'known' ? (f.value as T) : null
function historyFailures(m: Machine | null, code: string): number {
  const hist = known<{ hresult: string | null; result: string }[]>(m?.snapshot.history as never) ?? []
  return hist.filter((h) => h.hresult === code && (h.result === 'failed' || h.result === 'aborted')).length
}
function pendingWork(m: Machine | null): boolean {
  if (!m) return false
  const reboot = known<{ sources: { id: string; pending: boolean | null }[] }>(m.snapshot.reboot as never)
  const pk = known<{ packages: { state: string }[] }>(m.snapshot.packages as never)
  return (
    !!reboot?.sources.some((s) => s.id === 'cbs-pending-xml' && s.pending) ||
    !!pk?.packages.some((p) => /staged|pending/.test(p.state))
  )
}
const onPc = (m: Machine | null, fixture: string | null, code: string) =>
  historyFailures(m, code) > 0 ||
  (m?.logText ?? '').toUpperCase().includes(code.slice(2)) ||
  (fixture ?? '').toUpperCase().includes(code.slice(2))

interface Shown {
  kind: string
  what: string
}
/** Destructive steps a remedy shows, recognised by the test's own patterns (never by the app's registry). */
function destructiveShown(r: Remedy): Shown[] {
  const out: Shown[] = []
  const cmds = [...r.commands, ...(r.fillIn ?? [])]
  const has = (re: RegExp) => cmds.filter((c) => re.test(c))
  for (const c of has(/RevertPendingActions/i)) out.push({ kind: 'revert', what: c })
  for (const c of has(/Remove-Package|Remove-WindowsPackage/i)) out.push({ kind: 'remove-package', what: c })
  for (const c of has(/pending\.xml|COMPONENTS/i)) out.push({ kind: 'pending-xml', what: c })
  for (const c of has(/SoftwareDistribution|catroot2/i)) out.push({ kind: 'wu-folders', what: c })
  for (const c of has(/robocopy.*EFI|\\EFI\\.*\/MOVE/i)) out.push({ kind: 'efi-move', what: c })
  for (const c of has(/diskpart|reagentc(\.exe)?\s+\/disable/i)) out.push({ kind: 'resize', what: c })
  for (const c of has(/\breg(\.exe)?\s+delete\b/i)) out.push({ kind: 'reg-delete', what: c })
  const repairKind: Record<string, string> = {
    'remove-package': 'remove-package',
    'reset-wu-components': 'wu-folders',
    'free-esp-space': 'efi-move',
    'winre-resize': 'resize',
  }
  if (r.repair && repairKind[r.repair]) out.push({ kind: repairKind[r.repair]!, what: `repair ${r.repair}` })
  for (const s of r.steps ?? [])
    if (/pending\.xml|COMPONENTS/.test(s.intent)) out.push({ kind: 'pending-xml', what: s.intent })
  for (const s of r.steps ?? [])
    if (/recovery partition/i.test(s.intent) && s.risk === 'destructive') out.push({ kind: 'resize', what: s.intent })
  // Advice in words is a step too: enlarging the EFI partition by hand names bcdboot.
  if (/\bbcdboot\b/.test(r.text) && !r.withheld?.some((w) => w.kind === 'boot-files'))
    out.push({ kind: 'efi-move', what: `${r.id}: ${r.text.slice(0, 60)}` })
  return out
}

/** Why a shown destructive step is not backed by this evidence, or null when it is. */
function unbacked(s: Shown, m: Machine | null, fixture: string | null, finding: Finding): string | null {
  const mb = 1024 * 1024
  switch (s.kind) {
    case 'revert':
    case 'pending-xml': {
      const again = PENDING.filter((c) => historyFailures(m, c) >= 2)
      if (!pendingWork(m)) return 'no pending work on the PC'
      if (!again.length) return 'no pending-type failure came back after a retry'
      if (s.kind === 'pending-xml' && !again.includes('0x80070BC9'))
        return 'the COMPONENTS/pending.xml edit is only for 0x80070BC9'
      return null
    }
    case 'remove-package': {
      const lcuBlocked =
        historyFailures(m, '0x80242004') > 0 ||
        (known<{ operation: string; hresult: string | null }[]>(m?.snapshot.history as never) ?? []).some(
          (h) => h.operation === 'uninstall' && h.hresult === '0x80242004',
        )
      // A CBS.log pasted beside the PC is its evidence too.
      const task = /SecureBootEncodeUEFI|Task Scheduler/.test(`${m?.logText ?? ''}\n${fixture ?? ''}`)
      const again = PENDING.some((c) => historyFailures(m, c) >= 2)
      return lcuBlocked || (pendingWork(m) && (task || again))
        ? null
        : 'no staged package with a repeated failure, no task-cache evidence, no blocked LCU uninstall'
    }
    case 'wu-folders':
      return ['0x80092003', '0x80242006'].some((c) => onPc(m, fixture, c))
        ? null
        : 'no Windows Update data failure on the PC'
    case 'efi-move': {
      const bc = known<{ esp: { freeBytes: number | null } | null }>(m?.snapshot.bootChain as never)
      const st = known<{ disks: { partitions: { role: string; freeBytes: number | null }[] }[] }>(
        m?.snapshot.storage as never,
      )
      const free =
        bc?.esp?.freeBytes ?? st?.disks.flatMap((d) => d.partitions).find((p) => p.role === 'system')?.freeBytes ?? null
      return free !== null && free < 15 * mb ? null : 'the EFI partition was not measured full'
    }
    case 'resize': {
      const st = known<{ disks: { partitions: { role: string; holdsWinre?: boolean; freeBytes: number | null }[] }[] }>(
        m?.snapshot.storage as never,
      )
      const parts = st?.disks.flatMap((d) => d.partitions) ?? []
      const rec = parts.find((p) => p.holdsWinre) ?? parts.find((p) => p.role === 'recovery')
      return rec?.freeBytes != null && rec.freeBytes < 250 * mb
        ? null
        : 'the recovery partition was not measured too small'
    }
    case 'reg-delete':
      return /SecureBootEncodeUEFI/.test(`${m?.logText ?? ''}\n${fixture ?? ''}`)
        ? null
        : `registry delete without its task-cache evidence (${finding.id})`
  }
  return 'unknown kind'
}

/**
 * Pairs (a, b) of two ranges, in order: all of them under test:full; else every pair `always` names and, drawn by the
 * seed, each a with some b, each b with some a, and more drawn pairs to about one in eight (interactions get a fresh draw
 * each seed). Drawn here rather than by sampleIndexes, whose cover-every-kind search is quadratic in thousands of pairs.
 */
function pairs(
  label: string,
  na: number,
  nb: number,
  always: (a: number, b: number) => boolean = () => false,
): Array<[number, number]> {
  if (FULL) return Array.from({ length: na * nb }, (_, i) => [Math.floor(i / nb), i % nb])
  const random = randomStream(label)
  const below = (n: number) => Math.floor(random() * n)
  const keys = new Set<number>()
  for (let a = 0; a < na; a++) for (let b = 0; b < nb; b++) if (always(a, b)) keys.add(a * nb + b)
  for (let a = 0; a < na; a++) keys.add(a * nb + below(nb))
  for (let b = 0; b < nb; b++) keys.add(below(na) * nb + b)
  const want = Math.min(na * nb, Math.max(keys.size, Math.ceil((na * nb) / 8)))
  while (keys.size < want) keys.add(below(na * nb))
  return [...keys].sort((x, y) => x - y).map((k) => [Math.floor(k / nb), k % nb])
}

/** Which sample a red check comes from (the seed to rerun it by). */
let drawn = ''

function check(mi: number | null, ci: number | null, fi: number | null): void {
  const m = mi === null ? null : machines[mi]!
  const code = ci === null ? null : codes[ci]!
  const fx = fi === null ? null : fixtures[fi]!
  const out = diagnose({
    snapshot: m?.snapshot ?? null,
    logs: m ? { ...m.logs } : undefined,
    code,
    text: fx?.text ?? null,
  })
  for (const f of out.findings) {
    let sawDestructive = false
    for (const r of f.remedies) {
      // Every remedy passed the gate: its steps are stated, with risk and precondition.
      expect(r.steps, `${f.id}/${r.id} has no steps`).toBeDefined()
      const shown = destructiveShown(r)
      if (shown.length) sawDestructive = true
      // A follow-up ("Then install the WinRE update again") runs after the step before it, destructive or not.
      else if (!/^Then\b/.test(r.title))
        expect(sawDestructive, `${f.id}: safe remedy ${r.id} after a destructive one`).toBe(false)
      for (const s of shown) {
        const why = unbacked(s, m, fx?.text ?? null, f)
        expect(
          why,
          `${m?.name ?? 'no machine'} × ${code ?? 'no code'} × ${fx?.name ?? 'no text'}: ${f.id}/${r.id} shows ${s.what}${drawn}`,
        ).toBeNull()
      }
    }
    const repairShown = destructiveShown({
      id: 'finding',
      title: '',
      text: '',
      commands: [],
      repair: f.repair,
      sources: [],
      verified: true,
      steps: [],
    })
    for (const s of repairShown)
      expect(
        unbacked(s, m, fx?.text ?? null, f),
        `${m?.name} × ${code} × ${fx?.name}: finding ${f.id} offers ${s.what}${drawn}`,
      ).toBeNull()
  }
}

describe('no destructive step without its precondition', () => {
  it('has what it ranges over', () => {
    expect(machines.length).toBeGreaterThanOrEqual(services.listTrainingMachines().machines.length)
    expect(codes.length).toBeGreaterThanOrEqual(90)
    expect(fixtures.length).toBeGreaterThanOrEqual(100)
  })

  it('every known code alone, and explained: no destructive step at all', () => {
    for (let ci = 0; ci < codes.length; ci++) {
      check(null, ci, null)
      const x = explain(codes[ci]!)
      expect(x.ok).toBe(true)
      if (x.ok) for (const r of x.value.remedies) expect(destructiveShown(r), `explain ${codes[ci]}`).toEqual([])
    }
  })

  it(`every training machine × ${FULL ? 'every known code' : 'a seeded sample of the known codes'}`, {
    timeout: hangMs(600_000),
  }, () => {
    for (let mi = 0; mi < machines.length; mi++) check(mi, null, null)
    // Every code the machine's own records hold (where a precondition can hold, so a guard decides) is walked whole.
    const drawnPairs = pairs('advice-safety machine × code', machines.length, codes.length, (mi, ci) =>
      onPc(machines[mi]!, null, codes[ci]!),
    )
    drawn = ` (${sampleNote()})`
    try {
      for (const [mi, ci] of drawnPairs) check(mi, ci, null)
    } finally {
      drawn = ''
    }
    expect(new Set(drawnPairs.map(([, ci]) => ci)).size).toBe(codes.length)
  })

  it(`every pasted-text fixture, alone and on ${FULL ? 'every training machine' : 'a seeded sample of the machines'}`, {
    timeout: hangMs(600_000),
  }, () => {
    for (let fi = 0; fi < fixtures.length; fi++) check(null, null, fi)
    const drawnPairs = pairs('advice-safety fixture × machine', fixtures.length, machines.length)
    drawn = ` (${sampleNote()})`
    try {
      for (const [fi, mi] of drawnPairs) check(mi, null, fi)
    } finally {
      drawn = ''
    }
    expect(new Set(drawnPairs.map(([fi]) => fi)).size).toBe(fixtures.length)
  })

  it('random machine × code × text triples', { timeout: hangMs(600_000) }, () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat({ max: machines.length - 1 })),
        fc.option(fc.nat({ max: codes.length - 1 })),
        fc.option(fc.nat({ max: fixtures.length - 1 })),
        (mi, ci, fi) => {
          check(mi, ci, fi)
        },
      ),
      { numRuns: 400 },
    )
  })
})
