/**
 * Every problem machine's Fix-<host>.ps1 run by PowerShell, shared by the fix-package-sweep-* test
 * files (the machines split between files so vitest's two workers both stay busy): through every restart to the end
 * with the proof from its after file, and killed at every step boundary (one kill after another, each next run going
 * on where the last stopped) with nothing run twice and nothing skipped; x64-pending-restart also one kill at a time,
 * each followed by an uninterrupted run to the end.
 *
 * A kill sweep one kill at a time costs about four PowerShell runs a boundary (the kill, the run after it, the runs
 * after its restarts); in turn, one run a boundary. The one-at-a-time sweep starts each kill from the run it falls
 * in, not from the first run: the uninterrupted run saves the emulated PC (EmulatedPc.checkpoint: its disk, the model, registry writes, owners) before each of its runs, and the
 * kill at a boundary of run j puts the PC back to the checkpoint before run j (the runs before it are what the
 * uninterrupted run did: the emulated PC is deterministic). What ran is then the uninterrupted run's commands before
 * run j, and everything after — still compared with the whole uninterrupted run, command by command.
 *
 * `npm run test:full` kills at every boundary. `npm test` kills at a seeded sample of them (test/sample.ts): of the
 * boundaries of this file's machines, at least one on each machine and one of each kind (boundaryKinds: before the
 * first command, before the first command after a restart, before the restart, before a script of its own starts,
 * before a PowerShell step, before a program) — each kind any machine has is in the file of that machine, so every
 * kind is killed at somewhere. The kills of a chain are still one after another, each next run going on where the
 * last stopped; each kill is checked to have come before the boundary it was meant for. A chain starts at the run its
 * first kill falls in, from the uninterrupted run's checkpoint before that run (as the one-at-a-time sweep does). The
 * one-at-a-time sweep (each kill followed by an uninterrupted finish, ~4 runs a boundary) runs under test:full only: in
 * npm test every chain's last kill is such a kill (the runs after it go through to the end uninterrupted, compared
 * command by command), on every machine.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import type { EmulatedPc, PcCheckpoint, ScriptRun, StandInCall } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { FULL, sampleIndexes, sampleNote } from '../../sample.ts'
import { buildPackage, pcWithPackage, proofOf, type BuiltPackage } from './fix-run-helpers.ts'
import { hangMs } from '../../load.ts'

/** A program call as a line (what ran, with which argv). */
const line = (c: StandInCall) => `${c.tool} ${c.args.join(' ')}`
const programs = (calls: readonly StandInCall[]) => calls.filter((c) => c.kind === 'program').map(line)
/** What changes or reads the PC; a script a step starts (the kit's, the collector) may start again when it was killed
 * before it did anything: what it runs is compared. */
const commands = (calls: readonly StandInCall[]) =>
  programs(calls)
    .filter((l) => !l.startsWith('powershell.exe '))
    // The collector's work folder is a new random id each time it runs (compared as one name).
    .map((l) => l.replace(/\\collector\\[0-9a-f]{32}\\/gi, '\\collector\\<its work folder>\\'))
/** A step boundary: before each command the script itself starts (the call operator; the collector's own reads go
 * through .NET processes). */
const isBoundary = (c: StandInCall) => c.kind === 'program' && c.via === 'call-operator'
/** The work folder of a package on the PC (its id is in the script). */
const workOf = (script: string) => /^\$Work = '([^']+)'/m.exec(readFileSync(script, 'utf8'))![1]!
const RUNONCE = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce'

/**
 * The problem machines in four parts, one per test file (fix-package-sweep-{1,2,3,4}.test.ts), balanced by measured
 * cost (the uninterrupted run, ~30-70 s at a load of ~20, and one run per step boundary, ~9 s each; boundaries: 20,
 * 20, 14, 13, 9, 8, 7, 5, 4, 3; x64-pending-restart is also killed at every boundary with an uninterrupted finish
 * after each, ~20 s a boundary). fix-package-run.test.ts checks that the parts hold every problem machine.
 */
export const SWEEP_PARTS: readonly (readonly string[])[] = [
  ['x64-component-store-corrupt', 'x64-wu-components-broken', 'x64-lcu-uninstall-blocked'],
  ['x64-store-corrupt-iso', 'arm64-winre-disabled', 'x64-secureboot-2011'],
  ['x64-pending-restart', 'x64-efi-partition-full'],
  ['x64-winre-partition-full', 'arm64-missing-checkpoint'],
]
/**
 * The machines also killed at every boundary with an uninterrupted run to the end after each single kill (the sweep
 * fix-package-run.test.ts had); every machine is killed at every boundary in turn.
 */
