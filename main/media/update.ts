/**
 * `media update`: the media definition of the one engine (main/runner/engine.ts). It turns
 * `media plan`'s steps (intent) into EngineSteps, runs them with `runSteps` against the medium's Host and a
 * sealed journal (main/media/journal.ts), and proves the result by reading the medium again.
 *
 * - Work on a copy: the medium is mirrored into a work folder of its own for this run (space checked before
 *   anything runs); every mount, add, commit and export works there; the medium is written once, at the end
 *   (the exports staged into the copy, then the copy mirrored back). A FAT32 medium gets install.swm parts.
 *   A medium an earlier update split (install.swm) is joined per index into `<work>\join\install.wim` first
 *   (plan.ts, `join-swm`); every install step uses that file, and before the fresh split the copy's old parts are
 *   moved aside, so the write-back's mirror leaves none of them on the medium.
 * - Ask first: a stale mount found at start is reported and cleaned with DISM /Cleanup-Mountpoints only after a
 *   yes (`confirm`), and the update itself only after a yes.
 * - Resume: the same command again continues the unfinished journal of that medium and KB. An interrupted step
 *   is re-checked on the medium by its kind's rule (main/runner/resume-rules.ts, definition `media`): is the
 *   mount folder mounted, the package in the mounted image, the index committed at the image's new build, the
 *   export there, the .swm there? A finished step never runs again, so nothing is committed twice, and no
 *   mount of the run is left behind (each mount's unmount is a step of its own that a resume reaches).
 * - Packages are the medium's architecture only, fetched from the Catalog (the training Catalog for a training
 *   medium) with their SHA-256, and hashed again right before the step that adds them.
 * - Proof: after the last step the medium is read again (`media scan`): each layer's new version next to its
 *   target; `verified` only when every install.wim index is at the cumulative update's build, each index's
 *   winre.wim at the Safe OS DU's version, no mount is left, and (FAT32) every .swm part is under 4 GB.
 */
import { join } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import type { Host } from '../host/host.ts'
import { copyableCommand } from '../host/system-tools.ts'
import { runSteps, type EngineStep, type RunJournal } from '../runner/engine.ts'
import { ruleFor } from '../runner/resume-rules.ts'
import { writeTrainingKit } from '../install/training-kit.ts'
import { hashFile } from '../download/file-hashes.ts'
import { knownUpdate } from '../knowledge/servicing-chains.ts'
import { parseWinreVersion, safeOsForMonth, winreUpdateByKb } from '../knowledge/winre-targets.ts'
import { mountedImages, mountedPackages, wimImages } from './medium-reads.ts'
import { readMedium, type MediumScan, type MediumSource } from './read.ts'
import {
  FAT32_MAX_FILE,
  MediaPlanError,
  imageFileOf,
  joinedFile,
  packagePath,
  planMediaUpdate,
  renderArgv,
  runCommands,
  runStepsOf,
  type CommandFolders,
  type MediaPlan,
} from './plan.ts'
export { runCommands, runStepsOf }
import { resolveMedium } from './sources.ts'
import { MEDIA_WORK_ROOT, mediaGuardCommand, outsideWorkFolder } from './work-guard.ts'
import { setupDuPackageVersion, trainingMedium, TRAINING_MEDIA } from './training/media.ts'
import { TrainingMediumHost } from './training/host.ts'
import { packageIdentity } from './training/dism.ts'
import type { TrainingMediaStore } from './training/state.ts'
import { RUN_JOURNAL_SCHEMA, RUN_JOURNAL_SCHEMA_VERSION } from '../../preload/model/run-journal.ts'
import type { MediaLayerProof } from '../../preload/model/media-calls.ts'
import {
  MediaJournalStore,
  attempts,
  interrupted,
  results,
  withEntry,
  type MediaJournal,
  type MediaJournalEntry,
} from './journal.ts'
import {
  MEDIA_JOURNAL_FORMAT,
  type MediaLayerVersion,
  type MediaPackageFile,
  type MediaProgress,
  type MediaRunPlan,
  type MediaRunStep,
  type MediaStepResult,
} from '../../preload/model/media.ts'

export class MediaUpdateError extends Error {}

export type MediaQuestion =
  | { kind: 'stale-mount'; medium: string; mounts: string[] }
  | { kind: 'update'; medium: string; plan: MediaPlan }

export interface MediaUpdateDeps {
  dataDir: string
  store: TrainingMediaStore
  journals?: MediaJournalStore
  now?: () => Date
}

export interface MediaUpdateOptions {
  setupDu?: string
  onProgress?: (p: MediaProgress) => void
  signal?: AbortSignal
  /** Asked before a stale mount is cleaned up and before the update starts; absent: no (nothing changes). */
  confirm?: (q: MediaQuestion) => Promise<boolean>
  /** Test hook, called at every boundary (each journal write, each command's end). */
  checkpointHook?: (point: string) => void
}

