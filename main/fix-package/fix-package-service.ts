/**
 * Builds a fix package for a diagnosed machine (a collector file, usually): the whole-PC plan for that PC
 * (main/pc-plan, the one plan the app and `fix` run) carried as a script — the pending restart and the repairs that
 * block servicing, planned for that PC by the repair service, with the same-build repair sources they need; the
 * newest cumulative update of the branch as a kit (its checkpoints in it), and a failed update it does not include
 * as a kit of its own; the WinRE repair with its Safe OS update; the repairs that do not block servicing; the
 * collector. The plan's waits (what needs a person) are said in README.txt. Wired into main/services.ts.
 */
import type { MachineRef, MachineArch } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { RepairOffers, RepairPlan } from '../../preload/model/repair.ts'
import type { RepairEnv } from '../repair/types.ts'
import type { Finding } from '../../preload/model/diagnosis.ts'
import { paramsOf } from '../repair/step-kinds.ts'
import { createPackagesService, kitMachineOf, type CatalogChoice } from '../kit/packages-service.ts'
import { signatureCheckerFor } from '../download/signature.ts'
import { collectorScript } from '../collector/collector-script.ts'
import { writeFixPackage, FixPackageError, type FixPackageResult, type FixWinre } from './fix-package.ts'
import { assessWinre } from '../diagnose/winre-health.ts'
import { planWinreRepair } from '../winre/repair-plan.ts'
import { WORK_DIR } from '../machine/winre-commands.ts'
import { humanizeCitations } from '../knowledge/citations.ts'
import type { PcPlan } from '../../preload/model/pc-plan.ts'
import { ON_THAT_PC } from '../pc-plan/compose.ts'

export interface FixPackageDeps {
  dataDir: string
  platform: NodeJS.Platform
  appVersion: string
  scan(ref: MachineRef): Promise<MachineSnapshot>
  findings(ref: MachineRef): Promise<Finding[]>
  offers(ref: MachineRef): Promise<RepairOffers>
  planForPc(ref: MachineRef, repairId: string): Promise<{ plan: RepairPlan; env: RepairEnv; machineName: string }>
  /** The whole-PC plan for the machine (main/pc-plan): what the package carries, in its order. */
  pcPlan(ref: MachineRef): Promise<PcPlan>
  fetchSource(ref: MachineRef, kb: string, arch: MachineArch): Promise<{ path: string }>
  now?: () => Date
}

export interface FixPackageRequest {
  outDir: string
  /**
   * The update to install after the repairs, instead of the plan's; default (undefined): the plan's updates (the
   * newest cumulative update of the branch, and a failed update it does not include). null: no update.
   */
  kb?: string | null
  onNote?: (line: string) => void
}

/**
 * The WinRE repair for the snapshot's PC, planned by the app's own planner (main/winre/repair-plan.ts) as that PC
 * runs it itself: enable, the KB5028997 resize, the Safe OS update. The Safe OS file is fetched here (the Catalog,
 * hash-verified) and carried in the package; on the PC it is copied to C:\ProgramData\ServicingDesk\winre first,
 * the path the repair's DISM step names. Null when WinRE needs nothing (or could not be read).
 */
async function winreFor(
  deps: FixPackageDeps,
  ref: MachineRef,
  snapshot: MachineSnapshot,
  arch: MachineArch,
  req: FixPackageRequest,
  notes: string[],
): Promise<FixWinre | null> {
  const health = assessWinre(snapshot)
  if (!health.winre || !health.findings.length) return null
  let safeOs: FixWinre['safeOs'] = null
  if (health.expected.verdict === 'stale' && health.expected.kb) {
    const kb = health.expected.kb
    req.onNote?.(`Fetching the Safe OS update ${kb} (${arch}) for WinRE…`)
    try {
      const { path } = await deps.fetchSource(ref, kb, arch)
      const ext = /\.(cab|msu)$/i.exec(path)?.[1]?.toLowerCase() ?? 'cab'
      const fileName = `${kb}-${arch}.${ext}`
      safeOs = { localPath: path, rel: `files\\${fileName}`, pcPath: `${WORK_DIR}\\${fileName}` }
    } catch (err) {
      notes.push(
        `WinRE: the Safe OS update ${kb} could not be fetched (${(err as Error).message}); the package does not update WinRE's version.`,
      )
    }
  }
  const planned = planWinreRepair({
    id: 'fix-package',
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
    ref: { kind: 'this-pc' },
    health,
    snapshot,
    elevated: null,
    safeOsPackage:
      safeOs && health.expected.kb
        ? {
            kb: health.expected.kb,
            fileName: safeOs.rel.slice('files\\'.length),
            path: safeOs.pcPath,
            source: 'download-cache',
          }
        : null,
  })
  for (const m of planned.manual) notes.push(`WinRE, by hand: ${m.title}: ${humanizeCitations(m.detail)}`)
  if (planned.refused) {
    notes.push(`The WinRE repair is not in the package: ${humanizeCitations(planned.refused)}`)
    return null
  }
  if (!planned.steps.length) return null
  for (const w of planned.warnings) notes.push(`WinRE repair: ${humanizeCitations(w)}`)
  const repair = {
    ...planned,
    steps: planned.steps.map((x) => ({ ...x, explanation: humanizeCitations(x.explanation) })),
  }
  return { repair, safeOs: repair.safeOsPackage ? safeOs : null }
}

