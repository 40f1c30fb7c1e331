/**
 * The technician's flow for a PC they are not sitting at, as one service for the app and the CLI:
 *
 *   build(snapshotId, outDir)   the fix package for an opened collector file (fix-package-service.ts, as `fix-package`)
 *   rehearse(packageId)         that package on a model of the PC (`machines import`): its repairs, its kit(s), its WinRE
 *                               repair and the repairs after the update, run by the app's own repair, WinRE and install
 *                               services, in the script's order (the whole-PC plan's);
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
import type { FixPackageBuilt, FixPackageRequest } from './fix-package-service.ts'
import { howToRunOnPc } from './fix-package.ts'
import { AppError } from '../errors.ts'
import { splitTechnical } from '../../preload/model/technical-words.ts'

export interface FixFlowDeps {
  snapshotById(id: string): MachineSnapshot | null
  diagnose(req: { machine: MachineRef }): Promise<{ findings: Finding[] }>
  buildPackage(ref: MachineRef, req: FixPackageRequest): Promise<FixPackageBuilt>
  /** `unmodelled`: the file's problems the model cannot hold, with what the file lacks. */
  importTrainingMachineFromSnapshot(
    id: string,
  ): Promise<{ name: string; title: string; unmodelled?: { id: string; lacks: string }[] }>
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

interface Built {
  snapshotId: string
  result: Awaited<ReturnType<FixFlowDeps['buildPackage']>>
}

const MAX_PACKAGES = 32