export interface MediaUpdateOutcome {
  status: 'completed' | 'failed' | 'cancelled' | 'declined'
  runId: string | null
  resumed: boolean
  medium: string
  targetKb: string
  plan: MediaPlan
  /** The commands this run ran (or runs), one a step, rebuilt from the steps. */
  commands: string[]
  layers: MediaLayerProof[]
  packages: MediaPackageFile[]
  /** Each .swm part's bytes when the medium was split. */
  swmParts: number[] | null
  mountsLeft: string[]
  verified: boolean
  problems: string[]
  note: string
  /** The report for the ticket (plain text). */
  report: string
  journal: MediaJournal | null
}

const ROBOCOPY_OK = [0, 1, 2, 3]
const tail = (text: string, n = 14) =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '' && !/^\[[= .0-9%]*\]$/.test(l.trim()))
    .slice(-n)
    .join('\n')
    .slice(-3900)

/** The id of a run's step: its position and what it does (stable for a journal's life). */
function stepId(n: number, s: MediaRunStep): string {
  const what =
    'image' in s
      ? `${s.image}-${s.index}`
      : 'index' in s
        ? `install-${s.index}`
        : 'package' in s
          ? s.package.kb.toLowerCase()
          : ''
  return `s${String(n + 1).padStart(2, '0')}-${s.kind}${what ? `-${what}` : ''}`
}

function imageLabel(s: MediaRunStep): string {
  if ('image' in s) return s.image === 'winre' ? 'winre.wim' : `${s.image}.wim #${s.index}`
  if (s.kind === 'extract-winre' || s.kind === 'copy-winre') return `install.wim #${s.index}`
  if (s.kind === 'join-swm') return `install.swm #${s.index}`
  if (s.kind === 'split-image') return 'install.wim'
  return 'the medium'
}

function titleOf(s: MediaRunStep): string {
  switch (s.kind) {
    case 'cleanup-mountpoints':
      return 'Clean up the mount left behind (DISM /Cleanup-Mountpoints)'
    case 'copy-to-work':
      return 'Copy the medium into the work folder'
    case 'copy-package':
      return `Copy ${s.package.kb} (${s.package.arch}) into the work folder's packages`
    case 'join-swm':
      return `Join index ${s.index} of the install.swm parts into one install.wim (work folder)`
    case 'mount':
      return `Mount ${imageLabel(s)}${s.readOnly ? ' read-only' : ''}`
    case 'extract-winre':
      return `Take winre.wim out of install.wim #${s.index}`
    case 'unmount-discard':
      return `Unmount ${imageLabel(s)} (discard)`
    case 'add-package':
      return `Add ${s.package.kb} (${s.package.role}, ${s.package.arch}) to ${imageLabel(s)}`
    case 'cleanup-image':
      return `Clean up ${imageLabel(s)}${s.resetBase ? ' (ResetBase)' : ''}`
    case 'copy-winre':
      return `Put the serviced winre.wim into install.wim #${s.index}`
    case 'unmount-commit':
      return `Commit and unmount ${imageLabel(s)}`
    case 'export':
      return `Export ${imageLabel(s)}`
    case 'expand-setup-du':
      return `Expand the Setup Dynamic Update ${s.package.kb} into sources`
    case 'split-image':
      return `Split install.wim into .swm parts of at most ${s.maxMb} MB`
    case 'stage':
      return 'Put the exported images into the copy of the medium'
    case 'write-back':
      return 'Write the updated copy back to the medium'
  }
}

const foldersOf = (work: string, steps: ReadonlyArray<{ step: MediaRunStep }>, kits?: string): CommandFolders => ({
  work,
  media: `${work}\\media`,
  joined: steps.some((s) => s.step.kind === 'join-swm'),
  ...(kits ? { kits } : {}),
})
/** The app's folder of fetched media packages (fetchPackages writes `<kits>/<KB>-<arch>/<file>`). */
const kitsOf = (dataDir: string) => join(dataDir, 'kits', 'media')

function layerVersions(scan: MediumScan): MediaLayerVersion[] {
  return scan.layers.map((l) => ({ layer: l.layer, index: l.index, name: l.name, version: l.version }))
}

/** The medium's source (a training medium's saved state), or a clear error for an unknown name. */
function sourceFor(nameOrPath: string, store: TrainingMediaStore): MediumSource {
  try {
    return resolveMedium(nameOrPath, store)
  } catch (err) {
    throw new MediaUpdateError((err as Error).message)
  }
}

