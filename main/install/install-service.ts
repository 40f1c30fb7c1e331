/**
 * The install service: makes plans (scan → packages → planner), keeps them in `<dataDir>/plans/`, and
 * runs or resumes them through the executor with their journal. The CLI, IPC handlers and the preview
 * bridge all call this; none of them holds installation logic.
 */
import { mkdirSync, readFileSync, existsSync, readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { copyFailure, WriteFailure, writeFileAtomicSync } from '../atomic-write.ts'
import type { Host } from '../host/host.ts'
import type { MachineArch, MachineRef } from '../../preload/model/common.ts'
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import {
  PLAN_SCHEMA_VERSION,
  PlanSchema,
  type Journal,
  type Plan,
  type PlanMethod,
  type PlanScope,
} from '../../preload/model/plan.ts'
import { planInstallation, type PackageCandidate } from './planner.ts'
import { readImageFacts } from './image-facts.ts'
import { fetchPackages } from './fetch-packages.ts'
import { importKitFolder } from '../kit/kit-import.ts'
import { verifyKit } from '../kit/kit-verify.ts'
import { normalizeKitDigest } from '../kit/kit-seal.ts'
import { JournalStore } from './journal.ts'
import { executePlan, type ExecuteOptions } from './executor.ts'
import { assertBuilderPlan, StepIntentError, type CommandContext } from './step-commands.ts'
import { planDigest } from './plan-digest.ts'
import { acquireMachineLock, acquireRunLock, machineLockName, RunLockBusyError, type RunLock } from './run-lock.ts'
import { packageSignatureCheckerFor, verifyBySignature } from '../security/package-signature.ts'
import { dataFileOnWindowsPc, pcPathFor } from '../host/pc-path.ts'

export interface InstallServiceDeps {
  dataDir: string
  platform?: NodeJS.Platform
  appVersion?: string
  hostFor: (ref: MachineRef) => Host
  scan: (ref: MachineRef) => Promise<MachineSnapshot>
  now?: () => Date
  /**
   * How to start Servicing Desk again after a real restart, given the plan file. Default: on Windows under
   * plain Node (the CLI), `node <bin> install --plan FILE --yes`; the Electron app passes its own.
   */
  resumeLauncher?: ((planFile: string) => string[]) | null
}

export interface MakePlanArgs {
  ref: MachineRef
  kbs: string[]
  method?: PlanMethod
  scope?: PlanScope
  arch?: MachineArch | null
  /** A folder of MSU/CAB files (a kit). */
  kitDir?: string | null
  /** With kitDir: the kit digest shown at export (main/kit/kit-seal.ts); a kit with another digest is refused. */
  kitDigest?: string | null
  /** Packages already fetched and verified (from the Catalog download). */
  packages?: PackageCandidate[] | null
  /** Told what the fetch did (which Catalog, each file verified). */
  onNote?: (line: string) => void
  signal?: AbortSignal
}

export class InstallServiceError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

export function createInstallService(deps: InstallServiceDeps) {
  const journals = new JournalStore(deps.dataDir)
  const plansDir = join(deps.dataDir, 'plans')
  const now = () => deps.now?.() ?? new Date()

  function planFile(id: string): string {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new InstallServiceError('invalid-input', `Invalid plan id '${id}'.`)
    return join(plansDir, `${id}.json`)
  }

  /** How this copy of the app starts itself again after a restart (the RunOnce value), for a plan file. */
  const launcher: ((file: string) => string[]) | null =
    deps.resumeLauncher !== undefined
      ? deps.resumeLauncher
      : process.platform === 'win32' && !process.versions.electron && process.argv[1]
        ? (file: string) => [process.execPath, process.argv[1], 'install', '--plan', file, '--yes']
        : null

  /** The command builder's context for a plan: the app's own resume command on this PC, never one from a file. */
  function commandsFor(plan: Plan): CommandContext {
    return {
      resumeCommand: plan.machine.ref?.kind === 'this-pc' && launcher ? launcher(planFile(plan.id)) : null,
      pcPath: pcPathFor(plan.machine.ref, deps.dataDir),
    }
  }

  function savePlan(plan: Plan): void {
    try {
      mkdirSync(plansDir, { recursive: true })
    } catch (err) {
      throw copyFailure(planFile(plan.id), err, `plan ${plan.id}`)
    }
    writeFileAtomicSync(planFile(plan.id), JSON.stringify(plan, null, 1), { what: `plan ${plan.id}` })
  }

  function loadPlan(id: string): Plan {
    const f = planFile(id)
    if (!existsSync(f))
      throw new InstallServiceError('not-found', `No plan with id '${id}'. Make one with \`servicing-desk plan\`.`)
    return parsePlan(readFileSync(f, 'utf8'), commandsFor)
  }

  /**
   * Where the packages come from: given ones; a kit folder (each file's hash checked against the kit's
   * manifest or the SHA-1 in its name — a damaged file is left out and said so); or fetched and verified
   * from the Catalog (the local training Catalog for a training machine).
   */
  async function packagesFor(
    args: MakePlanArgs,
    arch: MachineArch | null,
  ): Promise<{ packages: PackageCandidate[]; notes: string[] }> {
    if (args.packages?.length) return { packages: args.packages, notes: [] }
    if (args.kitDir) {
      if (!arch)
        throw new InstallServiceError('invalid-input', 'The native architecture of the PC is unknown; give --arch.')
      // The kit's digest, computed from its files (never read from the folder), is shown, and compared with the
      // one shown at export when the technician gives it: an MSU replaced together with its manifest line is
      // refused here.
      const kitSeal = await kitSealNote(args.kitDir, args.kitDigest ?? null)
      const imported = await importKitFolder(args.kitDir, arch, args.kbs[0])
      if (!imported.files.length)
        throw new InstallServiceError('not-found', `No .msu or .cab packages in ${args.kitDir}.`)
      // Only a file whose hash matched one from elsewhere (the kit manifest, the SHA-1 in its name) is used:
      // hashing a file and comparing it with itself verifies nothing. A file with neither is used only when
      // Windows reports a valid Microsoft Authenticode signature for it (security/package-signature.ts);
      // the signature is then its verification, recorded in the plan's notes (and so in its journal).
      const notes: string[] = kitSeal ? [kitSeal] : []
      const verified: {
        f: (typeof imported.files)[number]
        sha1: string | null
        sha256: string | null
        sizeBytes: number
      }[] = []
      const checker = packageSignatureCheckerFor(args.ref, deps.hostFor, deps.platform ?? process.platform)
      for (const f of imported.files) {
        if (f.hash === 'good' && f.kb) {
          // A hash from the folder's own manifest proves nothing against whoever rewrote both: where a Microsoft
          // signature can be checked (Windows, training machines), a kit file must carry one too.
          if (imported.fromManifest && checker.by !== 'nothing' && f.accepted) {
            const s = await verifyBySignature(f.fileName, join(imported.dir, f.fileName), checker)
            if (!s.ok) {
              notes.push(
                `Left out ${f.fileName}: its hash matches the kit's manifest, but it has no valid Microsoft signature (${s.reason}): it was replaced.`,
              )
              continue
            }
          }
          verified.push({ f, sha1: f.sha1, sha256: f.sha256, sizeBytes: f.sizeBytes })
          continue
        }
        if (f.hash === 'bad' || !f.accepted || !f.kb) {
          notes.push(`Left out ${f.fileName}: ${f.reason}.`)
          continue
        }
        const s = await verifyBySignature(f.fileName, join(imported.dir, f.fileName), checker)
        if (s.ok) {
          verified.push({ f, sha1: s.file.sha1, sha256: s.file.sha256, sizeBytes: s.file.bytes })
          notes.push(s.file.note)
          continue
        }
        notes.push(
          `Left out ${f.fileName}: it has no independent hash (no kit manifest entry, no SHA-1 in its name) and no valid Microsoft signature (${s.reason}), so it cannot be verified.`,
        )
      }
      if (!verified.length)
        throw new InstallServiceError(
          'failed',
          `Nothing in ${args.kitDir} can be verified, so nothing is installed. ${notes.join(' ')}`,
        )
      const packages = verified.map(({ f, sha1, sha256, sizeBytes }) => ({
        kb: f.kb as string,
        fileName: f.fileName,
        path: join(imported.dir, f.fileName),
        arch: f.arch,
        sha1,
        sha256,
        sizeBytes,
      }))
      return { packages, notes }
    }
    if (arch) {
      const notes: string[] = []
      const waited = new Set<string>()
      try {
        const packages = await fetchPackages({
          dataDir: deps.dataDir,
          platform: deps.platform ?? process.platform,
          appVersion: deps.appVersion ?? '0.0.0',
          thisPc:
            (deps.platform ?? process.platform) === 'win32' && args.ref.kind !== 'training'
              ? deps.hostFor({ kind: 'this-pc' })
              : null,
          ref: args.ref,
          kbs: args.kbs,
          arch,
          signal: args.signal,
          onNote: (line) => {
            notes.push(line)
            args.onNote?.(line)
          },
          // Another process fetching the same file: said once, as it happens (not a note of the plan).
          onProgress: (p) => {
            if (p.state === 'waiting' && p.detail && !waited.has(p.fileName)) {
              waited.add(p.fileName)
              args.onNote?.(`${p.fileName}: ${p.detail}`)
            }
          },
        })
        return { packages, notes }
      } catch (err) {
        if (err instanceof WriteFailure) throw err
        throw new InstallServiceError(
          'failed',
          `Could not fetch ${args.kbs.join(', ')} for ${arch}: ${(err as Error).message}`,
        )
      }
    }
    return { packages: [], notes: [] }
  }

  async function makePlan(args: MakePlanArgs): Promise<Plan> {
    const snapshot = await deps.scan(args.ref)
    // An offline image is its own PC: its architecture chooses the packages, and its facts decide the checks.
    const scope = args.scope ?? { kind: 'online' }
    const image =
      scope.kind === 'image' && args.ref.kind !== 'snapshot'
        ? await readImageFacts(deps.hostFor(args.ref), scope)
        : null
    const nativeArch =
      scope.kind === 'image'
        ? (image?.arch ?? null)
        : snapshot.os.status === 'known'
          ? snapshot.os.value.nativeArch
          : null
    const { packages, notes } = await packagesFor(args, args.arch ?? nativeArch)
    let elevated: boolean | null = null
    if (args.ref.kind !== 'snapshot') elevated = deps.hostFor(args.ref).info().elevated
    const t = now()
    const stamp = t.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')
    // Unguessable: 128 random bits (22 base64url characters) after the time, so nobody can plant a journal
    // under the id the next plan will get. The machine and KBs follow for people (cut to 80 characters).
    let id: string
    do {
      id = `${stamp}-${randomBytes(16).toString('base64url')}-${snapshot.origin.name}-${args.kbs.join('-')}`
        .replace(/[^A-Za-z0-9_-]/g, '-')
        .slice(0, 80)
    } while (journals.exists(id) || existsSync(planFile(id)))
    // A plan for another PC (a snapshot) is run there, by its script: its packages are named where that PC keeps them
    // (C:\ProgramData\ServicingDesk\…), never by this computer's data folder.
    const onPc = args.ref.kind === 'snapshot' ? dataFileOnWindowsPc(deps.dataDir) : null
    const listing = listFolders(packages.map((p) => dirname(p.path)))
    const plan = planInstallation({
      id,
      createdAt: t.toISOString(),
      targets: args.kbs,
      snapshot,
      machineRef: args.ref,
      packages: onPc ? packages.map((p) => ({ ...p, path: onPc(p.path) })) : packages,
      method: args.method ?? 'folder',
      scope,
      arch: args.arch ?? null,
      elevated,
      image,
      folderListing: onPc
        ? Object.fromEntries(Object.entries(listing).map(([dir, names]) => [onPc(dir), names]))
        : listing,
      resumeCommand: args.ref.kind === 'this-pc' && launcher ? launcher(planFile(id)) : null,
      pcPath: pcPathFor(args.ref, deps.dataDir),
    })
    plan.notes.unshift(...notes)
    if (onPc && packages.length) {
      const moved = packages.filter((p) => onPc(p.path) !== p.path)
      const folders = [...new Set(moved.map((p) => dirOfWindows(onPc(p.path))))]
      if (folders.length)
        plan.notes.push(
          `The script uses the packages at ${folders.join(', ')} on the PC: copy ${folders.length > 1 ? 'those folders' : 'that folder'} there from Servicing Desk's data folder on this computer (the same path under it), or build a kit with \`servicing-desk kit\` and give its folder with --kit.`,
        )
    }
    savePlan(plan)
    return plan
  }

  /**
   * A journal that cannot be read may record an interrupted installation on the PC it was for: nothing new starts
   * there (and no other plan is resumed in its place) until a person has looked at it. It holds up that PC only;
   * one that names no PC (not JSON, or too damaged to say) could be any PC's, so it holds up every one, as it says.
   * The sentence, or null when nothing holds this machine up.
   */
  function damagedRefusal(ref: MachineRef | null): string | null {
    const mine = ref ? machineKeyOf(ref) : null
    const hit = journals.damagedOf().find((d) => d.machine === null || machineKeyOf(d.machine) === mine)
    if (!hit) return null
    const advice = `then move the file out of ${journals.dir}.`
    return hit.machine === null
      ? `${hit.error.message} It names no PC (it cannot be read far enough to say which), so it may record an interrupted installation on any of them, and nothing new is installed until it is looked at, on any PC: check their update history, ${advice}`
      : `${hit.error.message} It may record an interrupted installation on ${machineWords(hit.machine)}, so nothing new is installed until it is looked at there (other PCs are not held up by it): check that PC's update history, ${advice}`
  }

  function refuseWhileDamaged(ref: MachineRef | null): void {
    const why = damagedRefusal(ref)
    if (why) throw new InstallServiceError('refused', why)
  }

  /** The unfinished journal of the same machine, targets, method and scope, if any (so a rerun resumes it). */
  function unfinishedFor(ref: MachineRef, kbs: string[], method: PlanMethod, scope: PlanScope): Journal | null {
    refuseWhileDamaged(ref)
    const key = (p: Plan) => JSON.stringify([p.machine.ref, [...p.targets].sort(), p.method, p.scope])
    const want = JSON.stringify([ref, [...kbs].map((k) => k.toUpperCase()).sort(), method, scope])
    return journals.unfinished().find((j) => key(j.plan) === want) ?? null
  }

  /** Runs a plan, or resumes its journal when one exists. */
  async function install(given: Plan, options: Omit<ExecuteOptions, 'host' | 'journals'>): Promise<Journal> {
    // Whatever hands the plan in (the CLI, IPC, a saved file), it is checked as data first: a plan with any
    // field the format does not have, or of another format version, is refused before anything else.
    const checked = PlanSchema.safeParse(given)
    if (!checked.success)
      throw new InstallServiceError(
        'refused',
        `This is not a valid plan, so nothing runs: ${checked.error.issues
          .slice(0, 2)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}.`,
      )
    const plan = checked.data
    if (plan.refused) throw new InstallServiceError('refused', `This plan was refused: ${plan.refused}`)
    if (!plan.machine.ref || plan.machine.ref.kind === 'snapshot')
      throw new InstallServiceError(
        'unsupported',
        `This plan was made from a snapshot of another PC, so it runs on that PC: write it as a PowerShell script with \`servicing-desk plan ${plan.targets.map((kb) => `--kb ${kb}`).join(' ')} --snapshot FILE --script FILE.ps1\` (or a kit folder with \`servicing-desk kit build --kb ${plan.targets[0] ?? 'KB'} --snapshot FILE --out DIR\`, which installs with its Install-Kit.ps1) and run that there.`,
      )
    // Only the builder's commands run: a plan (a file, a saved plan) whose stored commands, exit codes or
    // KBs differ from what the builder derives from its intent is refused before anything runs.
    const commands = commandsFor(plan)
    try {
      assertBuilderPlan(plan, commands)
    } catch (err) {
      if (err instanceof StepIntentError) throw new InstallServiceError('refused', err.message)
      throw err
    }
    const host = deps.hostFor(plan.machine.ref)
    // One process per plan (run-lock.ts): taken before the journal is read, so a resume reads it as the
    // last run left it; released however the run ends. A stale lock (a killed run) is taken over quietly.
    // One servicing operation per PC (run-lock.ts, machine lock) first, then the plan's own lock.
    const machineName = machineLockName(plan.machine.ref)
    let machineLock: RunLock | null = null
    let lock: RunLock | null = null
    try {
      lock = acquireRunLock(journals.file(plan.id), { what: `Plan ${plan.id}`, now })
      if (machineName)
        machineLock = acquireMachineLock(deps.dataDir, machineName, `the installation of plan ${plan.id}`, now)
    } catch (err) {
      lock?.release()
      if (err instanceof RunLockBusyError) throw new InstallServiceError('refused', err.message)
      throw err
    }
    try {
      if (!journals.exists(plan.id)) refuseWhileDamaged(plan.machine.ref)
      let journal: Journal
      if (journals.exists(plan.id)) {
        try {
          journal = journals.load(plan.id)
        } catch (err) {
          throw new InstallServiceError(
            'refused',
            `${(err as Error).message} Check the PC's update history, then move the file out of ${journals.dir}.`,
          )
        }
        // The journal must belong to the very plan the person confirmed: never swap in another one.
        if (journal.planDigest !== planDigest(PlanSchema.parse(plan))) {
          throw new InstallServiceError(
            'refused',
            `The journal of plan ${plan.id} (${journals.file(plan.id)}) records a different plan than the one confirmed (its digest differs), so nothing runs. Look at that journal, then move it out of ${journals.dir} and plan again.`,
          )
        }
      } else journal = journals.create(plan, now())
      const ref = plan.machine.ref
      return await executePlan(journal, {
        snapshot: () => deps.scan(ref),
        ...options,
        host,
        journals,
        commands,
        dataDir: deps.dataDir,
      })
    } finally {
      machineLock?.release()
      lock.release()
    }
  }

  /** Reads a plan file's text (`plan --json > FILE`) as this service builds commands for its machine. */
  const readPlan = (text: string): Plan => parsePlan(text, commandsFor)

  return { journals, makePlan, savePlan, loadPlan, readPlan, install, unfinishedFor, damagedRefusal }
}

export type InstallService = ReturnType<typeof createInstallService>

/** One PC, however it is reached (a training machine directly or over WinRM is the same machine). */
function machineKeyOf(ref: MachineRef): string {
  return machineLockName(ref) ?? `snapshot-${ref.kind === 'snapshot' ? ref.id : ''}`
}

/** A machine as a sentence names it. */
function machineWords(ref: MachineRef): string {
  switch (ref.kind) {
    case 'this-pc':
      return 'this PC'
    case 'training':
      return `machine ${ref.name}`
    case 'remote':
      return `the PC ${ref.computer}`
    case 'snapshot':
      return `the PC of snapshot ${ref.id}`
  }
}

/** The names in each package folder, so the planner can check the folder method's "only these MSUs" rule. */
function listFolders(dirs: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const d of new Set(dirs)) {
    try {
      out[d] = readdirSync(d)
    } catch {
      /* not on this computer: the planner cannot check it */
    }
  }
  return out
}