export function createFixFlow(deps: FixFlowDeps) {
  const packages = new Map<string, Built>()

  function opened(id: string): MachineSnapshot {
    const s = deps.snapshotById(id)
    if (!s)
      throw new AppError(
        'not-found',
        'That snapshot is not open any more (the app restarted since); open the collector file again.',
      )
    return s
  }

  /** The proof: both files diagnosed by the one diagnosis, compared by the findings' state. */
  async function compare(beforeId: string, afterId: string): Promise<Proof> {
    const sides = []
    for (const id of [beforeId, afterId]) {
      const snapshot = opened(id)
      sides.push({ snapshot, findings: (await deps.diagnose({ machine: { kind: 'snapshot', id } })).findings })
    }
    const [b, a] = [sides[0]!.snapshot, sides[1]!.snapshot]
    // The before file offered as the after file proves nothing: refused, as is an after file older than it.
    if (beforeId === afterId || (pcOf(b) === pcOf(a) && a.takenAt <= b.takenAt)) {
      throw new AppError(
        'invalid-input',
        a.takenAt === b.takenAt
          ? `That is the first file again (${b.os.status === 'known' ? (b.os.value.computerName ?? b.origin.name) : b.origin.name}, collected ${b.takenAt}): open the after file the fix package collected on the PC.`
          : `The after file (collected ${a.takenAt}) is older than the first file (${b.takenAt}): open the file collected after the fix package ran.`,
      )
    }
    return buildProof(sides[0]!, sides[1]!)
  }

  async function build(
    snapshotId: string,
    outDir: string,
    progress: FlowProgress = () => {},
  ): Promise<BuildFixPackageOutput> {
    const snapshot = opened(snapshotId)
    if (snapshot.origin.kind !== 'snapshot')
      throw new AppError(
        'invalid-input',
        'A fix package is built from a collector file of the PC; open that file first.',
      )
    progress('Reading the collector file and its diagnosis', null)
    const result = await deps.buildPackage(
      { kind: 'snapshot', id: snapshotId },
      { outDir, onNote: (line) => progress(line.replace(/…$/, ''), null) },
    )
    const id = `fp-${randomBytes(16).toString('base64url')}`
    packages.set(id, { snapshotId, result })
    while (packages.size > MAX_PACKAGES) packages.delete(packages.keys().next().value as string)
    progress('The fix package is written', 1)
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    return {
      id,
      computer: os?.computerName ?? snapshot.origin.name,
      folderLabel: result.dir,
      zipLabel: result.zipPath,
      scriptName: result.scriptName,
      runOnPc: howToRunOnPc(result.scriptName),
      doesInOrder: result.doesInOrder,
      kb: result.kb,
      files: result.files.length,
      notes: result.notes,
    }
  }

  /**
   * The package's steps on a model of the PC, in the script's order: the repairs that block servicing, the update(s)
   * from the package's own kit folders, the WinRE repair, the repairs after the update; then the model's after file, opened, and the proof against the file the package was made
   * from. Each step says whether it ended verified; a step that fails stops the rehearsal (as the script stops).
   */
  async function rehearse(packageId: string, progress: FlowProgress = () => {}): Promise<RehearseOutput> {
    const built = packages.get(packageId)
    if (!built)
      throw new AppError(
        'not-found',
        'That fix package was not built in this session (or the app restarted since); build it again.',
      )
    const { snapshotId, result } = built
    opened(snapshotId)
    const kbs = [...(result.kb ? [result.kb] : []), ...result.moreKbs]
    const total = 1 + result.repairs.length + (result.winre.length ? 1 : 0) + kbs.length + 1
    let done = 0
    const step = (label: string) => progress(label, done / total)
    step('Making a model of the PC from its collector file')
    const model = await deps.importTrainingMachineFromSnapshot(snapshotId)
    const ref: MachineRef = { kind: 'training', name: model.name }
    done++
    // What the model can show: a problem of the file whose evidence the snapshot lacks (no CBS.log in the
    // zip) is not on the model, so a step for it rehearses nothing and its absence after proves nothing.
    const problem = (f: Finding) => f.severity !== 'info' && f.state !== 'past'
    const first = (await deps.diagnose({ machine: { kind: 'snapshot', id: snapshotId } })).findings.filter(problem)
    const lacks = new Map((model.unmodelled ?? []).map((u) => [u.id, u.lacks]))
    const onModel = new Set(
      (await deps.diagnose({ machine: ref })).findings
        .filter(problem)
        .map((f) => f.id)
        .filter((id) => !lacks.has(id)),
    )
    const unshown = first.filter((f) => !onModel.has(f.id))
    const lacksOf = (f: Finding) => lacks.get(f.id) ?? evidenceOf(f)
    const notRehearsed = unshown.map((f) => ({ id: f.id, title: f.title, severity: f.severity, lacks: lacksOf(f) }))
    /** The step's problems, when every one of them is missing from the model: the step is not rehearsed. */
    const skip = (mine: (f: Finding) => boolean) => {
      const all = first.filter(mine)
      return all.length > 0 && all.every((f) => !onModel.has(f.id)) ? all : null
    }
    const notRehearsedStep = (title: string, fs: Finding[]) => ({
      title,
      outcome: 'not-rehearsed' as const,
      detail: `Not rehearsed: the snapshot lacks ${fs.map(lacksOf).join('; ')}, so the model does not show "${fs.map((f) => f.title).join('"; "')}".`,
    })
    const steps: RehearseOutput['steps'] = []
    const stopped = () => steps.some((s) => s.outcome === 'failed' || s.outcome === 'not-verified')
    const runRepairs = async (ids: readonly string[]) => {
      for (const repairId of ids) {
        if (stopped()) break
        const title = await deps.repairTitle(ref, repairId)
        const unseen = skip((f) => f.repair === repairId)
        if (unseen) {
          steps.push(notRehearsedStep(`Repair: ${title}`, unseen))
          done++
          continue
        }
        step(`Repair: ${title}`)
        try {
          const run = await deps.runRepair(ref, repairId)
          steps.push({
            title: `Repair: ${title}`,
            outcome: run.verified ? 'verified' : 'not-verified',
            detail: run.verification?.detail ?? 'No verification was possible.',
          })
        } catch (err) {
          steps.push({ title: `Repair: ${title}`, outcome: 'failed', detail: (err as Error).message })
        }
        done++
      }
    }
    // The script's order: the repairs that block servicing, the update(s), WinRE, the repairs after the update.
    await runRepairs(result.repairs.filter((id) => !result.afterUpdate.includes(id)))
    for (const [k, kb] of kbs.entries()) {
      if (stopped()) break
      const kitDir = join(result.dir, k === 0 && result.kb ? 'kit' : `kit-${kb}`)
      const title = `Install ${kb} from the package's kit`
      step(title)
      try {
        const journal = await deps.install(await deps.makePlan({ ref, kbs: [kb], kitDir }))
        const v = journal.verification
        steps.push({
          title,
          outcome:
            journal.status === 'completed' && v?.verified
              ? 'verified'
              : journal.status === 'completed'
                ? 'not-verified'
                : 'failed',
          detail: v?.detail ?? `The install ended ${journal.status}.`,
        })
      } catch (err) {
        steps.push({ title, outcome: 'failed', detail: (err as Error).message })
      }
      done++
    }
    if (result.winre.length && !stopped()) {
      const title = 'Repair the recovery environment (WinRE)'
      step(title)
      try {
        const report = await deps.winreReport(ref)
        const run = await deps.winreRepair(ref, report.repair.id)
        steps.push({
          title,
          outcome: run.verification?.verified ? 'verified' : 'not-verified',
          detail: run.verification?.detail ?? 'No verification was possible.',
        })
      } catch (err) {
        steps.push({ title, outcome: 'failed', detail: (err as Error).message })
      }
      done++
    }
    await runRepairs(result.afterUpdate)
    step("Collecting the model's after file and comparing it with the first file")
    const after = await deps.importSnapshotBytes(await deps.collect(ref))
    const compared = await compare(snapshotId, after.id)
    const unseenIds = new Set(notRehearsed.map((f) => f.id))
    const proof = notRehearsed.length
      ? {
          ...compared,
          resolved: compared.resolved.filter((f) => !unseenIds.has(f.id)),
          notRehearsed,
          verdict: 'not-rehearsed' as const,
        }
      : compared
    progress('Rehearsal finished', 1)
    return { machine: model.name, machineTitle: model.title, steps: steps.map(plainStep), after: after.id, proof }
  }

  return { build, rehearse, compare }
}

