/**
 * The planner (pure): target KB(s) + a machine snapshot + package files → a Plan whose every step's
 * command line is visible before anything runs.
 *
 * Order is part of the fix: since 24H2 a cumulative update installs only on top of its checkpoint
 * (KB5043080, 26100.1742). `folder` hands DISM the target MSU alone in a folder holding only it and its
 * checkpoints, so DISM discovers and installs them in order; `sequence` installs one MSU per step,
 * checkpoint first (learn.microsoft.com/windows/deployment/update/catalog-checkpoint-cumulative-updates).
 * An impossible plan (wrong architecture, another branch's update, a pending restart) is refused with the reason.
 */
import type { MachineArch, MachineRef, PackageArch } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import {
  PLAN_SCHEMA_VERSION,
  type Plan,
  type PlanMethod,
  type PlanPackage,
  type PlanScope,
  type PlanStep,
  type PreflightCheck,
} from '../../preload/model/plan.ts'
import {
  branchForBuild,
  checkpointChain,
  knownUpdate,
  machineContext,
  type Branch,
  branchById,
} from '../knowledge/servicing-chains.ts'
import { targetFact } from '../knowledge/catalog-target.ts'
import { addPackageStep, mountStep, restartStep, scheduleResumeStep, unmountStep } from './step-commands.ts'
import type { PcPath } from '../host/pc-path.ts'

/** A package file the planner may use (from a kit manifest, a folder of MSUs, or the Catalog). */
export interface PackageCandidate {
  kb: string
  fileName: string
  /** Full path as the machine that installs it sees it. */
  path: string
  arch: PackageArch | MachineArch | null
  sha1: string | null
  sha256: string | null
  sizeBytes?: number | null
  /** The Catalog title, when known (`… for Windows 11 Version 23H2 …`): names the branch of an update the knowledge lacks. */
  title?: string | null
}

export interface PlanRequest {
  id: string
  createdAt: string
  targets: string[]
  snapshot: MachineSnapshot
  machineRef: MachineRef | null
  packages: PackageCandidate[]
  method: PlanMethod
  scope: PlanScope
  /** `--arch`: packages were prepared for this architecture. */
  arch?: MachineArch | null
  /** True/false when known (HostInfo.elevated); null for a snapshot of another PC. */
  elevated: boolean | null
  /** On battery power (null when unknown). */
  onBattery?: boolean | null
  /** Names of every file in each package folder, to check the folder method's "only these MSUs" rule. */
  folderListing?: Record<string, string[]>
  /** On a real PC: the command that resumes this plan after a restart (registered under RunOnce before each restart). */
  resumeCommand?: string[] | null
  /** How the PC names this computer's package files (host/pc-path.ts; a training machine's C:\ProgramData\ServicingDesk). */
  pcPath?: PcPath
  /**
   * The offline image's own facts (install-service.ts reads them with DISM: `/Image:DIR /Get-Packages` of a mounted
   * image, `/Get-WimInfo` of a WIM to be mounted). An image is its own PC: its build, UBR and architecture decide the
   * checks and the plan, never the host's (an ARM64 image is serviced from an x64 PC). Null: not read; the checks
   * then rest on `--arch` and the host's build, and checkpoints are planned anyway.
   */
  image?: ImageFacts | null
}

/** What was read of an offline image. */
export interface ImageFacts {
  build: number | null
  ubr: number | null
  installedKbs: string[]
  arch?: MachineArch | null
  edition?: string | null
  /** The command it was read with, for the plan's notes. */
  evidence?: string | null
}

const GB = 1024 ** 3

function known<T>(f: { status: 'known'; value: T } | { status: 'unknown' }): T | null {
  return f.status === 'known' ? f.value : null
}

/** `x64` and `amd64` are one architecture; `neutral` matches every machine. */
function sameArch(pkg: PackageArch | MachineArch | null, machine: MachineArch): boolean {
  if (pkg === null || pkg === 'neutral') return true
  return pkg === machine
}

function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'))
  return i < 0 ? '.' : path.slice(0, i)
}

/** Branch display version named by a Catalog title (`Version 23H2`), or null. */
function titleVersion(title: string | null | undefined): string | null {
  return title ? (/\bVersion\s+(\d{2}H\d|\d{4})\b/i.exec(title)?.[1]?.toUpperCase() ?? null) : null
}