/** Reads a plan file (`plan --json > FILE`), with a clear error for anything else. */
export function parsePlan(text: string, commandsFor: (plan: Plan) => CommandContext = () => ({})): Plan {
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new InstallServiceError(
      'invalid-input',
      `This is not a plan file: it is not JSON (${(err as Error).message}).`,
    )
  }
  const version = json && typeof json === 'object' ? (json as { schemaVersion?: unknown }).schemaVersion : undefined
  if (typeof version === 'number' && version !== PLAN_SCHEMA_VERSION) {
    throw new InstallServiceError(
      'invalid-input',
      `This plan is from ${version < PLAN_SCHEMA_VERSION ? 'an earlier' : 'a later'} version of Servicing Desk (format ${version}) and is not supported; make a new plan with \`servicing-desk plan\`.`,
    )
  }
  const parsed = PlanSchema.safeParse(json)
  if (!parsed.success)
    throw new InstallServiceError(
      'invalid-input',
      `This is not a valid plan: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}.`,
    )
  // A plan carries intent; its commands are the builder's or the plan is refused (nothing in it runs).
  try {
    assertBuilderPlan(parsed.data, commandsFor(parsed.data))
  } catch (err) {
    if (err instanceof StepIntentError) throw new InstallServiceError('invalid-input', err.message)
    throw err
  }
  return parsed.data
}