/** The packages a plan adds, fetched for the medium's architecture with their SHA-256 (the training Catalog's files). */
function fetchPackages(dataDir: string, plan: MediaPlan): Array<MediaPackageFile & { path: string }> {
  const refs = new Map<string, { package: { kb: string; arch: 'x64' | 'arm64'; role: MediaPackageFile['role'] } }>()
  for (const s of plan.steps) if ('package' in s) refs.set(`${s.package.kb}-${s.package.arch}`, s)
  const out: Array<MediaPackageFile & { path: string }> = []
  for (const { package: p } of refs.values()) {
    // The medium's architecture only: a package for another one is never fetched, offered or added.
    if (p.arch !== plan.arch)
      throw new MediaUpdateError(
        `${p.kb} for ${p.arch} does not fit ${plan.medium} (${plan.arch}); nothing was changed.`,
      )
    const f = writeTrainingKit(join(dataDir, 'kits', 'media', `${p.kb}-${p.arch}`), p.kb, p.arch).find(
      (x) => x.kb === p.kb,
    )
    if (!f?.sha256) throw new MediaUpdateError(`The Catalog lists no ${p.kb} file for ${p.arch}; nothing was changed.`)
    out.push({
      kb: p.kb,
      arch: p.arch,
      role: p.role,
      fileName: f.fileName,
      sha256: f.sha256,
      sizeBytes: f.sizeBytes ?? 0,
      path: f.path,
    })
  }
  return out
}

export async function updateMedium(
  nameOrPath: string,
  kb: string,
  deps: MediaUpdateDeps,
  opts: MediaUpdateOptions = {},
): Promise<MediaUpdateOutcome> {
  const now = () => (deps.now?.() ?? new Date()).toISOString()
  const hook = opts.checkpointHook ?? (() => {})
  const journals = deps.journals ?? new MediaJournalStore(deps.dataDir)
  if (!/^KB\d{6,8}$/i.test(kb.trim()))
    throw new MediaUpdateError(`'${kb}' is not a KB number (KB followed by 6 to 8 digits).`)
  const targetKb = kb.trim().toUpperCase()
  const src = sourceFor(nameOrPath, deps.store)
  // A real folder is read on any OS, but changing it runs DISM on Windows (folder-source.ts NEEDS_WINDOWS).
  if (src.kind === 'folder')
    throw new MediaUpdateError(
      `Needs Windows: updating ${src.root} mounts its images, adds the packages, commits and exports them with DISM, which runs only on Windows. \`media scan\` and \`media plan\` read it on any OS; running the update on a real medium is not built yet (the training media show the run). Nothing was changed.`,
    )
  const def = trainingMedium(src.name) ?? TRAINING_MEDIA.find((m) => m.name === src.name)!
  const host = new TrainingMediumHost(deps.store, def.name)

  // The same command again continues the unfinished run of this medium (and only for the same KB).
  const listed = journals.listFor(def.name)
  if (listed.damaged.length) throw new MediaUpdateError(`A journal of ${def.name} cannot be used: ${listed.damaged[0]}`)
  const open = listed.journals.find((j) => j.status === 'running' || j.status === 'cancelled')
  if (open && open.plan.targetKb !== targetKb)
    throw new MediaUpdateError(
      `The update of ${def.name} to ${open.plan.targetKb} (run ${open.id}) has not finished; run \`media update ${def.name} --kb ${open.plan.targetKb}\` to finish it first. Nothing was changed.`,
    )

  let journal: MediaJournal
  let plan: MediaPlan
  const resumed = !!open
  if (open) {
    journal = open
    plan = planOfJournal(open, kitsOf(deps.dataDir))
  } else {
    const scan = await readMedium(src, { kb: targetKb })
    try {
      plan = planMediaUpdate(scan, src, { kb: targetKb, setupDu: opts.setupDu, kits: kitsOf(deps.dataDir) })
    } catch (err) {
      if (err instanceof MediaPlanError) throw new MediaUpdateError(`${err.message} Nothing was changed.`)
      throw err
    }
    // A medium already at the target on every layer (an earlier run finished it): nothing runs, the proof is read again.
    const lcu = knownUpdate(targetKb)
    const safeOs =
      scan.branchId && lcu ? (safeOsForMonth(scan.branchId, lcu.released.slice(0, 7))?.update ?? null) : null
    const winreUbr = safeOs?.winreVersion ? (parseWinreVersion(safeOs.winreVersion)?.[3] ?? null) : null
    const images = scan.layers.filter((l) => l.layer === 'install' || l.layer === 'boot')
    const current =
      !!lcu &&
      images.length > 0 &&
      images.every((l) => l.build === lcu.baseBuild && (l.ubr ?? 0) >= lcu.ubr) &&
      scan.layers.filter((l) => l.layer === 'winre').every((l) => winreUbr !== null && (l.ubr ?? 0) >= winreUbr) &&
      scan.staleMounts.length === 0
    if (current) {
      const last = listed.journals.find((j) => j.status === 'completed' && j.plan.targetKb === targetKb)
      const ref = {
        medium: def.name,
        targetKb,
        before: layerVersions(scan),
        setupDu: last?.plan.setupDu ?? null,
        packages: last?.plan.packages ?? [],
      }
      const proof = await prove({ plan: ref }, src, host, deps)
      const note = `${def.name} is at ${targetKb} on every layer already${last ? ` (run ${last.id})` : ''}; nothing ran.`
      return {
        status: 'completed',
        runId: last?.id ?? null,
        resumed: false,
        medium: def.name,
        targetKb,
        plan,
        commands: [],
        ...proof,
        note,
        report: reportOf({ plan: ref, id: last?.id ?? null }, proof, 'already up to date'),
        journal: last ?? null,
      }
    }
    if (plan.space.enough === false) {
      throw new MediaUpdateError(
        `Not enough space in the work folder: the update needs about ${(plan.space.neededBytes / 1e9).toFixed(1)} GB, ${(plan.space.freeBytes! / 1e9).toFixed(1)} GB is free${scan.staleMounts.length ? ' (counting what the stale mount gives back)' : ''}. Free space or choose another work folder; nothing was changed.`,
      )
    }
    const declined = (note: string): MediaUpdateOutcome => ({
      status: 'declined',
      runId: null,
      resumed: false,
      medium: def.name,
      targetKb,
      plan,
      commands: plan.commands,
      layers: [],
      packages: [],
      swmParts: null,
      mountsLeft: scan.staleMounts,
      verified: false,
      problems: [],
      note,
      report: '',
      journal: null,
    })
    if (
      scan.staleMounts.length > 0 &&
      !(await opts.confirm?.({ kind: 'stale-mount', medium: def.name, mounts: scan.staleMounts }))
    ) {
      return declined(
        `A mount was left behind (${scan.staleMounts.join(', ')}); it is cleaned up with DISM /Cleanup-Mountpoints only after you say yes (--yes). Nothing was changed.`,
      )
    }
    if (!(await opts.confirm?.({ kind: 'update', medium: def.name, plan })))
      return declined('The update changes the medium; it runs only after you say yes (--yes). Nothing was changed.')
    const packages = fetchPackages(deps.dataDir, plan).map(({ path: _p, ...p }) => p)
    const id = `media-${def.name}-${now()
      .replace(/[^0-9]/g, '')
      .slice(0, 14)}-${randomBytes(3).toString('hex')}`
    const runSteps_ = runStepsOf(plan)
    const runPlan: MediaRunPlan = {
      format: MEDIA_JOURNAL_FORMAT,
      medium: def.name,
      arch: plan.arch,
      targetKb,
      setupDu: plan.setupDu,
      work: `${MEDIA_WORK_ROOT}\\${id}`,
      steps: runSteps_.map((step, n) => ({ id: stepId(n, step), step })),
      packages,
      before: layerVersions(scan),
    }
    // The medium is no PC: the one journal's `machine` is null; the medium is in the plan.
    journal = journals.create({
      schema: RUN_JOURNAL_SCHEMA,
      schemaVersion: RUN_JOURNAL_SCHEMA_VERSION,
      kind: 'media',
      id,
      machine: null,
      createdAt: now(),
      updatedAt: now(),
      planDigest: '0'.repeat(64),
      plan: runPlan,
      status: 'running',
      entries: [],
      verification: null,
    })
    journal = journals.load(id)
  }
  return runJournal(journal, plan, resumed, host, src, deps, opts, now, hook, journals)
}