export function planInstallation(req: PlanRequest): Plan {
  const os = known(req.snapshot.os)
  const pk = known(req.snapshot.packages)
  const reboot = known(req.snapshot.reboot)
  const storage = known(req.snapshot.storage)
  // An offline image is its own PC: what was read of it stands for the machine in every check below.
  const img = req.scope.kind === 'image' ? (req.image ?? null) : null
  const imageRead = img !== null && (img.build !== null || (img.arch ?? null) !== null)
  const build = imageRead ? img.build : (os?.build ?? null)
  const ubr = imageRead ? img.ubr : (os?.ubr ?? null)
  const branch = branchForBuild(
    build,
    imageRead ? machineContext({ ubr: img.ubr, edition: img.edition ?? null }) : machineContext(os),
  )
  // An image whose architecture was not read: --arch, else this PC's as a stated guess (a warning, not a pass).
  const targetArch: MachineArch | null = req.scope.kind === 'image' ? (img?.arch ?? null) : (os?.nativeArch ?? null)
  const nativeArch = targetArch ?? req.arch ?? os?.nativeArch ?? null
  const thisPc = req.scope.kind === 'image' ? 'image' : 'PC'
  const targets = [...new Set(req.targets.map((k) => k.toUpperCase()))]
  const preflight: PreflightCheck[] = []
  const notes: string[] = []
  const refusals: string[] = []
  const base: Omit<Plan, 'preflight' | 'steps' | 'packages' | 'skipped' | 'expected' | 'refused' | 'notes'> = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    id: req.id,
    createdAt: req.createdAt,
    machine: {
      ref: req.machineRef,
      name: req.snapshot.origin.name,
      nativeArch,
      build,
      ubr,
      branch: branch?.id ?? null,
    },
    targets,
    method: req.method,
    scope: req.scope,
  }
  const refuse = (why: string) => {
    refusals.push(why)
  }

  if (req.scope.kind === 'winre') {
    refuse(
      'Cumulative updates do not apply to winre.wim; WinRE is serviced with the Safe OS dynamic update and the SSU (servicing-facts §3). Use the WinRE repair instead.',
    )
  }

  // Administrator rights: DISM and wusa need them (ERROR_ELEVATION_REQUIRED, 740).
  if (req.elevated === null)
    preflight.push({
      id: 'elevated',
      title: 'Administrator rights',
      status: 'warn',
      detail: 'Not known for a snapshot of another PC: run the plan from an elevated prompt there.',
    })
  else if (req.elevated)
    preflight.push({
      id: 'elevated',
      title: 'Administrator rights',
      status: 'pass',
      detail: 'The app runs with administrator rights.',
    })
  else {
    preflight.push({
      id: 'elevated',
      title: 'Administrator rights',
      status: 'fail',
      detail: 'DISM needs administrator rights: restart Servicing Desk as administrator.',
    })
    refuse('Servicing Desk is not running with administrator rights.')
  }

  // Architecture: the machine's NATIVE architecture must match every package (an x64 app on ARM64 still needs arm64 packages).
  // An offline image: the image's architecture, whatever the host's (DISM services an ARM64 image from an x64 PC).
  const emulatedNote = req.scope.kind !== 'image' && os?.emulated
  if (req.arch && targetArch && req.arch !== targetArch) {
    preflight.push({
      id: 'architecture',
      title: 'Native architecture',
      status: 'fail',
      detail: `The packages were prepared for ${req.arch}, but this ${thisPc}'s ${req.scope.kind === 'image' ? 'architecture' : 'native architecture'} is ${targetArch}.`,
    })
    refuse(`Packages prepared for ${req.arch} cannot be installed on this ${targetArch} ${thisPc}.`)
  } else if (!nativeArch) {
    preflight.push({
      id: 'architecture',
      title: 'Native architecture',
      status: 'fail',
      detail:
        req.scope.kind === 'image'
          ? "The image's architecture could not be read; give --arch."
          : 'The native architecture is unknown; scan the PC again or give --arch.',
    })
    refuse(
      req.scope.kind === 'image'
        ? "The image's architecture is unknown."
        : 'The native architecture of the PC is unknown.',
    )
  } else {
    const wrong = req.packages.filter((p) => !sameArch(p.arch, nativeArch))
    if (wrong.length) {
      preflight.push({
        id: 'architecture',
        title: 'Native architecture',
        status: 'fail',
        detail: `${wrong.map((p) => `${p.fileName} is ${p.arch}`).join('; ')}; this ${thisPc} is ${nativeArch}.`,
      })
      refuse(
        `${wrong[0].arch} package ${wrong[0].fileName} cannot be installed on this ${nativeArch} ${thisPc}${emulatedNote ? ` (the app itself runs emulated as ${os!.processArch})` : ''}.`,
      )
    } else if (req.scope.kind === 'image') {
      const host =
        os?.nativeArch && os.nativeArch !== nativeArch
          ? ` (serviced from this ${os.nativeArch} PC: DISM services an image of another architecture)`
          : ''
      preflight.push({
        id: 'architecture',
        title: 'Native architecture',
        status: img?.arch ? 'pass' : 'warn',
        detail: img?.arch
          ? `Every package is for ${nativeArch}, the image's architecture${host}.`
          : `The image's architecture was not read; the packages are for ${nativeArch}${req.arch ? ' as --arch says' : ", this PC's"}.`,
      })
    } else
      preflight.push({
        id: 'architecture',
        title: 'Native architecture',
        status: 'pass',
        detail: `Every package is for ${nativeArch}, the PC's native architecture${os?.emulated ? ` (the app runs emulated as ${os.processArch})` : ''}.`,
      })
  }

  // Branch: each target must belong to this PC's branch (a 23H2 update does not install on 24H2).
  const branchProblems: string[] = []
  for (const kb of targets) {
    const u = knownUpdate(kb)
    const cand = req.packages.find((p) => p.kb.toUpperCase() === kb)
    if (u && branch) {
      if (!u.branchIds.includes(branch.id))
        branchProblems.push(
          `${kb} is for ${u.branchIds.map(describeBranchId).join(', ')}; this ${thisPc} runs ${branch.product} ${branch.displayVersion} (${build}).`,
        )
    } else if (branch && titleVersion(cand?.title) && titleVersion(cand?.title) !== branch.displayVersion) {
      branchProblems.push(
        `${kb} is for version ${titleVersion(cand?.title)} (its Catalog title says so); this ${thisPc} runs ${branch.product} ${branch.displayVersion} (${build}).`,
      )
    }
  }
  if (branchProblems.length) {
    preflight.push({ id: 'branch', title: 'Windows version', status: 'fail', detail: branchProblems.join(' ') })
    refuse(branchProblems[0])
  } else if (!branch)
    preflight.push({
      id: 'branch',
      title: 'Windows version',
      status: 'warn',
      detail: `Build ${build ?? 'unknown'} is not in the servicing-chain knowledge; applicability is left to DISM.`,
    })
  else
    preflight.push({
      id: 'branch',
      title: 'Windows version',
      status: targets.every((k) => knownUpdate(k)) ? 'pass' : 'warn',
      detail: `${branch.product} ${branch.displayVersion} (${build}.${ubr ?? '?'})${targets.every((k) => knownUpdate(k)) ? '' : '; some targets are not in the knowledge, so DISM decides applicability'}.`,
    })

  // What the machine (or image) already has: installed targets and passed checkpoints are not planned.
  const level =
    req.scope.kind === 'image'
      ? { ubr: img?.ubr ?? null, kbs: new Set(img?.installedKbs ?? []), pending: new Set<string>() }
      : {
          ubr,
          kbs: new Set((pk?.packages ?? []).filter((p) => p.kb && p.state === 'installed').map((p) => p.kb as string)),
          pending: new Set(
            (pk?.packages ?? []).filter((p) => p.kb && p.state === 'install-pending').map((p) => p.kb as string),
          ),
        }
  const has = (kb: string): 'installed' | 'pending' | null => {
    if (level.kbs.has(kb)) return 'installed'
    if (level.pending.has(kb)) return 'pending'
    const u = knownUpdate(kb)
    if (
      u &&
      u.kind === 'lcu' &&
      level.ubr !== null &&
      level.ubr >= u.ubr &&
      (branch === null || u.branchIds.includes(branch.id))
    )
      return 'installed'
    return null
  }
  const skipped: Plan['skipped'] = []
  const chosen: PlanPackage[] = []
  /** Checkpoints the PC already has whose files lie beside their target (folder method): named, hashed, not installed. */
  const presentBeside = new Set<string>()
  const toPackage = (kb: string, role: PlanPackage['role']): PlanPackage | null => {
    const c = req.packages.find((p) => p.kb.toUpperCase() === kb)
    if (!c) return null
    const u = knownUpdate(kb)
    const arch: PackageArch = c.arch === null ? 'neutral' : c.arch
    // An update the knowledge lacks: its build comes from the Catalog title, and the plan says so (knowledge/catalog-target.ts).
    const fact = u ? null : targetFact(kb, { title: c.title ?? null, fileNames: [c.fileName] })
    if (fact && !notes.includes(fact.says)) notes.push(fact.says)
    // One build per PC: a monthly update of this PC's own branch names the PC's build (a 25H2 PC goes to 26200.x,
    // not the knowledge's 26100.x); a checkpoint keeps its own (KB5043080 is 26100.1742 everywhere).
    const ownBuild =
      u && !u.checkpoint && !img && build !== null && branch !== null && u.branchIds.includes(branch.id) ? build : null
    return {
      kb,
      fileName: c.fileName,
      arch,
      sha1: c.sha1,
      sha256: c.sha256,
      path: c.path,
      role,
      build: ownBuild ?? u?.baseBuild ?? fact?.build ?? null,
      ubr: u?.ubr ?? fact?.ubr ?? null,
      sizeBytes: c.sizeBytes ?? null,
    }
  }
  for (const kb of targets) {
    const state = has(kb)
    if (state) {
      skipped.push({
        kb,
        reason:
          state === 'pending'
            ? `${kb} is installed and waits for a restart.`
            : `${kb} is already installed${level.ubr ? ` (UBR ${level.ubr})` : ''}.`,
      })
      continue
    }
    const u = knownUpdate(kb)
    const p = toPackage(kb, u?.kind === 'ssu' ? 'ssu' : u?.kind === 'safe-os' ? 'safe-os' : 'target')
    if (!p) {
      refuse(
        `No package file for ${kb}${nativeArch ? ` (${nativeArch})` : ''}: download it first (servicing-desk install --kb ${kb}) or give --kit DIR.`,
      )
      continue
    }
    for (const cp of checkpointChain(kb)) {
      if (chosen.some((c) => c.kb === cp.kb) || skipped.some((s) => s.kb === cp.kb)) continue
      if (has(cp.kb)) {
        // The folder method hands DISM the whole folder: a downloaded checkpoint the PC already has, lying beside
        // the target, is verified like the others and named in the step (DISM finds it installed and skips it),
        // instead of refusing the folder for a file it holds.
        const beside = req.method === 'folder' ? toPackage(cp.kb, 'checkpoint') : null
        skipped.push({
          kb: cp.kb,
          reason: `Checkpoint ${cp.kb} (${cp.baseBuild}.${cp.ubr}) is already present${level.ubr !== null ? `: UBR ${level.ubr} ≥ ${cp.ubr}` : ''}.`,
        })
        const listed = beside
          ? req.folderListing?.[dirOf(beside.path)]?.some((n) => n.toLowerCase() === beside.fileName.toLowerCase())
          : false
        if (beside && listed && dirOf(beside.path) === dirOf(p.path)) {
          chosen.push(beside)
          presentBeside.add(cp.kb)
          notes.push(
            `Checkpoint ${cp.kb} (${cp.baseBuild}.${cp.ubr}) is already present; its file lies beside ${kb} in the folder, so it is hash-checked too, and DISM finds it installed and skips it.`,
          )
        }
        continue
      }
      const c = toPackage(cp.kb, 'checkpoint')
      if (!c)
        refuse(
          `${kb} needs the checkpoint ${cp.kb} (${cp.baseBuild}.${cp.ubr}) first, and its package file is missing.`,
        )
      else chosen.push(c)
    }
    chosen.push(p)
  }

  // The folder method needs each target alone with its checkpoints in one folder (S19/S20).
  if (req.method === 'folder' && chosen.length) {
    const dirs = new Set(chosen.map((p) => dirOf(p.path)))
    if (dirs.size > 1)
      refuse(
        `The folder method needs the target and its checkpoints in one folder; they are in ${[...dirs].join(', ')}. Use --method sequence or put them together.`,
      )
    for (const d of dirs) {
      const listing = req.folderListing?.[d]
      if (!listing) continue
      const extra = listing.filter(
        (n) => /\.(msu|cab)$/i.test(n) && !chosen.some((p) => p.fileName.toLowerCase() === n.toLowerCase()),
      )
      if (extra.length)
        refuse(
          `The folder ${d} also holds ${extra.join(', ')}; DISM would process them too. Keep only the target and its checkpoints there.`,
        )
    }
  }

  // Pending restart: CBS refuses to service an online image with pending work (CBS_E_PENDING, 0x800F0806).
  if (req.scope.kind === 'online') {
    if (reboot?.pending) {
      preflight.push({
        id: 'pending-restart',
        title: 'No restart pending',
        status: 'fail',
        detail: `A restart is pending (${
          reboot.sources
            .filter((s) => s.pending)
            .map((s) => s.label)
            .join(', ') || 'reported'
        }): restart the PC, then plan again.`,
      })
      refuse('A restart is pending: restart the PC first, then install.')
    } else
      preflight.push({
        id: 'pending-restart',
        title: 'No restart pending',
        status: reboot ? 'pass' : 'warn',
        detail: reboot ? 'No restart is pending.' : 'Whether a restart is pending is unknown.',
      })
  }

  // Free space: the update is expanded in WinSxS; ask for 3× the packages plus 4 GB of working room.
  const bytes = chosen.reduce((s, p) => s + (req.packages.find((c) => c.kb === p.kb)?.sizeBytes ?? 0), 0)
  const need = 4 * GB + 3 * bytes
  if (storage) {
    const free = storage.systemDrive.freeBytes
    const ok = free >= need
    preflight.push({
      id: 'free-space',
      title: 'Free space',
      status: ok ? 'pass' : 'fail',
      detail: `${(free / GB).toFixed(1)} GB free on ${storage.systemDrive.letter}:, ${(need / GB).toFixed(1)} GB needed.`,
    })
    if (!ok)
      refuse(
        `Not enough free space on ${storage.systemDrive.letter}: (${(free / GB).toFixed(1)} GB free, ${(need / GB).toFixed(1)} GB needed).`,
      )
  } else preflight.push({ id: 'free-space', title: 'Free space', status: 'warn', detail: 'Free space is unknown.' })

  if (req.onBattery === true)
    preflight.push({
      id: 'battery',
      title: 'Mains power',
      status: 'warn',
      detail: 'The PC runs on battery: plug it in; a cumulative update can take an hour and a restart.',
    })
  else if (req.onBattery === false)
    preflight.push({ id: 'battery', title: 'Mains power', status: 'pass', detail: 'The PC is on mains power.' })

  const bitlockerOn = storage?.bitlocker.protectionStatus === 'on'
  if (req.scope.kind === 'winre' || bitlockerOn) {
    preflight.push({
      id: 'bitlocker',
      title: 'BitLocker recovery key',
      status: bitlockerOn ? 'warn' : 'pass', // advice to act on before installing: a warning, never 'ok'
      detail: bitlockerOn
        ? 'BitLocker protects the system drive: have the recovery key at hand before any recovery work (%SystemRoot%\\System32\\manage-bde.exe -protectors -get C:).'
        : 'BitLocker is off.',
    })
  }

  if (req.scope.kind === 'image') {
    notes.push(
      imageRead
        ? `The offline image at ${req.scope.dir} is checked as its own PC: Windows ${build ?? '?'}.${ubr ?? '?'}, ${targetArch ?? 'architecture not read'}${img.edition ? `, edition ${img.edition}` : ''}${img.evidence ? ` (read with ${img.evidence})` : ''}; not this PC's.`
        : `The offline image at ${req.scope.dir} could not be read before planning${img?.evidence ? ` (${img.evidence})` : ''}: its checks rest on --arch and this PC's build, and DISM decides applicability.`,
    )
  }
  const refused = refusals.length ? refusals[0] : null
  if (refusals.length > 1) notes.push(...refusals.slice(1).map((r) => `Also: ${r}`))
  if (!refused && chosen.length === 0) notes.push('Nothing to install: every target is already on the machine.')
  // A target whose build rests on one secondary source says so; verification then relies on the package state (verify.ts).
  for (const p of chosen) {
    const u = knownUpdate(p.kb)
    if (u && !u.verified && p.role !== 'checkpoint')
      notes.push(
        `${p.kb} → ${u.baseBuild}.${u.ubr} is unverified (one secondary source, ${u.source}); the install is verified by the package state, not by that number alone.`,
      )
  }
  // Nothing to install: no steps at all (an image already at its level is not mounted and saved for nothing).
  const steps =
    refused || chosen.length === 0
      ? []
      : buildSteps(req.method, req.scope, chosen, req.resumeCommand ?? null, presentBeside, req.pcPath).map((s) =>
          describePresentBeside(s, chosen, presentBeside),
        )
  const expectUbr = Math.max(...chosen.map((p) => p.ubr ?? 0), 0)
  return {
    ...base,
    preflight,
    steps,
    packages: chosen,
    skipped,
    expected: expectUbr && build !== null ? { build, ubr: expectUbr } : null,
    refused,
    notes,
  }
}