/** A written package and what it carries, for the rehearsal (fix-flow.ts) and the CLI. */
export type FixPackageBuilt = FixPackageResult & {
  /** Every repair it runs, in the script's order (those in `afterUpdate` run after the update and WinRE). */
  repairs: string[]
  afterUpdate: string[]
  /** The WinRE repair's step ops (empty: none). */
  winre: string[]
  /** The update in `kit\` (null: none), then those in `kit-<KB>\`. */
  kb: string | null
  moreKbs: string[]
  notes: string[]
  /** Repairs Fix it offers that the package leaves out on purpose, each with its reason (its notes say it too). */
  leftOut: { repairId: string; why: string }[]
}

export function createFixPackages(deps: FixPackageDeps) {
  async function build(ref: MachineRef, req: FixPackageRequest): Promise<FixPackageBuilt> {
    const snapshot = await deps.scan(ref)
    const os = snapshot.os.status === 'known' ? snapshot.os.value : null
    if (!os?.build || !os.nativeArch || os.nativeArch === 'arm')
      throw new FixPackageError(
        `The build or native architecture of ${snapshot.origin.name} is unknown, so a package could not be bound to it.`,
      )
    const name = os.computerName ?? snapshot.origin.name
    if (!/^[A-Za-z0-9-]{1,15}$/.test(name))
      throw new FixPackageError(
        `The computer name '${name}' is not a Windows computer name; the package is bound to it.`,
      )
    const arch = os.nativeArch
    const notes: string[] = []
    const plan = await deps.pcPlan(ref)
    // The plan's repairs in its order: those before its first update or WinRE step block servicing (the pending
    // restart, the EFI partition, the component store, Windows Update's folders); those after it do not.
    const firstUpdate = plan.steps.findIndex((s) => s.kind === 'install' || s.kind === 'winre')
    const repairs: { plan: RepairPlan; env: RepairEnv }[] = []
    const afterRepairs: { plan: RepairPlan; env: RepairEnv }[] = []
    for (const [k, step] of plan.steps.entries()) {
      if ((step.kind !== 'restart' && step.kind !== 'repair') || !step.repairId) continue
      const r = await deps.planForPc(ref, step.repairId)
      if (r.plan.refused) {
        notes.push(`${r.plan.title} is not in the package: ${r.plan.refused}`)
        continue
      }
      if (!r.plan.steps.length) continue
      ;(firstUpdate >= 0 && k > firstUpdate ? afterRepairs : repairs).push({ plan: r.plan, env: r.env })
      for (const w of r.plan.warnings) notes.push(`${r.plan.title}: ${w}`)
    }
    const sources: { kb: string; arch: string; localPath: string }[] = []
    for (const { plan: rp } of [...repairs, ...afterRepairs]) {
      for (const s of rp.steps.filter((x) => x.kind === 'fetch-package')) {
        const p = paramsOf(s) as { kb: string; arch: MachineArch }
        if (sources.some((x) => x.kb === p.kb && x.arch === p.arch)) continue
        req.onNote?.(`Fetching the same-build repair source ${p.kb} (${p.arch})…`)
        sources.push({ kb: p.kb, arch: p.arch, localPath: (await deps.fetchSource(ref, p.kb, p.arch)).path })
      }
    }
    // The WinRE repair (main/winre) when the plan has its step, after the update(s). A WinRE finding it does not
    // address is said in README.txt.
    const winreRepair = plan.steps.some((s) => s.kind === 'winre')
      ? await winreFor(deps, ref, snapshot, arch, req, notes)
      : null
    const addressed = (f: Finding) => winreRepair?.repair.addresses.some((a) => f.id === `winre-${a}`) ?? false
    const findings = await deps.findings(ref)
    const winre = findings.filter(
      (f) => f.severity !== 'info' && f.remedies.some((r) => r.repair?.startsWith('winre-')) && !addressed(f),
    )
    for (const f of winre)
      notes.push(
        `${f.title}: its WinRE repair (${[...new Set(f.remedies.flatMap((r) => (r.repair?.startsWith('winre-') ? [r.repair] : [])))].join(', ')}) is not in this package; run it with Servicing Desk on that PC (\`winre\` command) or by hand.`,
      )
    // The plan's updates: the newest cumulative update of the branch first (its kit holds the checkpoints it needs,
    // in order: a checkpoint step of the plan is in it), then each update it does not include, a kit each.
    const installs = plan.steps.filter((s) => s.kind === 'install' && s.kb)
    const lcu = installs.filter((s) => s.bringsTo).at(-1) ?? null
    const planned =
      req.kb === undefined
        ? [...(lcu ? [lcu.kb!] : []), ...installs.filter((s) => !s.bringsTo).map((s) => s.kb!)]
        : req.kb
          ? [req.kb]
          : []
    const kb = planned[0] ?? null
    const moreKbs = planned.slice(1)
    if (req.kb === undefined && lcu)
      notes.push(
        `${lcu.kb} is the newest cumulative update for ${plan.branch ?? 'this branch'} (it brings the PC to ${lcu.bringsTo}); the package installs it${installs.some((s) => s.kb !== lcu.kb && s.bringsTo) ? ' with the checkpoint it needs first' : ''}.`,
      )
    // The plan's notes, less the one that says the plan is this package (README.txt is the package).
    for (const n of plan.notes) if (!n.startsWith(ON_THAT_PC)) notes.push(n)
    const waits = plan.steps
      .filter((s) => s.kind === 'wait')
      .map((s) => ({ title: s.title, why: s.why, instructions: s.instructions ?? [] }))
    for (const w of waits) notes.push(`Needs a person: ${w.title}. ${w.why}`)
    if (!planned.length && req.kb === undefined && !waits.some((w) => /KB\d/.test(w.title)))
      notes.push(
        plan.newest
          ? `The PC is at ${plan.current ?? 'its build'}, the newest update known for its branch (${plan.newest.kb}), so the package installs no update.`
          : 'The knowledge lists no newer update for this PC, so the package installs no update.',
      )
    const choice: CatalogChoice = deps.platform === 'win32' && ref.kind !== 'training' ? 'microsoft' : 'local'
    const pkgs = planned.length
      ? createPackagesService({
          dataDir: deps.dataDir,
          toolVersion: deps.appVersion,
          defaultCatalog: choice,
          signatures: (k) => signatureCheckerFor(null, k === 'microsoft' ? deps.platform : 'linux'),
          onLocalCatalog: (url) =>
            req.onNote?.(
              `Packages from the local training Catalog at ${url} (offline, synthetic packages), not the Microsoft Update Catalog.`,
            ),
        })
      : null
    try {
      const result = await writeFixPackage({
        outDir: req.outDir,
        machine: { name, build: os.build, ubr: os.ubr, nativeArch: arch },
        takenAt: snapshot.takenAt,
        version: deps.appVersion,
        now: deps.now?.() ?? new Date(),
        repairs,
        afterRepairs,
        winre: winreRepair,
        waits,
        sources,
        collectorScript: collectorScript({ version: deps.appVersion }),
        notes,
        writeKit:
          kb && pkgs
            ? async (dir) => {
                req.onNote?.(`Building the kit for ${kb} (${arch})…`)
                const { manifest } = await pkgs.exportKit({
                  kb,
                  arch,
                  outDir: dir,
                  machine: { ...kitMachineOf(snapshot), name },
                })
                return { kb: manifest.target.kb, title: manifest.target.title }
              }
            : null,
        moreKits: pkgs
          ? moreKbs.map((k) => ({
              kb: k,
              write: async (dir: string) => {
                req.onNote?.(`Building the kit for ${k} (${arch})…`)
                const { manifest } = await pkgs.exportKit({
                  kb: k,
                  arch,
                  outDir: dir,
                  machine: { ...kitMachineOf(snapshot), name },
                })
                return { kb: manifest.target.kb, title: manifest.target.title }
              },
            }))
          : [],
      })
      return {
        ...result,
        repairs: [...repairs, ...afterRepairs].map((r) => r.plan.repairId),
        afterUpdate: afterRepairs.map((r) => r.plan.repairId),
        moreKbs,
        winre: winreRepair?.repair.steps.map((x) => x.op) ?? [],
        kb,
        notes,
        leftOut: plan.leftOut.map((x) => ({ repairId: x.repairId, why: x.why })),
      }
    } finally {
      await pkgs?.close()
    }
  }
  return { build }
}
