/**
 * The technician's flow for a PC they are not sitting at, as one service for the app and the CLI (issue 44 §4):
 *
 *   build(snapshotId, outDir)   the fix package for an opened collector file (fix-package-service.ts, as `fix-package`)
 *   rehearse(packageId)         that package on a model of the PC (`machines import`): its repairs, its WinRE repair and
 *                               its kit, run by the app's own repair, WinRE and install services, in the script's order;
 *                               then the model's "after" file (`scan --out FILE.zip`) and the proof
 *   compare(beforeId, afterId)  the proof (proof.ts, as `proof --before --after`)
 *
 * Packages built in this process are kept by an opaque id (the page never names a folder); a restart forgets them.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import type { RepairRun } from '../../preload/model/repair.ts'
import type { WinreReport, WinreRun } from '../../preload/model/winre.ts'
import type { Plan, Journal } from '../../preload/model/plan.ts'
import type { BuildFixPackageOutput, RehearseOutput } from '../../preload/model/fix-flow.ts'
import { buildProof, type Proof } from './proof.ts'
import type { FixPackageRequest } from './fix-package-service.ts'
import type { FixPackageResult } from './fix-package.ts'
import { AppError } from '../errors.ts'

export interface FixFlowDeps {
  snapshotById(id: string): MachineSnapshot | null
  diagnose(req: { machine: MachineRef }): Promise<{ findings: Finding[] }>
  buildPackage(ref: MachineRef, req: FixPackageRequest): Promise<FixPackageResult & { repairs: string[]; winre: string[]; kb: string | null; notes: string[] }>
  importTrainingMachineFromSnapshot(id: string): Promise<{ name: string; title: string }>
  runRepair(ref: MachineRef, repairId: string): Promise<RepairRun>
  repairTitle(ref: MachineRef, repairId: string): Promise<string>
  winreReport(ref: MachineRef): Promise<WinreReport>
  winreRepair(ref: MachineRef, repairId: string): Promise<WinreRun>
  makePlan(args: { ref: MachineRef; kbs: string[]; kitDir: string }): Promise<Plan>
  install(plan: Plan): Promise<Journal>
  collect(ref: MachineRef): Promise<Buffer>
  importSnapshotBytes(content: Buffer): Promise<{ id: string }>
}

/** Progress: what runs now, and how far the whole is (0..1). */
export type FlowProgress = (label: string, fraction: number | null) => void

interface Built { snapshotId: string; result: Awaited<ReturnType<FixFlowDeps['buildPackage']>> }

const MAX_PACKAGES = 32

