/**
 * The registry of every PowerShell script the app generates: each builder of main/ that writes a script,
 * where the script runs, and — for the scripts that run on a PC and touch its disk — a way to build a sample of it for
 * the attack battery (attack-battery.test.ts): the training machine it runs on, the script, and the work folders it
 * makes or writes into (read from the script itself where it names them through the one writer,
 * main/host/secure-folder-script.ts: `New-SdSecureFolder -Base … -Child …`).
 *
 * script-registry.test.ts fails when main/ has a script builder or a `.ps1` file name this registry does not list, so
 * a new generator cannot skip the battery.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { createServices } from '../../../main/services.ts'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { COLLECTOR_WORK_ROOT } from '../../../main/collector/steps.ts'
import { detectionScript, remediationScript, configMgrScript, LINE_FILE } from '../../../main/fleet/fix.ts'
import { causeTestBlock } from '../../../main/fleet/detect-cause.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { batchScript } from '../../../main/host/remote-script.ts'
import { commandOf, msuPath, msuDir, expandedSource, espMovedDir } from '../../../main/repair/step-kinds.ts'
import type { CommandSpec } from '../../../main/host/host.ts'
import type { RepairPlan } from '../../../preload/model/repair.ts'
import type { RepairEnv } from '../../../main/repair/types.ts'
import { buildPackage } from './fix-run-helpers.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { createWorkDirCommand, writeDiskpartScriptCommand } from '../../../main/machine/winre-commands.ts'
import { prepareCbsPersistCommand, CBS_PERSIST_WORK_ROOT } from '../../../main/machine/cbs-persist.ts'
import { withCorruptSecureBootEncodeTask } from '../../../main/training/renderers/task-cache.ts'
import type { TrainingState } from '../../../main/training/state.ts'
import { FLEET_ONLY_REPAIRS, FLEET_REMEDIATIONS } from '../../../main/fleet/detect-cause.ts'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { collectedProfiles, fleetWithServices } from '../fleet/fleet-helpers.ts'
import { DEVICE_SIDE_REPAIRS } from '../../../main/fleet/fix.ts'
import { startLocalCatalog, type LocalCatalog } from '../../../main/catalog/local-catalog/server.ts'
import { REPAIR_DEFINITIONS } from '../../../main/repair/definitions/index.ts'
import { MEDIA_GUARD_FUNCTIONS, mediaGuardLines } from '../../../main/media/work-guard.ts'
import { runCommands, type CommandFolders } from '../../../main/media/plan.ts'
import type { MediaRunStep } from '../../../preload/model/media.ts'
import { psLiteral } from '../../../main/host/powershell-text.ts'
import { psSystemTool } from '../../../main/host/system-tools.ts'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'

export type Services = ReturnType<typeof createServices>

export interface ScriptSample {
  /** The training machine the emulated PC models. */
  machine: string
  /** The script as the app writes it. */
  text: string | Buffer
  /** Where it is put on the PC (a folder users can write: the script may not trust its own folder). */
  at: string
  args?: (local: (win: string) => string) => string[]
  /** Commands whose exact argv the stand-ins answer (a repair's steps). */
  specs?: CommandSpec[]
  /** Files the person (an administrator) put there beforehand: the MSU a repair needs. */
  files?: Record<string, string>
  /** Files the script copies from somewhere (a package folder), as `[local source folder, Windows folder]`. */
  copy?: [string, string][]
  /**
   * The work folders it makes or writes into, in the order it does. `stops`: a refused folder ends the script before
   * any program runs (else the script goes on without writing there: the fleet detection's line file).
   */
  folders: { path: string; stops: boolean }[]
  /** Files it reads from its work folders (hashed there before each use): swapped by a standard user at each call. */
  inputs?: string[]
  /** The machine as the script finds it when run (the documented failure it fixes), from the profile's state. */
  state?: (s: TrainingState) => TrainingState
}