/** The plan a journal holds (its steps, commands rebuilt for display). */
function planOfJournal(j: MediaJournal, kits: string): MediaPlan {
  const steps = j.plan.steps.map((s) => s.step)
  const src = trainingMedium(j.plan.medium)
  return {
    medium: j.plan.medium,
    arch: j.plan.arch,
    targetKb: j.plan.targetKb,
    setupDu: j.plan.setupDu ?? null,
    steps,
    commands: steps.map((s) =>
      runCommands(s, foldersOf(j.plan.work, j.plan.steps, kits), src?.root ?? 'X:\\')
        .map((c) => copyableCommand(renderArgv(c)))
        .join('\n'),
    ),
    space: { neededBytes: 0, freeBytes: null, enough: null },
    notes: ['Continued from the journal of an earlier run.'],
  }
}

async function runJournal(
  start: MediaJournal,
  plan: MediaPlan,
  resumed: boolean,
  host: Host,
  src: MediumSource,
  deps: MediaUpdateDeps,
  opts: MediaUpdateOptions,
  now: () => string,
  hook: (p: string) => void,
  journals: MediaJournalStore,
): Promise<MediaUpdateOutcome> {
  let journal = start
  const folders = foldersOf(journal.plan.work, journal.plan.steps, kitsOf(deps.dataDir))
  const total = journal.plan.steps.length
  const indexOf = new Map(journal.plan.steps.map((s, i) => [s.id, i]))
  const write = (e: MediaJournalEntry, status?: MediaJournal['status']) => {
    journal = withEntry(journal, e, status)
    journals.save(journal)
    hook(`journal:${e.phase}${'stepId' in e ? `:${e.stepId}` : ''}`)
  }
  const progress = (id: string, phase: 'started' | 'finished', result?: MediaStepResult) => {
    const s = journal.plan.steps[indexOf.get(id)!].step
    opts.onProgress?.({
      runId: journal.id,
      stepId: id,
      index: indexOf.get(id)!,
      total,
      phase,
      title: titleOf(s),
      image: imageLabel(s),
      ...(result ? { result } : {}),
    })
  }
  const port: RunJournal<MediaStepResult> = {
    resultOf: (id) => results(journal).get(id),
    interrupted: (id) => interrupted(journal, id),
    verdict: (r) => (r.outcome === 'failed' || r.outcome === 'refused' ? 'failed' : 'ok'),
    resumed: (note) => write({ phase: 'resumed', at: now(), note }, 'running'),
    rerunning: (s, note) => write({ phase: 'resumed', at: now(), note: `"${s.title}" was interrupted; ${note}` }),
    started: (s) => {
      write({ phase: 'started', at: now(), stepId: s.id, attempt: attempts(journal, s.id) + 1 })
      progress(s.id, 'started')
    },
    finished: (s, result, how) => {
      write({
        phase: 'finished',
        at: now(),
        stepId: s.id,
        result,
        exitCode: result.exitCode,
        durationMs: 0,
        rechecked: how === 'rechecked',
      })
      progress(s.id, 'finished', result)
    },
  }
  const kits = new Map(journal.plan.packages.map((p) => [`${p.kb}-${p.arch}`, p]))
  const steps = journal.plan.steps.map(({ id, step }, n): EngineStep<MediaStepResult> => {
    const commands = () => runCommands(step, folders, src.root)
    return {
      id,
      title: titleOf(step),
      recheck: async () => recheckStep(step, n, journal, host, folders),
      // Re-hashed at use: the fetched file before it is copied into the work folder, and the copy in the work folder
      // (read through the Host, where DISM reads it) right before the step that adds or expands it.
      preflight:
        'package' in step
          ? async () => {
              const p = kits.get(`${step.package.kb}-${step.package.arch}`)
              const where =
                step.kind === 'copy-package'
                  ? join(kitsOf(deps.dataDir), `${step.package.kb}-${step.package.arch}`, p?.fileName ?? '-')
                  : `${packagePath(folders, step.package)}\\${p?.fileName ?? '-'}`
              const got =
                step.kind === 'copy-package'
                  ? await hashFile(where, opts.signal).catch(() => null)
                  : await hashHostFile(host, where).catch(() => null)
              if (!p || !got || got.sha256 !== p.sha256)
                return {
                  outcome: 'refused',
                  exitCode: null,
                  output: `${step.package.kb} (${step.package.arch}) at ${where} is not the file that was verified${p ? `: SHA-256 ${got?.sha256 ?? 'unreadable'}, the journal says ${p.sha256}` : ''}. Nothing was ${step.kind === 'copy-package' ? 'copied' : 'added'}.`,
                }
              return null
            }
          : undefined,
      execute: async ({ run }) => {
        // Every path the step's commands name is in the run's checked tree (or the medium, or the app's package folder),
        // and the guard finds its folders ours and its package the verified one, right before the commands run.
        const outside = outsideWorkFolder(commands(), folders, src.root)
        if (outside) return { outcome: 'refused', exitCode: null, output: `Not run: ${outside}.` }
        const guard = await run(mediaGuardCommand(step, folders, kits))
        if (!guard.ok) {
          hook(`command:${id}`)
          return {
            outcome: 'refused',
            exitCode: guard.exitCode,
            output:
              tail(`${guard.stderr}\n${guard.stdout}`) || `The work folder check failed (exit ${guard.exitCode}).`,
          }
        }
        let last: { exitCode: number; out: string } = { exitCode: 0, out: '' }
        for (const c of commands()) {
          const robocopy = c.file === 'robocopy.exe'
          const r = await run({
            name: `media.${step.kind}`,
            file: c.file,
            args: c.args,
            timeoutMs: 4 * 60 * 60 * 1000,
            successExitCodes: robocopy ? ROBOCOPY_OK : [0],
            outputEncoding: 'console',
          })
          last = { exitCode: r.exitCode, out: `${r.stdout}\n${r.stderr}` }
          if (!r.ok) {
            hook(`command:${id}`)
            return { outcome: 'failed', exitCode: r.exitCode, output: tail(last.out) }
          }
        }
        hook(`command:${id}`)
        return { outcome: 'done', exitCode: last.exitCode, output: tail(last.out) }
      },
    }
  })
  const done = () => journal.plan.steps.filter((s) => results(journal).has(s.id) && !interrupted(journal, s.id)).length
  const end = await runSteps({
    host,
    steps,
    journal: port,
    resumed,
    signal: opts.signal,
    restartIsReal: false,
    resumeNote: () => {
      const open = journal.plan.steps.find((s) => interrupted(journal, s.id))
      return `Resumed with ${done()} of ${total} steps done${open ? `; "${titleOf(open.step)}" was interrupted and is re-checked on the medium first` : ''}.`
    },
  })
  const commands = journal.plan.steps.flatMap((s) => runCommands(s.step, folders, src.root).map(renderArgv))
  let status: MediaUpdateOutcome['status']
  let note: string
  switch (end.kind) {
    case 'completed':
      status = 'completed'
      note = 'Every step ran.'
      break
    case 'cancelled':
      status = 'cancelled'
      note = `Cancelled before "${end.step.title}"; run the same command again to finish it.`
      break
    case 'failed-earlier':
      status = 'failed'
      note = `"${end.step.title}" failed earlier; nothing after it runs.`
      break
    case 'failed':
      status = 'failed'
      note = `"${end.step.title}" failed${end.result.exitCode !== null ? ` (exit ${end.result.exitCode}, 0x${(end.result.exitCode >>> 0).toString(16).padStart(8, '0')})` : ''}: ${end.result.output
        .split('\n')
        .filter((l) => !/^The DISM log file/.test(l))
        .slice(-2)
        .join(' ')} Nothing after it runs.`
      break
    default:
      status = 'failed'
      note = `The run stopped at "${end.step.title}".`
  }
  const proof = await prove(journal, src, host, deps)
  if (status === 'completed') {
    const detail = proof.verified
      ? 'Read again: every install.wim index at the target build, each winre.wim at the Safe OS DU version, no mount left.'
      : proof.problems.join(' ')
    journal = { ...journal, verification: { verified: proof.verified, detail, checkedAt: now() } }
    write({ phase: 'verified', at: now(), verified: proof.verified, detail })
  }
  write({ phase: 'ended', at: now(), status, note }, status)
  return {
    status,
    runId: journal.id,
    resumed,
    medium: journal.plan.medium,
    targetKb: journal.plan.targetKb,
    plan,
    commands,
    ...proof,
    verified: status === 'completed' && proof.verified,
    note,
    report: reportOf(journal, proof, status),
    journal,
  }
}