export function createFixFlow(deps: FixFlowDeps) {
  const packages = new Map<string, Built>()

  function opened(id: string): MachineSnapshot {
    const s = deps.snapshotById(id)
    if (!s) throw new AppError('not-found', 'That snapshot is not open any more (the app restarted since); open the collector file again.')
    return s
  }

  /** The proof: both files diagnosed by the one diagnosis, compared by the findings' state. */
  async function compare(beforeId: string, afterId: string): Promise<Proof> {
    const sides = []
    for (const id of [beforeId, afterId]) {
      const snapshot = opened(id)
      sides.push({ snapshot, findings: (await deps.diagnose({ machine: { kind: 'snapshot', id } })).findings })
    }
    return buildProof(sides[0]!, sides[1]!)
  }

  async function build(snapshotId: string, outDir: string, progress: FlowProgress = () => {}): Promise<BuildFixPackageOutput> {
    const snapshot = opened(snapshotId)
    if (snapshot.origin.kind !== 'snapshot') throw new AppError('invalid-input', 'A fix package is built from a collector file of the PC; open that file first.')
    progress('Reading the collector file and its diagnosis', null)
    const result = await deps.buildPackage({ kind: 'snapshot', id: snapshotId }, { outDir, onNote: (line) => progress(line.replace(/…$/, ''), null) })
    const id = `fp-${randomBytes(16).toString('base64url')}`
    packages.set(id, { snapshotId, result })
    while (packages.size > MAX_PACKAGES) packages.delete(packages.keys().next().value as string)
    progress('The fix package is written', 1)
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    return {
      id, computer: os?.computerName ?? snapshot.origin.name, folderLabel: result.dir, zipLabel: result.zipPath, scriptName: result.scriptName,
      doesInOrder: result.doesInOrder, kb: result.kb, files: result.files.length, notes: result.notes,
    }
  }

  /**
   * The package's steps on a model of the PC, in the script's order: the repairs, the WinRE repair, the update from the
   * package's own kit folder; then the model's after file, opened, and the proof against the file the package was made
   * from. Each step says whether it ended verified; a step that fails stops the rehearsal (as the script stops).
   */
  async function rehearse(packageId: string, progress: FlowProgress = () => {}): Promise<RehearseOutput> {
    const built = packages.get(packageId)
    if (!built) throw new AppError('not-found', 'That fix package was not built in this session (or the app restarted since); build it again.')
    const { snapshotId, result } = built
    opened(snapshotId)
    const total = 1 + result.repairs.length + (result.winre.length ? 1 : 0) + (result.kb ? 1 : 0) + 1
    let done = 0
    const step = (label: string) => progress(label, done / total)
    step('Making a model of the PC from its collector file')
    const model = await deps.importTrainingMachineFromSnapshot(snapshotId)
    const ref: MachineRef = { kind: 'training', name: model.name }
    done++
    const steps: RehearseOutput['steps'] = []
    const stopped = () => steps.some((s) => s.outcome !== 'verified')
    for (const repairId of result.repairs) {
      if (stopped()) break
      const title = await deps.repairTitle(ref, repairId)
      step(`Repair: ${title}`)
      try {
        const run = await deps.runRepair(ref, repairId)
        steps.push({ title: `Repair: ${title}`, outcome: run.verified ? 'verified' : 'not-verified', detail: run.verification?.detail ?? 'No verification was possible.' })
      } catch (err) { steps.push({ title: `Repair: ${title}`, outcome: 'failed', detail: (err as Error).message }) }
      done++
    }
    if (result.winre.length && !stopped()) {
      const title = 'Repair the recovery environment (WinRE)'
      step(title)
      try {
        const report = await deps.winreReport(ref)
        const run = await deps.winreRepair(ref, report.repair.id)
        steps.push({ title, outcome: run.verification?.verified ? 'verified' : 'not-verified', detail: run.verification?.detail ?? 'No verification was possible.' })
      } catch (err) { steps.push({ title, outcome: 'failed', detail: (err as Error).message }) }
      done++
    }
    if (result.kb && !stopped()) {
      const title = `Install ${result.kb} from the package's kit`
      step(title)
      try {
        const journal = await deps.install(await deps.makePlan({ ref, kbs: [result.kb], kitDir: join(result.dir, 'kit') }))
        const v = journal.verification
        steps.push({ title, outcome: journal.status === 'completed' && v?.verified ? 'verified' : journal.status === 'completed' ? 'not-verified' : 'failed', detail: v?.detail ?? `The install ended ${journal.status}.` })
      } catch (err) { steps.push({ title, outcome: 'failed', detail: (err as Error).message }) }
      done++
    }
    step('Collecting the model\'s after file and comparing it with the first file')
    const after = await deps.importSnapshotBytes(await deps.collect(ref))
    const proof = await compare(snapshotId, after.id)
    progress('Rehearsal finished', 1)
    return { machine: model.name, machineTitle: model.title, steps, after: after.id, proof }
  }

  return { build, rehearse, compare }
}

export type FixFlow = ReturnType<typeof createFixFlow>

/** The collector's file name, and how to run it on the PC (elevated), as the CLI's `collector --out` and the app say. */
export const COLLECTOR_FILE = 'Collect-ServicingFacts.ps1'
export function collectorRunCommand(fileName = COLLECTOR_FILE): string {
  return `powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${fileName}`
}