export type FixFlow = ReturnType<typeof createFixFlow>

/** Plain words in front: a step's detail without its identifiers, the whole detail as its technical part. */
const stepFallback: Record<RehearseOutput['steps'][number]['outcome'], string> = {
  verified: 'The check after this step passed.',
  'not-verified': 'The check after this step did not pass.',
  failed: 'This step failed.',
  'not-rehearsed': 'Not rehearsed: the snapshot lacks the evidence of this problem, so the model does not show it.',
}
function plainStep(s: RehearseOutput['steps'][number]): RehearseOutput['steps'][number] {
  const { plain, technical } = splitTechnical(s.detail, stepFallback[s.outcome])
  return { ...s, detail: plain, ...(technical ? { technical } : {}) }
}

const pcOf = (s: MachineSnapshot) =>
  ((s.os.status === 'known' ? s.os.value.computerName : null) ?? s.origin.name).toLowerCase()

/** What a finding was found from (its evidence's files), for "not rehearsed: the snapshot lacks …". */
export function evidenceOf(f: Finding): string {
  const names = [
    ...new Set(
      f.evidence
        .map((e) =>
          e.source
            .split(/[\\/]/)
            .pop()!
            .replace(/\s*\(.*$/, ''),
        )
        .filter(Boolean),
    ),
  ]
  return names.length ? `what it was found from (${names.join(', ')})` : 'the evidence it was found from'
}

/** The collector's file name, and how to run it on the PC (elevated), as the CLI's `collector --out` and the app say. */
export const COLLECTOR_FILE = 'Collect-ServicingFacts.ps1'
export function collectorRunCommand(fileName = COLLECTOR_FILE): string {
  return `powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${fileName}`
}