function describeBranchId(id: string): string {
  const b: Branch | null = branchById(id)
  return b ? `${b.product} ${b.displayVersion}` : id
}

/**
 * A folder step whose folder also holds a checkpoint the PC already has says so: DISM skips that one and
 * installs only the target (the title and explanation are for people; the command is the builder's).
 */
function describePresentBeside(step: PlanStep, packages: PlanPackage[], present: Set<string>): PlanStep {
  if (step.kind !== 'add-package' || present.size === 0) return step
  const files = packages.filter((p) => step.packages.includes(p.fileName))
  const have = files.filter((p) => present.has(p.kb)).map((p) => p.kb)
  if (!have.length) return step
  const target = files[files.length - 1]
  const toInstall = files.filter((p) => !present.has(p.kb)).map((p) => p.kb)
  const list = (kbs: string[]) => kbs.join(' then ')
  return {
    ...step,
    title: `Install ${list(toInstall)}${toInstall.length > 1 ? ' (DISM finds the checkpoint)' : ''}`,
    explanation: `DISM gets ${target.kb} as the only package path; the folder also holds ${have.join(', ')}, which this PC already has: DISM finds ${have.length > 1 ? 'them' : 'it'} installed and skips ${have.length > 1 ? 'them' : 'it'}, then installs ${list(toInstall)}. Every file in the folder is hash-checked before DISM runs.`,
  }
}