/** SHA-256 of a file read through the Host (the work folder is the Host's, not this process's). */
async function hashHostFile(host: Host, path: string): Promise<{ sha256: string }> {
  const h = createHash('sha256')
  for await (const chunk of await host.openRead(path)) h.update(chunk as Buffer)
  return { sha256: h.digest('hex') }
}

/** The rule book's question for an interrupted step, asked of the medium. */
async function recheckStep(
  step: MediaRunStep,
  n: number,
  journal: MediaJournal,
  host: Host,
  f: CommandFolders,
): Promise<{ kind: 'rerun'; note: string } | { kind: 'done' | 'stop'; note: string; result: MediaStepResult }> {
  const done = (note: string) => ({
    kind: 'done' as const,
    note,
    result: { outcome: 'rechecked' as const, exitCode: null, output: note },
  })
  const mountDirOf = (image: string, index: number) => `${f.work}\\mount\\${image}-${index}`
  const mounted = async (dir: string) =>
    (await mountedImages(host)).some(
      (m) => m.mountDir.toLowerCase() === dir.toLowerCase() && (m.status ?? 'Ok') === 'Ok',
    )
  switch (ruleFor('media', step.kind)) {
    case 'runs-again':
      return { kind: 'rerun', note: 'it runs again (it copies or cleans up the same way again).' }
    case 'mount-folder': {
      if (step.kind !== 'mount' && step.kind !== 'unmount-discard') return { kind: 'rerun', note: 'it runs again.' }
      const dir = mountDirOf(step.image, step.index)
      const is = await mounted(dir)
      if (step.kind === 'mount' && is)
        return done(`Re-checked: ${dir} holds the mounted image, so the mount had taken effect; not run again.`)
      if (step.kind === 'unmount-discard' && !is)
        return done(`Re-checked: ${dir} is not mounted any more, so the unmount had taken effect; not run again.`)
      return { kind: 'rerun', note: `${dir} is ${is ? 'still mounted' : 'not mounted'}, so it runs again.` }
    }
    case 'package-state': {
      if (step.kind !== 'add-package') return { kind: 'rerun', note: 'it runs again.' }
      const dir = mountDirOf(step.image, step.index)
      const want = packageIdentity(step.package.kb, step.package.arch).toLowerCase()
      const have = (await mountedPackages(host, dir)).some((p) => p.identity === want && /installed/i.test(p.state))
      return have
        ? done(`Re-checked: ${step.package.kb} is in the image mounted at ${dir}; not added again.`)
        : {
            kind: 'rerun',
            note: `${step.package.kb} is not in the mounted image (DISM rolls back an interrupted add), so it runs again.`,
          }
    }
    case 'index-committed': {
      if (step.kind !== 'unmount-commit') return { kind: 'rerun', note: 'it runs again.' }
      const dir = mountDirOf(step.image, step.index)
      if (await mounted(dir)) return { kind: 'rerun', note: `${dir} is still mounted, so the commit runs again.` }
      const file = imageFileOf(f, step.image)
      const info = (await wimImages(host, file, step.image === 'winre' ? 1 : step.index))?.[0]
      const want = expectedUbr(journal, n, step.image, step.index)
      if (info && want !== null && info.spBuild !== null && info.spBuild >= want)
        return done(
          `Re-checked: ${file} index ${step.image === 'winre' ? 1 : step.index} is at UBR ${info.spBuild}, so the commit had taken effect; not committed again.`,
        )
      const lost = `The commit of ${imageLabel(step)} was interrupted and the image is neither mounted nor at its new build (UBR ${info?.spBuild ?? 'unreadable'}, ${want ?? '?'} expected): its changes are lost. Nothing more runs; the medium itself was not changed. Move ${journal.id}.json out of the journals/media folder and start the update again.`
      return { kind: 'stop', note: lost, result: { outcome: 'failed', exitCode: null, output: lost } }
    }
    case 'export-present': {
      if (step.kind !== 'export' && step.kind !== 'join-swm') return { kind: 'rerun', note: 'it runs again.' }
      const file = step.kind === 'join-swm' ? joinedFile(f) : `${f.work}\\export\\${step.image}.wim`
      const have = (await wimImages(host, file))?.length ?? 0
      const same = (s: MediaRunStep) =>
        step.kind === 'join-swm' ? s.kind === 'join-swm' : s.kind === 'export' && s.image === step.image
      const position = journal.plan.steps.slice(0, n + 1).filter((s) => same(s.step)).length
      return have >= position
        ? done(`Re-checked: ${file} holds index ${position} already; not exported again.`)
        : { kind: 'rerun', note: `${file} holds ${have} image(s), so the export runs again.` }
    }
    case 'swm-present': {
      // The parts must hold what the export holds (a medium that came split has its OLD parts there until the split).
      const swm = `${f.media}\\sources\\install.swm`
      const exp = `${f.work}\\export\\install.wim`
      const parts = await wimImages(host, swm)
      const exported = await wimImages(host, exp)
      let fresh = !!parts && !!exported && parts.length === exported.length
      for (let i = 1; fresh && exported && i <= exported.length; i++) {
        const [a, b] = [(await wimImages(host, swm, i))?.[0], (await wimImages(host, exp, i))?.[0]]
        fresh = !!a && !!b && a.spBuild !== null && a.spBuild === b.spBuild
      }
      return fresh
        ? done('Re-checked: the install.swm parts are there and hold the exported images; the split is not run again.')
        : {
            kind: 'rerun',
            note: `the .swm parts ${parts ? 'there are not the exported images' : 'are not there'}, so the split runs again.`,
          }
    }
    default:
      return { kind: 'rerun', note: 'it runs again.' }
  }
}