export interface RegistryEntry {
  id: string
  /** `main/<file>.ts#<export>` of each builder whose output is this script. */
  builders: string[]
  /** The names it is written as (`Fix-<host>.ps1` for a pattern). */
  fileNames: string[]
  /** Where it runs: a PC (as administrator or SYSTEM; attacked), the admin's own console, or the app itself. */
  runsOn: 'pc' | 'console' | 'app'
  /** PowerShell the app runs through the Host (`powershellSpec`: on this PC, or on a remote one as a SYSTEM task). */
  viaHost?: boolean
  /** Why an entry that runs on a PC has no sample, or what a console/app entry touches. */
  note?: string
  /**
   * What the entry's samples cover, each a producer of the code (`cause:<id>`, `remediation:<repair>`, `repair:<id>`,
   * `media:<step kind>`): script-registry.test.ts fails when a producer the code has is covered by no entry.
   */
  producers?: string[]
  /** The forms one builder produces (a cause's test, a media step's guard): each gets its own sample. */
  variants?: string[]
  sample?: (ctx: SampleContext, variant?: string) => Promise<ScriptSample>
}

export interface SampleContext {
  services: Services
  dir: string
}

const SD = 'C:\\ProgramData\\ServicingDesk'
const PC_ENV: RepairEnv = { hostKind: 'this-pc', dataDir: SD, resumeCommand: null }

