/**
 * Fix packages run for real: a problem training machine's package, written by the app, copied to the
 * emulated PC (test/pwsh/harness.ts) as a technician would copy it, and its Fix-<host>.ps1 run there by PowerShell,
 * through every restart (RunOnce), to the after file. Shared by the fix-package run tests.
 */
import { cpSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { createServices } from '../../../main/services.ts'
import { commandOf } from '../../../main/repair/step-kinds.ts'
import type { CommandSpec } from '../../../main/host/host.ts'
import { buildProof, type Proof } from '../../../main/fix-package/proof.ts'
import { startEmulatedPc, type EmulatedPc, type RunOptions, type ScriptRun } from '../../pwsh/harness.ts'

export type Services = ReturnType<typeof createServices>

export interface BuiltPackage {
  machine: string
  before: string
  dir: string
  scriptName: string
  kb: string | null
  repairs: string[]
  /** Every command a step of the package runs (for the stand-ins: exact argv). */
  specs: CommandSpec[]
}

/** The package for a training machine, built from its collector file, as `fix-package` builds it. */
export async function buildPackage(services: Services, dir: string, machine: string, tag = ''): Promise<BuiltPackage> {
  const before = join(dir, `${machine}${tag}-before.zip`)
  writeFileSync(before, await services.collect({ kind: 'training', name: machine }))
  const { id } = await services.loadSnapshotFile(before)
  const ref = { kind: 'snapshot', id } as const
  const out = join(dir, `${machine}${tag}-pkg`)
  const r = await services.fixPackages.build(ref, { outDir: out })
  const specs: CommandSpec[] = []
  for (const repairId of r.repairs) {
    const { plan, env } = await services.repairs.planForPc(ref, repairId)
    for (const s of plan.steps) {
      const spec = commandOf(s, env)
      if (spec) specs.push(spec)
    }
  }
  return { machine, before, dir: out, scriptName: r.scriptName, kb: r.kb, repairs: r.repairs, specs }
}

/** The emulated PC of that machine with the package copied to `C:\Users\Public\FixPackage` (returns its local folder). */
export async function pcWithPackage(p: BuiltPackage): Promise<{ pc: EmulatedPc; pkg: string; script: string }> {
  const pc = await startEmulatedPc({ machine: p.machine })
  pc.knowSpecs(p.specs)
  const pkg = pc.localPath('C:\\Users\\Public\\FixPackage')
  cpSync(p.dir, pkg, { recursive: true })
  return { pc, pkg, script: join(pkg, p.scriptName) }
}

/** Runs the script, then after each 3010 the emulated restart (its RunOnce entry runs it again), to the end. */
export async function runToEnd(
  pc: EmulatedPc,
  script: string,
  opts: RunOptions = {},
  maxRestarts = 6,
): Promise<{ runs: ScriptRun[]; restarts: number }> {
  const runs = [await pc.run(script, [], { timeoutMs: 300_000, ...opts })]
  let restarts = 0
  while (runs[runs.length - 1]!.exitCode === 3010 && restarts < maxRestarts) {
    restarts++
    const next = await pc.restart()
    if (next.length !== 1) throw new Error(`after restart ${restarts} RunOnce ran ${next.length} scripts`)
    runs.push(next[0]!)
  }
  return { runs, restarts }
}

/** The proof from the before file and the after file the script wrote. */
export async function proofOf(services: Services, before: string, after: string): Promise<Proof> {
  const sides = []
  for (const f of [before, after]) {
    const { id, snapshot } = await services.loadSnapshotFile(f)
    sides.push({ snapshot, findings: (await services.diagnose({ machine: { kind: 'snapshot', id } })).findings })
  }
  return buildProof(sides[0]!, sides[1]!)
}
