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
import { commandOf, msuPath, msuDir, expandedSource } from '../../../main/repair/step-kinds.ts'
import type { CommandSpec } from '../../../main/host/host.ts'
import type { RepairPlan } from '../../../preload/model/repair.ts'
import type { RepairEnv } from '../../../main/repair/types.ts'
import { buildPackage } from './fix-run-helpers.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { createWorkDirCommand, writeDiskpartScriptCommand } from '../../../main/machine/winre-commands.ts'
import { prepareCbsPersistCommand, CBS_PERSIST_WORK_ROOT } from '../../../main/machine/cbs-persist.ts'

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
  sample?: (ctx: SampleContext) => Promise<ScriptSample>
}

export interface SampleContext { services: Services; dir: string }

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
  if (!m) packages.set(ctx.services, (m = new Map()))
  if (!m.has(machine)) m.set(machine, buildPackage(ctx.services, ctx.dir, machine, '-registry'))
  return m.get(machine)!
}

/** A Host command's PowerShell as a script file on the PC, with the work folders it names. */
function hostSample(spec: CommandSpec): ScriptSample {
  const text = decodePowerShellScript(spec.args)!
  return { machine: 'x64-healthy', text, at: 'C:\\Users\\Public\\host-command.ps1', folders: writerFolders(text).map((path) => ({ path, stops: true })) }
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

const detectFolders = [{ path: COLLECTOR_WORK_ROOT, stops: true }, { path: LINE_FILE.replace(/\\[^\\]+$/, ''), stops: false }]

export const SCRIPT_REGISTRY: RegistryEntry[] = [
  {
    id: 'collector', builders: ['main/collector/collector-script.ts#collectorScript'], fileNames: ['Collect-ServicingFacts.ps1'], runsOn: 'pc',
    sample: async () => ({ machine: 'x64-component-store-corrupt', text: collectorScript({ version: '0.0.0-battery' }), at: 'C:\\Users\\Public\\Collect-ServicingFacts.ps1', folders: [{ path: COLLECTOR_WORK_ROOT, stops: true }] }),
  },
  {
    id: 'fleet-detect', builders: ['main/fleet/fix.ts#detectionScript'], fileNames: ['Detect.ps1', 'ConfigMgr-Collect.ps1'], runsOn: 'pc',
    note: 'ConfigMgr-Collect.ps1 is the same builder without the exit code.',
    sample: async () => ({ machine: 'x64-component-store-corrupt', text: detectionScript('0.0.0-battery', causeTestBlock('component-store-corruption', { builds: [] })), at: 'C:\\Users\\Public\\Detect.ps1', folders: detectFolders }),
  },
  {
    id: 'repair-script', builders: ['main/repair/script.ts#repairScript'], fileNames: [], runsOn: 'pc',
    note: '`repairs --script` and the repair block shown to copy; the restore-health repair is the one that writes work folders (repair-sources) and reads an MSU and a CAB.',
    sample: async (ctx) => {
      const r = await restoreHealth(ctx)
      const s = await ctx.services.repairs.script(r.ref, 'restore-health')
      const text = powerShellFileText(s.content)
      return { machine: r.machine, text, at: `C:\\Users\\Public\\${s.fileName}`, specs: r.specs, files: { [r.msu]: 'training: the MSU as the Catalog serves it\r\n' }, folders: r.folders, inputs: [r.msu] }
    },
  },
  {
    id: 'fleet-remediate', builders: ['main/fleet/fix.ts#remediationScript'], fileNames: ['Remediate.ps1'], runsOn: 'pc',
    sample: async (ctx) => {
      const r = await restoreHealth(ctx)
      const os = r.snapshot.os.status === 'known' ? r.snapshot.os.value : null
      const text = remediationScript([{ build: `${os!.build}.${os!.ubr}`, arch: os!.nativeArch!, plan: r.plan, env: r.env, machineName: r.machine }], 'component-store-corruption', causeTestBlock('component-store-corruption', { builds: [] }) ?? [])
      return { machine: r.machine, text, at: 'C:\\Users\\Public\\Remediate.ps1', specs: r.specs, files: { [r.msu]: 'training: the MSU as the Catalog serves it\r\n' }, folders: r.folders, inputs: [r.msu] }
    },
  },
  {
    id: 'fleet-configmgr-fix', builders: ['main/fleet/fix.ts#configMgrScript'], fileNames: ['ConfigMgr-Fix.ps1'], runsOn: 'pc',
    sample: async (ctx) => {
      const r = await restoreHealth(ctx)
      const os = r.snapshot.os.status === 'known' ? r.snapshot.os.value : null
      const text = configMgrScript(remediationScript([{ build: `${os!.build}.${os!.ubr}`, arch: os!.nativeArch!, plan: r.plan, env: r.env, machineName: r.machine }], 'component-store-corruption', causeTestBlock('component-store-corruption', { builds: [] }) ?? []))
      return { machine: r.machine, text, at: 'C:\\Users\\Public\\ConfigMgr-Fix.ps1', specs: r.specs, files: { [r.msu]: 'training: the MSU as the Catalog serves it\r\n' }, folders: r.folders, inputs: [r.msu] }
    },
  },
  {
    id: 'fix-package', builders: ['main/fix-package/fix-script.ts#renderFixScript'], fileNames: ['Fix-<host>.ps1'], runsOn: 'pc',
    sample: async (ctx) => {
      const p = await packageOf(ctx, 'x64-winre-partition-full')
      const { readFileSync } = await import('node:fs')
      const text = readFileSync(join(p.dir, p.scriptName))
      return { machine: p.machine, text, at: `C:\\Users\\Public\\FixPackage\\${p.scriptName}`, specs: p.specs, copy: [[p.dir, 'C:\\Users\\Public\\FixPackage']], folders: writerFolders(text).map((path) => ({ path, stops: true })) }
    },
  },
  {
    id: 'install-kit', builders: ['main/kit/install-script.ts#renderInstallScript'], fileNames: ['Install-Kit.ps1'], runsOn: 'pc',
    sample: async (ctx) => {
      const p = await packageOf(ctx, 'arm64-missing-checkpoint')
      const { readFileSync } = await import('node:fs')
      const text = readFileSync(join(p.dir, 'kit', 'Install-Kit.ps1'))
      return { machine: p.machine, text, at: 'C:\\Users\\Public\\Kit\\Install-Kit.ps1', specs: p.specs, copy: [[join(p.dir, 'kit'), 'C:\\Users\\Public\\Kit']], folders: writerFolders(text).map((path) => ({ path, stops: true })) }
    },
  },
  {
    id: 'plan-export', builders: ['main/install/script-export.ts#planToPowerShell'], fileNames: [], runsOn: 'pc',
    note: '`plan --script`.',
    sample: async (ctx) => {
      const machine = 'arm64-missing-checkpoint'
      const p = await packageOf(ctx, machine)
      const { ref } = await snapshotOf(ctx, machine)
      const plan = await ctx.services.install.makePlan({ ref, kbs: [p.kb!], kitDir: join(p.dir, 'kit') })
      const text = powerShellFileText(planToPowerShell(plan))
      return { machine, text, at: 'C:\\Users\\Public\\plan.ps1', folders: writerFolders(text).map((path) => ({ path, stops: true })) }
    },
  },
  {
    id: 'remote-batch', builders: ['main/host/remote-script.ts#batchScript', 'main/host/remote-script.ts#taskRunnerScript'], fileNames: [], runsOn: 'pc',
    note: 'The remote round trip: a batch of reads and commands; a command run as a SYSTEM task leaves its result in ServicingDesk\\remote.',
    sample: async () => ({
      machine: 'x64-healthy', at: 'C:\\Users\\Public\\batch.ps1',
      text: batchScript([{ kind: 'command', id: 't1', mode: 'task', spec: { name: 'remote.test', file: 'dism.exe', args: ['/English', '/Online', '/Get-Packages'], timeoutMs: 60_000 } }]),
      folders: [{ path: `${SD}\\remote`, stops: true }],
    }),
  },
  // PowerShell the app runs through the Host (on this PC, or on a remote PC as SYSTEM) that writes work folders: run here
  // as the script file it decodes to.
  {
    id: 'winre-work-dir', builders: ['main/machine/winre-commands.ts#createWorkDirCommand', 'main/machine/winre-commands.ts#previousWorkFolderCommands'], fileNames: [], runsOn: 'pc', viaHost: true,
    sample: async () => hostSample(createWorkDirCommand),
  },
  {
    id: 'winre-diskpart-script', builders: ['main/machine/winre-commands.ts#writeDiskpartScriptCommand'], fileNames: [], runsOn: 'pc', viaHost: true,
    sample: async () => hostSample(writeDiskpartScriptCommand(['select disk 0', 'list partition'])),
  },
  {
    id: 'cbs-persist-work', builders: ['main/machine/cbs-persist.ts#prepareCbsPersistCommand', 'main/machine/cbs-persist.ts#cleanupCbsPersistCommand'], fileNames: [], runsOn: 'pc', viaHost: true,
    note: 'The cleanup removes the folder only when it is ours and no link is on its path (Remove-SdWorkFolder).',
    sample: async () => hostSample(prepareCbsPersistCommand(`${CBS_PERSIST_WORK_ROOT}\\run1`, ['CbsPersist_20241023193544'])),
  },
  { id: 'read-only-probes', builders: ['main/collector/steps.ts#servicingEventsCommand', 'main/machine/probes/reboot.ts#rebootSourcesCommand', 'main/machine/probes/history.ts#updateHistoryCommand', 'main/machine/probes/boot-chain.ts#bootChainCommand', 'main/machine/probes/hotfixes.ts#getHotfixCommand', 'main/machine/probes/storage.ts#storageLayoutCommand', 'main/machine/probes/packages.ts#windowsPackageCommand', 'main/machine/probes/services.ts#servicesStateCommand', 'main/security/package-signature.ts#authenticodeSpec', 'main/security/data-dir-guard.ts#readAclSpec'], fileNames: [], runsOn: 'app', viaHost: true, note: 'Read-only: they print what they read and write no file.' },
  { id: 'repair-step-scripts', builders: ['main/repair/step-kinds.ts#STEP_KINDS'], fileNames: [], runsOn: 'app', viaHost: true, note: 'The Windows Update services and folder-rename steps: they stop/start services and rename %SystemRoot% folders (Windows\' own, not work folders); the repair scripts that carry them are registered (repair-script).' },
  { id: 'fleet-fan-out', builders: ['main/fleet/fix.ts#fanOutScript'], fileNames: ['FanOut.ps1'], runsOn: 'console', note: 'Runs on the admin\'s console: writes only the lines file and the folder the admin names; on each PC it runs Remediate.ps1 and Detect.ps1 (their entries).' },
  { id: 'remote-session', builders: ['main/host/transport-powershell.ts#sessionScript', 'main/host/transport-powershell.ts#invokeBody', 'main/host/transport-powershell.ts#copyBody'], fileNames: [], runsOn: 'console', note: 'The app\'s own PowerShell that opens the session; what runs on the PC is the batch (remote-batch).' },
  { id: 'authenticode', builders: ['main/download/signature.ts#authenticodeScript'], fileNames: [], runsOn: 'app', note: 'Read-only: Get-AuthenticodeSignature of a file the app downloaded.' },
  { id: 'journal-seal', builders: ['main/runner/journal-seal.ts#dpapiScript'], fileNames: [], runsOn: 'app', note: 'Read-only on disk: DPAPI protect/unprotect of a key passed on stdin.' },
  { id: 'native-arch-probe', builders: ['main/machine/probes/os.ts#nativeArchScript'], fileNames: [], runsOn: 'app', note: 'Read-only probe (a registry value).' },
]

/** Exports whose name says "script" but build none: decoders, readers, a diskpart script (not PowerShell). */
export const NOT_SCRIPT_BUILDERS: Record<string, string> = {
  'main/host/powershell.ts#decodePowerShellScript': 'decodes an -EncodedCommand argv back into text',
  'main/host/powershell.ts#powershellSpec': 'the wrapper every Host PowerShell command is made with (each maker is registered)',
  'main/host/transport-powershell.ts#createPowerShellTransport': 'the transport that runs the registered remote-session scripts',
  'main/fleet/azure/intune-upload.ts#readHealthScript': 'reads a script Intune sends back',
  'main/winre/repair-plan.ts#resizeScript': 'a diskpart script (not PowerShell); Fix-<host>.ps1 writes it into its checked work folder and hashes it before diskpart reads it',
  'main/training/renderers/winre.ts#renderWriteDiskpartScript': 'the training machine\'s diskpart renderer',
}