export const EVERY_BOUNDARY = ['x64-pending-restart']
/**
 * The machine whose package restarts first (a restart step, then the update and its restart): its stop with 3010 and
 * the continuation after it are checked on its uninterrupted run (fix-package-run.test.ts had a run of its own for it).
 */
const STOPS_AND_STARTS = 'x64-pending-restart'

interface Reference {
  p: BuiltPackage
  pc: EmulatedPc
  script: string
  runs: ScriptRun[]
  starts: PcCheckpoint[]
  runOnce: string[]
}

/**
 * The kinds of each step boundary of an uninterrupted run (in order, over its runs): what a kill there cuts short. A
 * boundary can be of several kinds (x64-pending-restart's first command is its restart).
 */
export function boundaryKinds(runs: readonly ScriptRun[]): string[][] {
  return runs.flatMap((r, j) =>
    r.calls.filter(isBoundary).map((c, local) => {
      const kinds: string[] = []
      if (local === 0) kinds.push(j === 0 ? 'before the first command' : 'before the first command after a restart')
      if (c.tool === 'shutdown.exe') kinds.push('before the restart')
      else if (c.tool === 'powershell.exe')
        kinds.push(
          c.args.some((a) => a.toLowerCase() === '-file')
            ? 'before a script of its own starts'
            : 'before a PowerShell step',
        )
      else kinds.push('before a program')
      return kinds
    }),
  )
}

/**
 * Kills a chain of runs before the boundaries `targets` (indexes into the uninterrupted run's boundaries, ascending),
 * one kill a run: the same options for every run of the chain (by hand after a kill, or RunOnce's after a restart).
 * After a kill the next run passes the boundaries before the one the kill came before (a script a step starts, such
 * as the kit's, starts again on the way) and counts on from that one, which now runs.
 */
function chainKiller(
  targets: readonly number[],
  from = 0,
): { opts: { killBefore: (c: StandInCall) => boolean }; killedAt: number[] } {
  const killedAt: number[] = []
  let seen = from
  let passUntil: string | null = null
  const killBefore = (c: StandInCall) => {
    if (!isBoundary(c)) return false
    if (passUntil !== null) {
      if (line(c) === passUntil) {
        passUntil = null
        seen++
      }
      return false
    }
    if (killedAt.length < targets.length && seen === targets[killedAt.length]) {
      killedAt.push(seen)
      passUntil = line(c)
      return true
    }
    seen++
    return false
  }
  return { opts: { killBefore }, killedAt }
}