/** The UBR an image has once the packages this run adds before step n are in it (null: none known). */
function expectedUbr(j: MediaJournal, n: number, image: string, index: number): number | null {
  let ubr: number | null = null
  const before = j.plan.before.find((l) => l.layer === image && (image === 'winre' ? true : l.index === index))
  const fromVersion = (v: string | null) => (v ? Number(v.split('.')[3]) : null)
  ubr = fromVersion(before?.version ?? null)
  for (const { step } of j.plan.steps.slice(0, n)) {
    if (step.kind !== 'add-package' || step.image !== image || step.index !== index) continue
    const u = knownUpdate(step.package.kb)
    if (step.package.role === 'safe-os') {
      const v = parseWinreVersion(winreUpdateByKb(step.package.kb)?.winreVersion ?? null)
      ubr = v ? v[3] : (u?.ubr ?? ubr)
    } else if (u) ubr = Math.max(ubr ?? 0, u.ubr)
  }
  return ubr
}

interface Proof {
  layers: MediaLayerProof[]
  packages: MediaPackageFile[]
  swmParts: number[] | null
  mountsLeft: string[]
  verified: boolean
  problems: string[]
}

/** Reads the medium again and compares each layer with its target. */
async function prove(
  j: { plan: Pick<MediaRunPlan, 'medium' | 'targetKb' | 'before' | 'setupDu' | 'packages'> },
  src0: MediumSource,
  host: Host,
  deps: MediaUpdateDeps,
): Promise<Proof> {
  const src = resolveMedium(j.plan.medium, deps.store)
  const scan = await readMedium(src, { kb: j.plan.targetKb })
  const lcu = knownUpdate(j.plan.targetKb)
  const safeOs = scan.branchId && lcu ? (safeOsForMonth(scan.branchId, lcu.released.slice(0, 7))?.update ?? null) : null
  const winreWant = safeOs?.winreVersion ? parseWinreVersion(safeOs.winreVersion) : null
  const problems: string[] = []
  const layers: MediaLayerProof[] = scan.layers.map((l) => {
    const before = j.plan.before.find((b) => b.layer === l.layer && b.index === l.index)?.version ?? null
    let target: string | null = null
    let atTarget: boolean | null = null
    if ((l.layer === 'install' || l.layer === 'boot') && lcu) {
      target = `10.0.${lcu.baseBuild}.${lcu.ubr} (${lcu.kb})`
      atTarget = l.build === lcu.baseBuild && (l.ubr ?? 0) >= lcu.ubr
    }
    if (l.layer === 'winre' && winreWant) {
      target = `${safeOs!.winreVersion} (${safeOs!.kb})`
      atTarget = (l.ubr ?? 0) >= winreWant[3]
    }
    // setup.exe and the other setup files come from the Setup Dynamic Update: at its target
    // when that Setup DU was expanded over them and setup.exe now has the version its package brings; with none named
    // or known for the month, not judged — never verified over it.
    if (l.layer === 'setup' && j.plan.setupDu) {
      const want = setupDuPackageVersion(j.plan.setupDu)
      target = want ? `${want} (${j.plan.setupDu})` : `${j.plan.setupDu} expanded`
      const expanded =
        src.setupDu != null
          ? src.setupDu.toUpperCase() === j.plan.setupDu.toUpperCase()
          : l.version !== null && l.version !== before
      atTarget = expanded && (want === null || l.version === want)
    }
    return { layer: l.layer, index: l.index, name: l.name, before, after: l.version, target, atTarget }
  })
  const installs = layers.filter((l) => l.layer === 'install')
  if (installs.length === 0) problems.push('No install image could be read on the medium after the run.')
  for (const l of installs)
    if (!l.atTarget)
      problems.push(`install #${l.index} is ${l.after ?? 'unreadable'}, not ${l.target ?? 'a known target'}.`)
  for (const l of layers.filter((x) => x.layer === 'winre'))
    if (l.atTarget !== true)
      problems.push(
        `The winre.wim in install #${l.index} is ${l.after ?? 'unreadable'}, not ${l.target ?? 'a known Safe OS version'}.`,
      )
  for (const l of layers.filter((x) => x.layer === 'setup')) {
    if (!j.plan.setupDu)
      problems.push(
        `sources\\setup.exe (${l.after ?? 'unreadable'}) was not judged: no Setup Dynamic Update was named (--setup-du KB) and the knowledge has none for ${j.plan.targetKb}'s branch and month, so the setup files are not known to match the images.`,
      )
    else if (l.atTarget !== true)
      problems.push(
        `sources\\setup.exe is ${l.after ?? 'unreadable'}, not ${l.target ?? 'the version'} the Setup Dynamic Update ${j.plan.setupDu} brings: it did not replace the setup files.`,
      )
  }
  const mounted = (await mountedImages(host)).map((m) => m.mountDir)
  if (mounted.length) problems.push(`Still mounted: ${mounted.join(', ')}.`)
  const swmParts = src.swmParts ?? null
  if (src0.fileSystem === 'FAT32') {
    if (swmParts) {
      for (const [i, p] of swmParts.entries())
        if (p > FAT32_MAX_FILE) problems.push(`install${i ? i + 1 : ''}.swm is ${p} bytes, over FAT32's 4 GB limit.`)
    } else if ((src.installFileBytes ?? 0) > FAT32_MAX_FILE)
      problems.push(`install.wim is ${src.installFileBytes} bytes, over FAT32's 4 GB limit, and was not split.`)
  }
  return { layers, packages: j.plan.packages, swmParts, mountsLeft: mounted, verified: problems.length === 0, problems }
}