/** The steps, each depending on the one before: nothing runs after a failure. */
function buildSteps(
  method: PlanMethod,
  scope: PlanScope,
  packages: PlanPackage[],
  resumeCommand: string[] | null,
  present: ReadonlySet<string> = new Set(),
  pcPath?: PcPath,
): PlanStep[] {
  const steps: PlanStep[] = []
  const last = () => (steps.length ? [steps[steps.length - 1].id] : [])
  const online = scope.kind === 'online'
  if (scope.kind === 'image' && scope.wim)
    steps.push(mountStep(steps.length + 1, scope.wim.path, scope.wim.index, scope.dir, last()))
  const groups: PlanPackage[][] = method === 'folder' ? groupForFolder(packages) : packages.map((p) => [p])
  for (const group of groups) {
    const file = group[group.length - 1]
    steps.push(addPackageStep(steps.length + 1, scope, file, group, method, last(), { pcPath }))
    if (online) {
      const added = last()
      if (resumeCommand) steps.push(scheduleResumeStep(steps.length + 1, resumeCommand, added))
      // The restart depends on the add step, so it never runs after a failed install.
      steps.push(
        restartStep(
          steps.length + 1,
          resumeCommand ? [...added, ...last()] : added,
          group.map((p) => p.kb).filter((kb) => !present.has(kb)),
        ),
      )
    }
  }
  if (scope.kind === 'image' && scope.wim) steps.push(unmountStep(steps.length + 1, scope.dir, last(), scope.wim))
  return steps
}

/** Folder method: one DISM call per target; its checkpoints ride along in the same folder. */
function groupForFolder(packages: PlanPackage[]): PlanPackage[][] {
  const groups: PlanPackage[][] = []
  let pending: PlanPackage[] = []
  for (const p of packages) {
    pending.push(p)
    if (p.role !== 'checkpoint') {
      groups.push(pending)
      pending = []
    }
  }
  if (pending.length) groups.push(pending)
  return groups
}