/** The folders a script makes through the one writer: its `New-SdSecureFolder -Base 'B' -Child 'C'` calls, in order. */
export function writerFolders(text: string | Buffer): string[] {
  const out: string[] = []
  for (const m of text.toString().matchAll(/New-SdSecureFolder -Base '([^']+)' -Child '((?:[^']|'')+)'/g)) {
    const p = `${m[1]}\\${m[2]!.replace(/''/g, "'")}`
    if (!out.includes(p)) out.push(p)
  }
  return out
}

/** One package per machine for all samples of a context (the kit's and the plan's share it). */
const packages = new WeakMap<SampleContext['services'], Map<string, ReturnType<typeof buildPackage>>>()
function packageOf(ctx: SampleContext, machine: string): ReturnType<typeof buildPackage> {
  let m = packages.get(ctx.services)
  if (!m) {
    m = new Map()
    packages.set(ctx.services, m)
  }
  if (!m.has(machine)) m.set(machine, buildPackage(ctx.services, ctx.dir, machine, '-registry'))
  return m.get(machine)!
}

/** A Host command's PowerShell as a script file on the PC, with the work folders it names. */
function hostSample(spec: CommandSpec): ScriptSample {
  const text = decodePowerShellScript(spec.args)!
  return {
    machine: 'x64-healthy',
    text,
    at: 'C:\\Users\\Public\\host-command.ps1',
    folders: writerFolders(text).map((path) => ({ path, stops: true })),
  }
}

async function snapshotOf(ctx: SampleContext, machine: string) {
  const zip = join(ctx.dir, `${machine}-reg.zip`)
  writeFileSync(zip, await ctx.services.collect({ kind: 'training', name: machine }))
  const { id, snapshot } = await ctx.services.loadSnapshotFile(zip)
  return { ref: { kind: 'snapshot', id } as const, snapshot }
}

/** The restore-health plan of the store-corrupt machine, as a script for that PC gets it (its MSU planted). */
const restoreHealthOf = new WeakMap<SampleContext['services'], ReturnType<typeof restoreHealthPlan>>()
function restoreHealth(ctx: SampleContext): ReturnType<typeof restoreHealthPlan> {
  if (!restoreHealthOf.has(ctx.services)) restoreHealthOf.set(ctx.services, restoreHealthPlan(ctx))
  return restoreHealthOf.get(ctx.services)!
}
async function restoreHealthPlan(ctx: SampleContext) {
  const machine = 'x64-component-store-corrupt'
  const { ref, snapshot } = await snapshotOf(ctx, machine)
  const { plan, env } = await ctx.services.repairs.planForPc(ref, 'restore-health')
  const fetch = plan.steps.find((s) => s.kind === 'fetch-package')!
  const { kb, arch } = fetch.params as { kb: string; arch: string }
  const msu = msuPath(PC_ENV, kb, arch)
  const specs = plan.steps.map((s) => commandOf(s, env)).filter((s): s is CommandSpec => s !== null)
  // Its work folders, named by the step kinds themselves (not read from the script: a script that stopped using the
  // writer would name none).
  const folders = [msuDir(PC_ENV, kb, arch), expandedSource(PC_ENV, kb, arch)].map((path) => ({ path, stops: true }))
  return { machine, ref, snapshot, plan: plan as RepairPlan, env, msu, specs, folders }
}

/**
 * The causes a device tests on itself (main/fleet/detect-cause.ts causeTest, its `case '…':` labels, read from the
 * source so a cause added there is a variant here without anyone listing it).
 */
export function testedCauses(): string[] {
  const src = readFileSync(join(import.meta.dirname, '..', '..', '..', 'main', 'fleet', 'detect-cause.ts'), 'utf8')
  const body = src.slice(src.indexOf('export function causeTest('), src.indexOf('export function blockedLcuPackage('))
  return [...new Set([...body.matchAll(/^\s*case '([a-z0-9-]+)':/gm)].map((m) => m[1]!))]
}

/**
 * Every fleet remediation the code produces, as buildFix writes it for the training fleet's group of each: one
 * Remediate.ps1 per repair of FLEET_REMEDIATIONS, with a device of that group (its profile) and the commands its
 * single-PC plan runs. Built once per context (the training fleet is written and imported once).
 */
interface FleetFix {
  cause: string
  machine: string
  text: Buffer
  specs: CommandSpec[]
}
const fleetFixesOf = new WeakMap<SampleContext['services'], Promise<Map<string, FleetFix>>>()
function fleetFixes(ctx: SampleContext): Promise<Map<string, FleetFix>> {
  if (!fleetFixesOf.has(ctx.services)) fleetFixesOf.set(ctx.services, buildFleetFixes(ctx))
  return fleetFixesOf.get(ctx.services)!
}
let localCatalog: Promise<LocalCatalog> | null = null
async function buildFleetFixes(ctx: SampleContext): Promise<Map<string, FleetFix>> {
  const dir = join(ctx.dir, 'registry-fleet')
  const truth = (
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
  ).devices
  // The checkpoint's remediation fetches its file on the device from the Catalog the fix was built from: the local
  // training Catalog, started once and left running for the battery's runs (the test process ends it).
  localCatalog ??= startLocalCatalog()
  const fx = await fleetWithServices(undefined, { catalogUrl: (await localCatalog).baseUrl })
  const out = new Map<string, FleetFix>()
  try {
    await fx.fleet.importPath(join(dir, 'fleet'))
    for (const g of await fx.fleet.store.groups()) {
      // A cause whose remediation is the fleet's own (the installer that failed) has no single-PC repair of its own.
      const repair = g.repair ?? FLEET_ONLY_REPAIRS[g.cause] ?? null
      if (!repair || !FLEET_REMEDIATIONS.has(repair) || out.has(repair)) continue
      const fix = join(dir, 'fix', g.cause)
      await fx.fleet.buildFix(g.cause, fix, { record: false })
      if (!existsSync(join(fix, 'Remediate.ps1'))) continue
      // A group no profile is made for as its first cause (the installer that failed): one of its devices as the store has it.
      const inGroup = new Set((await fx.fleet.store.devicesOf(g.cause, { state: 'failing' })).map((d) => d.name))
      const dev =
        truth.find((t) => t.cause === g.cause && t.reportedAt) ??
        truth.find((t) => t.cause === g.cause) ??
        truth.find((t) => inGroup.has(t.name) && t.reportedAt)
      if (!dev) continue
      let specs: CommandSpec[] = []
      if (!DEVICE_SIDE_REPAIRS.has(repair)) {
        const { id } = await fx.services.loadSnapshotFile(join(dir, 'fleet', 'snapshots', `${dev.name}.zip`))
        const { plan, env } = await fx.services.repairs.planForPc({ kind: 'snapshot', id }, g.repair!)
        specs = plan.steps.map((st) => commandOf(st, env)).filter((x): x is CommandSpec => x !== null)
      }
      out.set(repair, { cause: g.cause, machine: dev.profile, text: readFileSync(join(fix, 'Remediate.ps1')), specs })
    }
  } finally {
    await fx.fleet.close()
  }
  return out
}

/** The repairs whose fleet remediation the restore-health sample covers with its MSU planted (see fleet-remediate). */
const PLANTED_SOURCE_REPAIRS = new Set(['restore-health'])

/**
 * The media update's steps and the guard the engine runs before each (main/media/work-guard.ts). Typed by every step
 * kind: a kind added to the media run without a line here fails the typecheck, so its guard meets the battery.
 */
const MEDIA_STEP_SAMPLES: Record<MediaRunStep['kind'], MediaRunStep> = {
  'cleanup-mountpoints': { kind: 'cleanup-mountpoints' },
  'copy-to-work': { kind: 'copy-to-work' },
  'copy-package': { kind: 'copy-package', package: { kb: 'KB5102558', arch: 'x64', role: 'setup-du' } },
  'join-swm': { kind: 'join-swm', index: 1 },
  mount: { kind: 'mount', image: 'install', index: 1 },
  'extract-winre': { kind: 'extract-winre', index: 1 },
  'unmount-discard': { kind: 'unmount-discard', image: 'install', index: 1 },
  'add-package': {
    kind: 'add-package',
    image: 'winre',
    index: 1,
    package: { kb: 'KB5102558', arch: 'x64', role: 'safe-os' },
  },
  'cleanup-image': { kind: 'cleanup-image', image: 'winre', index: 1, resetBase: true },
  'copy-winre': { kind: 'copy-winre', index: 1 },
  'unmount-commit': { kind: 'unmount-commit', image: 'winre', index: 1 },
  export: { kind: 'export', image: 'winre', index: 1 },
  'expand-setup-du': { kind: 'expand-setup-du', package: { kb: 'KB5102558', arch: 'x64', role: 'setup-du' } },
  'split-image': { kind: 'split-image', maxMb: 3800 },
  stage: { kind: 'stage', split: false },
  'write-back': { kind: 'write-back' },
}
const MEDIA_WORK = `${SD}\\work\\media-battery-1`
const MEDIA_FOLDERS: CommandFolders = { work: MEDIA_WORK, media: `${MEDIA_WORK}\\media`, kits: `${SD}\\kits\\media` }
const MEDIA_CAB = 'windows11.0-kb5102558-x64.cab'
const MEDIA_CAB_TEXT = 'training: the package as the Catalog serves it\r\n'

/**
 * One media step as the engine runs it on the PC: the guard (its checks, each refusal an exit 1 before any program),
 * then the step's argv commands by their full path. The first step makes the work folder; a later one finds it made
 * (its folders planted as the first step leaves them: Administrators' and SYSTEM's only) and its package there.
 */
function mediaSample(kind: string): ScriptSample {
  const step = MEDIA_STEP_SAMPLES[kind as MediaRunStep['kind']]
  const pkg = 'package' in step ? step.package : null
  const files = new Map(
    pkg
      ? [
          [
            `${pkg.kb}-${pkg.arch}`,
            {
              ...pkg,
              fileName: MEDIA_CAB,
              sha256: createHash('sha256').update(MEDIA_CAB_TEXT).digest('hex'),
              sizeBytes: MEDIA_CAB_TEXT.length,
            },
          ],
        ]
      : [],
  )
  const commands = runCommands(step, MEDIA_FOLDERS, 'D:\\')
  const text = [
    MEDIA_GUARD_FUNCTIONS,
    ...mediaGuardLines(step, MEDIA_FOLDERS, files),
    ...commands.map((c) => `& ${psSystemTool(c.file)} ${c.args.map(psLiteral).join(' ')}`),
    'exit $LASTEXITCODE',
  ].join('\r\n')
  const first = kind === 'copy-to-work' || kind === 'cleanup-mountpoints'
  const pkgDir = pkg ? `${MEDIA_WORK}\\packages\\${pkg.arch}\\${pkg.kb}` : null
  const cab = pkgDir && kind !== 'copy-package' ? `${pkgDir}\\${MEDIA_CAB}` : null
  return {
    machine: 'x64-healthy',
    text,
    at: 'C:\\Users\\Public\\media-step.ps1',
    // A later step's folders as the first one made them (inheriting the data folder's Administrators-and-SYSTEM ACL).
    files: {
      ...(first ? {} : { [`${MEDIA_WORK}\\media\\sources\\boot.wim`]: 'training: the copy of the medium\r\n' }),
      ...(cab ? { [cab]: MEDIA_CAB_TEXT } : {}),
    },
    folders: [
      { path: MEDIA_WORK, stops: true },
      ...(pkgDir ? [{ path: pkgDir, stops: true }] : []),
      ...(kind === 'mount' ? [{ path: `${MEDIA_WORK}\\mount\\install-1`, stops: true }] : []),
    ],
    inputs: cab ? [cab] : [],
  }
}

const detectFolders = [
  { path: COLLECTOR_WORK_ROOT, stops: true },
  { path: LINE_FILE.replace(/\\[^\\]+$/, ''), stops: false },
]

export const SCRIPT_REGISTRY: RegistryEntry[] = [
  {
    id: 'collector',
    builders: ['main/collector/collector-script.ts#collectorScript'],
    fileNames: ['Collect-ServicingFacts.ps1'],
    runsOn: 'pc',
    sample: async () => ({
      machine: 'x64-component-store-corrupt',
      text: collectorScript({ version: '0.0.0-battery' }),
      at: 'C:\\Users\\Public\\Collect-ServicingFacts.ps1',
      folders: [{ path: COLLECTOR_WORK_ROOT, stops: true }],
    }),
  },
  {
    id: 'fleet-detect',
    builders: ['main/fleet/fix.ts#detectionScript'],
    fileNames: ['Detect.ps1', 'ConfigMgr-Collect.ps1'],
    runsOn: 'pc',
    note: 'ConfigMgr-Collect.ps1 is the same builder without the exit code. One variant per cause a device tests on itself.',
    producers: testedCauses().map((c) => `cause:${c}`),
    variants: testedCauses(),
    sample: async (_ctx, cause = 'component-store-corruption') => ({
      machine: 'x64-component-store-corrupt',
      text: detectionScript('0.0.0-battery', causeTestBlock(cause, { builds: ['26100.1742'] })),
      at: 'C:\\Users\\Public\\Detect.ps1',
      folders: detectFolders,
    }),
  },
  {
    id: 'repair-script',
    builders: ['main/repair/script.ts#repairScript'],
    fileNames: [],
    runsOn: 'pc',
    note: '`repairs --script` and the repair block shown to copy; the restore-health repair is the one that writes work folders (repair-sources) and reads an MSU and a CAB.',
    sample: async (ctx) => {
      const r = await restoreHealth(ctx)
      const s = await ctx.services.repairs.script(r.ref, 'restore-health')
      const text = powerShellFileText(s.content)
      return {
        machine: r.machine,
        text,
        at: `C:\\Users\\Public\\${s.fileName}`,
        specs: r.specs,
        files: { [r.msu]: 'training: the MSU as the Catalog serves it\r\n' },
        folders: r.folders,
        inputs: [r.msu],
      }
    },
  },
  {
    id: 'fleet-remediate',
    builders: ['main/fleet/fix.ts#remediationScript'],
    fileNames: ['Remediate.ps1'],
    runsOn: 'pc',
    note: 'The restore-health remediation with the MSU it restores from planted (it reads and expands it); the other remediations are the fleet-remediate-<repair> entries.',
    producers: ['remediation:restore-health', 'repair:restore-health'],
    sample: async (ctx) => {
      const r = await restoreHealth(ctx)
      const os = r.snapshot.os.status === 'known' ? r.snapshot.os.value : null
      const text = remediationScript(
        [{ build: `${os!.build}.${os!.ubr}`, arch: os!.nativeArch!, plan: r.plan, env: r.env, machineName: r.machine }],
        'component-store-corruption',
        causeTestBlock('component-store-corruption', { builds: [] }) ?? [],
      )
      return {
        machine: r.machine,
        text,
        at: 'C:\\Users\\Public\\Remediate.ps1',
        specs: r.specs,
        files: { [r.msu]: 'training: the MSU as the Catalog serves it\r\n' },
        folders: r.folders,
        inputs: [r.msu],
      }
    },
  },
  // Every other remediation the fleet writes (buildFix of the training fleet's group of each repair): one entry each, so
  // every remediation body (the EFI partition's, enabling WinRE, each repair's script) meets the battery in npm test.
  ...[...FLEET_REMEDIATIONS]
    .filter((r) => !PLANTED_SOURCE_REPAIRS.has(r))
    .sort()
    .map(
      (repair): RegistryEntry => ({
        id: `fleet-remediate-${repair}`,
        builders: [],
        fileNames: [],
        runsOn: 'pc',
        note: `Remediate.ps1 of the group whose repair is ${repair}, as buildFix writes it.`,
        producers: [
          `remediation:${repair}`,
          ...(REPAIR_DEFINITIONS.some((d) => d.id === repair) ? [`repair:${repair}`] : []),
        ],
        sample: async (ctx) => {
          const f = (await fleetFixes(ctx)).get(repair)
          if (!f)
            throw new Error(
              `The training fleet has no group whose remediation is ${repair}: give it one (main/fleet/training) so its Remediate.ps1 meets the battery.`,
            )
          // The folders it writes, named by the step kinds (not only read from the script: one that stopped using the writer
          // would name none): the EFI folders' kept copies.
          const named = repair === 'free-esp-space' ? [espMovedDir(PC_ENV, 'X').replace(/\\X$/, '')] : []
          const folders = [...new Set([...named, ...writerFolders(f.text)])].map((path) => ({ path, stops: true }))
          // The installer fix acts only where its documented case holds: the device given the corrupted task.
          const state =
            repair === 'installer-fix'
              ? (s: TrainingState) =>
                  withCorruptSecureBootEncodeTask(s, {
                    identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8200.1.6',
                    kb: 'KB5099001',
                    title: '2026-11 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (KB5099001)',
                    at: '2030-01-02T03:04:05Z',
                  })
              : undefined
          return {
            machine: f.machine,
            text: f.text,
            at: 'C:\\Users\\Public\\Remediate.ps1',
            specs: f.specs,
            folders,
            state,
          }
        },
      }),
    ),
  {
    id: 'media-step',
    builders: ['main/media/work-guard.ts#mediaGuardCommand'],
    fileNames: [],
    runsOn: 'pc',
    viaHost: true,
    note: "The media update's argv steps (robocopy, DISM, expand) with the guard the engine runs before each: one variant per step kind.",
    producers: Object.keys(MEDIA_STEP_SAMPLES).map((k) => `media:${k}`),
    variants: Object.keys(MEDIA_STEP_SAMPLES),
    sample: async (_ctx, kind = 'expand-setup-du') => mediaSample(kind),
  },
  {
    id: 'fleet-configmgr-fix',
    builders: ['main/fleet/fix.ts#configMgrScript'],
    fileNames: ['ConfigMgr-Fix.ps1'],
    runsOn: 'pc',
    sample: async (ctx) => {
      const r = await restoreHealth(ctx)
      const os = r.snapshot.os.status === 'known' ? r.snapshot.os.value : null
      const text = configMgrScript(
        remediationScript(
          [
            {
              build: `${os!.build}.${os!.ubr}`,
              arch: os!.nativeArch!,
              plan: r.plan,
              env: r.env,
              machineName: r.machine,
            },
          ],
          'component-store-corruption',
          causeTestBlock('component-store-corruption', { builds: [] }) ?? [],
        ),
      )
      return {
        machine: r.machine,
        text,
        at: 'C:\\Users\\Public\\ConfigMgr-Fix.ps1',
        specs: r.specs,
        files: { [r.msu]: 'training: the MSU as the Catalog serves it\r\n' },
        folders: r.folders,
        inputs: [r.msu],
      }
    },
  },
  {
    id: 'fix-package',
    builders: ['main/fix-package/fix-script.ts#renderFixScript'],
    fileNames: ['Fix-<host>.ps1'],
    runsOn: 'pc',
    sample: async (ctx) => {
      const p = await packageOf(ctx, 'x64-winre-partition-full')
      const { readFileSync } = await import('node:fs')
      const text = readFileSync(join(p.dir, p.scriptName))
      return {
        machine: p.machine,
        text,
        at: `C:\\Users\\Public\\FixPackage\\${p.scriptName}`,
        specs: p.specs,
        copy: [[p.dir, 'C:\\Users\\Public\\FixPackage']],
        folders: writerFolders(text).map((path) => ({ path, stops: true })),
      }
    },
  },
  {
    id: 'install-kit',
    builders: ['main/kit/install-script.ts#renderInstallScript'],
    fileNames: ['Install-Kit.ps1'],
    runsOn: 'pc',
    sample: async (ctx) => {
      const p = await packageOf(ctx, 'arm64-missing-checkpoint')
      const { readFileSync } = await import('node:fs')
      const text = readFileSync(join(p.dir, 'kit', 'Install-Kit.ps1'))
      return {
        machine: p.machine,
        text,
        at: 'C:\\Users\\Public\\Kit\\Install-Kit.ps1',
        specs: p.specs,
        copy: [[join(p.dir, 'kit'), 'C:\\Users\\Public\\Kit']],
        folders: writerFolders(text).map((path) => ({ path, stops: true })),
      }
    },
  },
  {
    id: 'plan-export',
    builders: ['main/install/script-export.ts#planToPowerShell'],
    fileNames: [],
    runsOn: 'pc',
    note: '`plan --script`.',
    sample: async (ctx) => {
      const machine = 'arm64-missing-checkpoint'
      const p = await packageOf(ctx, machine)
      const { ref } = await snapshotOf(ctx, machine)
      const plan = await ctx.services.install.makePlan({ ref, kbs: [p.kb!], kitDir: join(p.dir, 'kit') })
      const text = powerShellFileText(planToPowerShell(plan))
      return {
        machine,
        text,
        at: 'C:\\Users\\Public\\plan.ps1',
        folders: writerFolders(text).map((path) => ({ path, stops: true })),
      }
    },
  },
  {
    id: 'remote-batch',
    builders: ['main/host/remote-script.ts#batchScript', 'main/host/remote-script.ts#taskRunnerScript'],
    fileNames: [],
    runsOn: 'pc',
    note: 'The remote round trip: a batch of reads and commands; a command run as a SYSTEM task leaves its result in ServicingDesk\\remote.',
    sample: async () => ({
      machine: 'x64-healthy',
      at: 'C:\\Users\\Public\\batch.ps1',
      text: batchScript([
        {
          kind: 'command',
          id: 't1',
          mode: 'task',
          spec: {
            name: 'remote.test',
            file: 'dism.exe',
            args: ['/English', '/Online', '/Get-Packages'],
            timeoutMs: 60_000,
          },
        },
      ]),
      folders: [{ path: `${SD}\\remote`, stops: true }],
    }),
  },
  // PowerShell the app runs through the Host (on this PC, or on a remote PC as SYSTEM) that writes work folders: run here
  // as the script file it decodes to.
  {
    id: 'winre-work-dir',
    builders: [
      'main/machine/winre-commands.ts#createWorkDirCommand',
      'main/machine/winre-commands.ts#previousWorkFolderCommands',
    ],
    fileNames: [],
    runsOn: 'pc',
    viaHost: true,
    sample: async () => hostSample(createWorkDirCommand),
  },
  {
    id: 'winre-diskpart-script',
    builders: ['main/machine/winre-commands.ts#writeDiskpartScriptCommand'],
    fileNames: [],
    runsOn: 'pc',
    viaHost: true,
    sample: async () => hostSample(writeDiskpartScriptCommand(['select disk 0', 'list partition'])),
  },
  {
    id: 'cbs-persist-work',
    builders: [
      'main/machine/cbs-persist.ts#prepareCbsPersistCommand',
      'main/machine/cbs-persist.ts#cleanupCbsPersistCommand',
    ],
    fileNames: [],
    runsOn: 'pc',
    viaHost: true,
    note: 'The cleanup removes the folder only when it is ours and no link is on its path (Remove-SdWorkFolder).',
    sample: async () =>
      hostSample(prepareCbsPersistCommand(`${CBS_PERSIST_WORK_ROOT}\\run1`, ['CbsPersist_20241023193544'])),
  },
  {
    id: 'read-only-probes',
    builders: [
      'main/collector/steps.ts#servicingEventsCommand',
      'main/machine/probes/reboot.ts#rebootSourcesCommand',
      'main/machine/probes/history.ts#updateHistoryCommand',
      'main/machine/probes/boot-chain.ts#bootChainCommand',
      'main/machine/probes/hotfixes.ts#getHotfixCommand',
      'main/machine/probes/storage.ts#storageLayoutCommand',
      'main/machine/probes/packages.ts#windowsPackageCommand',
      'main/machine/probes/services.ts#servicesStateCommand',
      'main/security/package-signature.ts#authenticodeSpec',
      'main/security/data-dir-guard.ts#readAclSpec',
    ],
    fileNames: [],
    runsOn: 'app',
    viaHost: true,
    note: 'Read-only: they print what they read and write no file.',
  },
  {
    id: 'repair-step-scripts',
    builders: ['main/repair/step-kinds.ts#STEP_KINDS'],
    fileNames: [],
    runsOn: 'app',
    viaHost: true,
    note: "The Windows Update services and folder-rename steps: they stop/start services and rename %SystemRoot% folders (Windows' own, not work folders); the repair scripts that carry them are registered (repair-script).",
  },
  {
    id: 'fleet-fan-out',
    builders: ['main/fleet/fix.ts#fanOutScript'],
    fileNames: ['FanOut.ps1'],
    runsOn: 'console',
    note: "Runs on the admin's console: writes only the lines file and the folder the admin names; on each PC it runs Remediate.ps1 and Detect.ps1 (their entries).",
  },
  {
    id: 'remote-session',
    builders: [
      'main/host/transport-powershell.ts#sessionScript',
      'main/host/transport-powershell.ts#invokeBody',
      'main/host/transport-powershell.ts#copyBody',
    ],
    fileNames: [],
    runsOn: 'console',
    note: "The app's own PowerShell that opens the session; what runs on the PC is the batch (remote-batch).",
  },
  {
    id: 'sign-scripts',
    builders: ['main/security/script-signing.ts#signScriptsScript'],
    fileNames: ['Sign-Scripts.ps1'],
    runsOn: 'console',
    note: "Runs on the admin's own Windows PC that holds the code-signing certificate: signs the fix files in its own folder and rewrites intune-remediation.json there; nothing on a managed PC.",
  },
  {
    id: 'authenticode',
    builders: ['main/download/signature.ts#authenticodeScript'],
    fileNames: [],
    runsOn: 'app',
    note: 'Read-only: Get-AuthenticodeSignature of a file the app downloaded.',
  },
  {
    id: 'journal-seal',
    builders: ['main/runner/journal-seal.ts#dpapiScript'],
    fileNames: [],
    runsOn: 'app',
    note: 'Read-only on disk: DPAPI protect/unprotect of a key passed on stdin.',
  },
  {
    id: 'native-arch-probe',
    builders: ['main/machine/probes/os.ts#nativeArchScript'],
    fileNames: [],
    runsOn: 'app',
    note: 'Read-only probe (a registry value).',
  },
]

/** Exports whose name says "script" but build none: decoders, readers, a diskpart script (not PowerShell). */
export const NOT_SCRIPT_BUILDERS: Record<string, string> = {
  'main/host/powershell.ts#decodePowerShellScript': 'decodes an -EncodedCommand argv back into text',
  'main/host/powershell.ts#powershellSpec':
    'the wrapper every Host PowerShell command is made with (each maker is registered)',
  'main/host/transport-powershell.ts#createPowerShellTransport':
    'the transport that runs the registered remote-session scripts',
  'main/fleet/azure/intune-upload.ts#readHealthScript': 'reads a script Intune sends back',
  'main/winre/repair-plan.ts#resizeScript':
    'a diskpart script (not PowerShell); Fix-<host>.ps1 writes it into its checked work folder and hashes it before diskpart reads it',
  'main/training/renderers/winre.ts#renderWriteDiskpartScript': "the training machine's diskpart renderer",
}