function reportOf(
  j: { plan: Pick<MediaRunPlan, 'medium' | 'targetKb'>; id: string | null },
  p: Proof,
  status: string,
): string {
  const def = trainingMedium(j.plan.medium)
  const out = [
    `Installation media update — ${j.plan.medium}${def ? ` (${def.title}, ${def.root}, ${def.fileSystem})` : ''}`,
    `${j.id ? `Run ${j.id}` : 'No run'}: ${status}; target ${j.plan.targetKb}; ${p.verified ? 'VERIFIED' : 'NOT verified'} by reading the medium again.`,
    'Layers (before → after, target):',
    ...p.layers.map(
      (l) =>
        `  ${(l.layer === 'winre' ? `install #${l.index} winre.wim` : l.layer === 'setup' ? 'sources\\setup.exe' : `${l.layer}.wim #${l.index}`).padEnd(22)} ${l.before ?? '?'} → ${l.after ?? '?'}${l.target ? `  (target ${l.target}: ${l.atTarget ? 'reached' : 'NOT reached'})` : ''}`,
    ),
    "Packages (fetched for the medium's architecture, SHA-256 checked before each add):",
    ...p.packages.map((x) => `  ${x.kb} ${x.role} ${x.arch} ${x.fileName} SHA-256 ${x.sha256}`),
    ...(p.swmParts ? [`install.swm parts: ${p.swmParts.map((b) => `${(b / 1e9).toFixed(2)} GB`).join(', ')}`] : []),
    ...p.problems.map((x) => `  problem: ${x}`),
  ]
  return out.join('\n')
}