/** `machines`: the problem machines of this file; `everyBoundary`: those also killed at every boundary one kill at a time. */
export function fixPackageSweep(machines: readonly string[], everyBoundary: readonly string[] = EVERY_BOUNDARY): void {
  const ps = requirePowerShell()
  const dir = tempDirSync('sd-fixsweep-')
  const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
  const open: EmulatedPc[] = []
  afterAll(async () => {
    for (const pc of open) await pc.close()
  })

  /** The uninterrupted run, through every restart (RunOnce), with a checkpoint of the PC before each run. */
  const references = new Map<string, Promise<Reference>>()
  const referenceOf = (machine: string) => {
    if (!references.has(machine))
      references.set(
        machine,
        (async () => {
          const p = await buildPackage(services, dir, machine)
          const { pc, script } = await pcWithPackage(p)
          open.push(pc)
          const starts = [pc.checkpoint()]
          const runs = [await pc.run(script, [], { timeoutMs: 300_000 })]
          const runOnce: string[] = []
          while (runs[runs.length - 1]!.exitCode === 3010 && runs.length <= 6) {
            const v = (await pc.registry(RUNONCE))?.values.find((x) => x.name === 'ServicingDeskFix')
            runOnce.push(String(v?.data))
            starts.push(pc.checkpoint())
            const next = await pc.restart()
            if (next.length !== 1) throw new Error(`after restart ${runs.length} RunOnce ran ${next.length} scripts`)
            runs.push(next[0]!)
          }
          return { p, pc, script, runs, starts, runOnce }
        })(),
      )
    return references.get(machine)!
  }

  /**
   * The boundaries each machine of this file is killed at in turn: all of them under test:full; else the seeded
   * sample of the file's boundaries (each machine, each kind). Known once every machine of the file has run through.
   */
  let chainTargets: Promise<Map<string, number[]>> | null = null
  const targetsOf = async (machine: string) => {
    chainTargets ??= (async () => {
      const all: { machine: string; k: number; kinds: string[] }[] = []
      for (const m of machines) {
        const kinds = boundaryKinds((await referenceOf(m)).runs)
        all.push(...kinds.map((k, i) => ({ machine: m, k: i, kinds: [`machine ${m}`, ...k] })))
      }
      const kept = sampleIndexes(`fix-sweep chain: ${machines.join(' ')}`, all, { kindsOf: (b) => b.kinds }).map(
        (i) => all[i]!,
      )
      return new Map(machines.map((m) => [m, kept.filter((b) => b.machine === m).map((b) => b.k)]))
    })()
    return (await chainTargets).get(machine)!
  }

  describe.runIf(ps).each(machines)('Fix-<host>.ps1 of %s, run by PowerShell', (machine) => {
    it('runs through its restarts to the end; the proof from its after file shows the findings resolved', {
      timeout: hangMs(600_000),
    }, async () => {
      const { p, pc, script, runs, runOnce } = await referenceOf(machine)
      const last = runs[runs.length - 1]!
      expect(last.exitCode, `${last.stdout.slice(-1500)}\n${last.stderr.slice(0, 1500)}`).toBe(0)
      // Every restart stopped the run with the documented 3010, and the RunOnce entry started the copy in the work folder.
      for (const r of runs.slice(0, -1)) expect(r.exitCode).toBe(3010)
      for (const v of runOnce)
        expect(v).toMatch(
          /^"[^"]+\/Windows\/System32\/WindowsPowerShell\/v1\.0\/powershell\.exe" -NoProfile -ExecutionPolicy Bypass -File "C:\\ProgramData\\ServicingDesk\\fix-package\\[^"]+\\Fix-[A-Z0-9-]+\.ps1" -Package "[^"]+"$/,
        )
      const after = pc.localPath(`${workOf(script)}\\after-${pc.state().os.computerName}.zip`)
      expect(existsSync(after)).toBe(true)
      const proof = await proofOf(services, p.before, after)
      expect(proof.samePc).toBe(true)
      expect(proof.resolved.length, JSON.stringify(proof.remaining.map((f) => f.id))).toBeGreaterThan(0)
      expect(['fixed', 'partly-fixed']).toContain(proof.verdict)
    })

    // The stop and the start again, read on the uninterrupted run this file makes anyway (not a second run of it).
    if (machine === STOPS_AND_STARTS)
      it('stops with 3010 at a restart, its RunOnce entry starts its own copy in the work folder, and that run continues where it stopped', {
        timeout: hangMs(600_000),
      }, async () => {
        const { script, runs, runOnce } = await referenceOf(machine)
        const [first, second] = runs
        expect(first!.exitCode, first!.stdout.slice(-1500)).toBe(3010)
        // Its own digest, to compare out of band with the one the app showed (the manifest's), printed by the first run.
        expect(first!.stdout).toContain(
          `This script's SHA-256: ${createHash('sha256').update(readFileSync(script)).digest('hex').toUpperCase()}. Compare it with the one Servicing Desk showed`,
        )
        expect(runOnce[0]).toMatch(
          /^"[^"]+\/Windows\/System32\/WindowsPowerShell\/v1\.0\/powershell\.exe" -NoProfile -ExecutionPolicy Bypass -File "C:\\ProgramData\\ServicingDesk\\fix-package\\[^"]+\\Fix-[A-Z0-9-]+\.ps1" -Package "[^"]+"$/,
        )
        // The continuation: the step that asked for the restart is done now (the PC booted since), nothing before it runs again.
        expect(second!.stdout).toMatch(/the PC has restarted/)
        expect(second!.stdout).not.toMatch(
          /Every file of the package is present[\s\S]*Step 1 of \d+: [^\n]*\n[^\n]*Step 1: restarting/,
        )
        expect(runs[runs.length - 1]!.exitCode).toBe(0)
      })

    it(`killed at ${FULL ? 'every step boundary' : "a seeded sample of its step boundaries (each kind of boundary of this file's machines)"} in turn, each next run goes on where the last stopped: every command run once, none twice, none skipped`, {
      timeout: hangMs(1_800_000),
    }, async () => {
      const { pc, script, runs, starts } = await referenceOf(machine)
      expect(runs[runs.length - 1]!.exitCode).toBe(0)
      const reference = runs.flatMap((r) => commands(r.calls))
      const boundaryLines = runs.flatMap((r) => r.calls.filter(isBoundary).map(line))
      expect(boundaryLines.length).toBeGreaterThan(0)
      const targets = await targetsOf(machine)
      const where = `kills before boundaries ${targets.join(', ')} of ${boundaryLines.length} (${sampleNote()})`
      if (FULL) expect(targets).toHaveLength(boundaryLines.length)
      // One kill at each target, one after another: a run started by hand after a kill runs the call the kill came
      // before and goes on to the next target; a run RunOnce starts after a restart goes on counting. The last one
      // runs to the end. The chain starts at the run its first kill falls in, from the checkpoint the uninterrupted
      // run saved before it (the runs before it are the uninterrupted run's: the emulated PC is deterministic).
      const perRun = runs.map((r) => r.calls.filter(isBoundary).length)
      let j0 = 0,
        before = 0
      while (j0 < runs.length - 1 && before + perRun[j0]! <= targets[0]!) before += perRun[j0++]!
      pc.restore(starts[j0]!)
      const killer = chainKiller(targets, before)
      const chain: ScriptRun[] = [
        j0 === 0 ? await pc.run(script, [], killer.opts) : (await pc.restart({ run: killer.opts }))[0]!,
      ]
      for (let guard = 0; guard < 2 * boundaryLines.length + 20; guard++) {
        const r = chain[chain.length - 1]!
        if (r.killed) chain.push(await pc.run(script, [], killer.opts))
        else if (r.exitCode === 3010) chain.push(...(await pc.restart({ run: killer.opts })))
        else break
      }
      const last = chain[chain.length - 1]!
      expect(last.exitCode, `${where}: ${last.stdout.slice(-800)}`).toBe(0)
      // Each kill came before the boundary it was meant for (the call it came before is recorded, and never ran).
      const killed = chain.filter((r) => r.killed)
      expect(
        killed.map((r) => line(r.calls[r.calls.length - 1]!)),
        where,
      ).toEqual(targets.map((k) => boundaryLines[k]))
      for (const r of killed) expect(isBoundary(r.calls[r.calls.length - 1]!)).toBe(true)
      expect(
        [
          ...runs.slice(0, j0).flatMap((r) => commands(r.calls)),
          ...chain.flatMap((r) => commands(r.killed ? r.calls.slice(0, -1) : r.calls)),
        ],
        where,
      ).toEqual(reference)
    })

    // Only on the machines named (not a skipped test on the others: every machine is killed in turn above), and under
    // test:full (in npm test the chain's last kill above is a kill followed by an uninterrupted finish).
    if (FULL && everyBoundary.includes(machine))
      it(`killed at every step boundary, the next run finishes with every command run once, none twice, none skipped`, {
        timeout: hangMs(1_800_000),
      }, async () => {
        const { pc, script, runs, starts } = await referenceOf(machine)
        expect(runs[runs.length - 1]!.exitCode).toBe(0)
        const reference = runs.flatMap((r) => commands(r.calls))
        const perRun = runs.map((r) => r.calls.filter(isBoundary).length)
        const boundaries = perRun.reduce((a, b) => a + b, 0)
        expect(boundaries).toBeGreaterThan(0)
        // Every boundary (this test runs under test:full only): each kill here costs the runs after it.
        for (let k = 0; k < boundaries; k++) {
          // The run the k-th boundary falls in, and its place there.
          let j = 0,
            local = k
          while (local >= perRun[j]!) local -= perRun[j++]!
          const where = `kill before boundary ${k} (run ${j + 1}, its boundary ${local}; ${sampleNote()})`
          // The PC as it was before run j; the runs before it ran as the uninterrupted run's did.
          pc.restore(starts[j]!)
          let seen = 0
          const kill = { killBefore: (c: StandInCall) => isBoundary(c) && seen++ === local }
          const after = [j === 0 ? await pc.run(script, [], kill) : (await pc.restart({ run: kill }))[0]!]
          // Through its restarts until the kill.
          while (!after[after.length - 1]!.killed && after[after.length - 1]!.exitCode === 3010)
            after.push((await pc.restart({ run: kill }))[0]!)
          const killed = after[after.length - 1]!
          // Started again by hand (a kill is not a restart), then through every restart it asks for.
          let next = await pc.run(script)
          after.push(next)
          for (let i = 0; next.exitCode === 3010 && i < 6; i++) {
            next = (await pc.restart())[0]!
            after.push(next)
          }
          expect(next.exitCode, `${where}: ${next.stdout.slice(-800)}`).toBe(0)
          expect(killed.killed, where).toBe(true)
          // The call the kill came before never ran (it is recorded, then the script is killed).
          const ran = [
            ...runs.slice(0, j).flatMap((r) => commands(r.calls)),
            ...after.flatMap((r) => (r === killed ? commands(r.calls.slice(0, -1)) : commands(r.calls))),
          ]
          expect(ran, where).toEqual(reference)
        }
      })
  })
}