/**
 * The kit's digest as a note for the plan ("shown at install"), or null for a plain folder of MSUs (no
 * manifest) given without a digest. Throws when a digest was given and the kit's is another (or it is not a kit).
 */
async function kitSealNote(dir: string, expect: string | null): Promise<string | null> {
  const r = await verifyKit(dir, { expectDigest: expect })
  if (!r.manifest || !r.digest) {
    if (expect !== null)
      throw new InstallServiceError(
        'failed',
        `${dir} is not a kit Servicing Desk exported (no valid manifest.json), so its digest cannot be checked; nothing is installed.`,
      )
    return null
  }
  if (expect !== null) {
    const want = normalizeKitDigest(expect)
    if (want !== r.digest)
      throw new InstallServiceError(
        'failed',
        `The kit in ${dir} was changed since it was exported: its digest is ${r.digest}, not the ${want ?? JSON.stringify(expect)} you were given (an MSU, its manifest line or a script was replaced). Nothing is installed; export the kit again.`,
      )
    return `Kit digest ${r.digest}: the one shown at export.`
  }
  return `Kit digest ${r.digest}: compare it with the one shown when the kit was exported (give it with --kit-digest to have it checked).`
}

/** The folder of a Windows path (C:\ProgramData\ServicingDesk\kits\install\KB…-arm64\x.msu → …\KB…-arm64). */
function dirOfWindows(path: string): string {
  const i = path.lastIndexOf('\\')
  return i < 0 ? path : path.slice(0, i)
}
