/**
 * Every PowerShell script the app writes, generated the way the app generates it, for the 5.1 check: the collector,
 * each problem training machine's fix package (Fix-<host>.ps1, its kit's Install-Kit.ps1 and collector, as written
 * to disk), every `plan --script` export (online and offline image), every repair script a snapshot's PC is given to
 * run (and the PowerShell its steps carry), the remote round trips' scripts (batch, SYSTEM task, session wrapper),
 * the scripts the app itself runs through powershell.exe, and the command lines shown to copy (checked for the
 * programs they start; they run in Command Prompt as often as in PowerShell), and the fleet's fix files of every
 * group of a training fleet (Detect, Remediate, the ConfigMgr fix and collect scripts, FanOut).
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { collectorScript } from '../../../main/collector/collector-script.ts'
import { planToPowerShell } from '../../../main/install/script-export.ts'
import { signScriptsScript } from '../../../main/security/script-signing.ts'
import { mediaGuardCommand } from '../../../main/media/work-guard.ts'
import { powerShellFileText } from '../../../main/host/powershell-text.ts'
import { decodePowerShellScript, powershellSpec } from '../../../main/host/powershell.ts'
import { batchScript, taskRunnerScript, type RemoteItem } from '../../../main/host/remote-script.ts'
import { copyBody, invokeBody, sessionScript } from '../../../main/host/transport-powershell.ts'
import { SYSTEM_TOOLS } from '../../../main/host/system-tools.ts'
import type { CommandSpec } from '../../../main/host/host.ts'
import { commandOf, commandLineOf } from '../../../main/repair/step-kinds.ts'
import { authenticodeScript } from '../../../main/download/signature.ts'
import { authenticodeSpec } from '../../../main/security/package-signature.ts'
import { dpapiScript } from '../../../main/runner/journal-seal.ts'
import { readAclSpec, fixCommandLines } from '../../../main/security/data-dir-guard.ts'
import { prepareCbsPersistCommand, cleanupCbsPersistCommand } from '../../../main/machine/cbs-persist.ts'
import type { ScriptToCheck } from '../../pwsh/ps51-check.ts'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { NO_PROBLEM, NOT_REPORTED } from '../../../main/fleet/cause.ts'
import { collectedProfiles, fleetWithServices } from '../fleet/fleet-helpers.ts'
import { startLocalCatalog } from '../../../main/catalog/local-catalog/server.ts'

/** A spec's PowerShell, when it runs PowerShell (-EncodedCommand or -Command), else null. */
export function scriptOfSpec(spec: Pick<CommandSpec, 'file' | 'args'>): string | null {
  if (spec.file.toLowerCase() !== 'powershell.exe') return null
  const decoded = decodePowerShellScript(spec.args)
  if (decoded !== null) return decoded
  const i = spec.args.findIndex((a) => a.toLowerCase() === '-command')
  return i >= 0 && i + 1 < spec.args.length ? spec.args.slice(i + 1).join(' ') : null
}

function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? join(prefix, name) : name
    if (statSync(join(dir, rel)).isDirectory()) out.push(...filesUnder(dir, rel))
    else out.push(rel)
  }
  return out
}

export interface GeneratedScripts {
  scripts: ScriptToCheck[]
  /** Command lines shown to copy (a Copy button): the programs they start are checked. */
  commandLines: { name: string; text: string }[]
  /** The fix packages written, per machine (for the tests that run them). */
  packages: { machine: string; dir: string; scriptName: string; kb: string | null }[]
}

/** Every script, generated in `dir` (a temp folder of the caller's). */
export async function everyGeneratedScript(dir: string): Promise<GeneratedScripts> {
  const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
  const scripts: ScriptToCheck[] = []
  const commandLines: { name: string; text: string }[] = []
  const packages: GeneratedScripts['packages'] = []
  const addSpec = (name: string, spec: Pick<CommandSpec, 'file' | 'args'>) => {
    const s = scriptOfSpec(spec)
    if (s !== null) scripts.push({ name, text: s, file: false })
  }

  scripts.push({
    name: 'Collect-ServicingFacts.ps1',
    text: Buffer.from(collectorScript({ version: '0.0.0-test' }), 'utf8'),
    file: true,
  })

  for (const profile of trainingProfiles) {
    const machine = profile.name
    const zipFile = join(dir, `${machine}-before.zip`)
    writeFileSync(zipFile, await services.collect({ kind: 'training', name: machine }))
    const { id } = await services.loadSnapshotFile(zipFile)
    const ref = { kind: 'snapshot', id } as const

    // Repair scripts (shown to copy, saved with `repairs --script`) and the PowerShell their steps carry.
    const offers = await services.repairs.offers(ref)
    for (const o of offers.offers) {
      const s = await services.repairs.script(ref, o.repairId)
      scripts.push({
        name: `${s.fileName} (${machine})`,
        text: Buffer.from(powerShellFileText(s.content), 'utf8'),
        file: true,
      })
      const { plan, env } = await services.repairs.planForPc(ref, o.repairId)
      for (const step of plan.steps) {
        const spec = commandOf(step, env)
        if (spec) addSpec(`${machine} ${o.repairId} step ${step.id}`, spec)
        commandLines.push({ name: `${machine} ${o.repairId} step ${step.id}`, text: commandLineOf(step, env) })
      }
      for (const m of plan.manual)
        for (const [k, c] of m.commands.entries())
          commandLines.push({ name: `${machine} ${o.repairId} by hand: ${m.title} #${k + 1}`, text: c })
    }

    if (machine === 'x64-healthy') continue
    const out = join(dir, `${machine}-pkg`)
    const r = await services.fixPackages.build(ref, { outDir: out })
    packages.push({ machine, dir: out, scriptName: r.scriptName, kb: r.kb })
    for (const rel of filesUnder(out).filter((f) => f.toLowerCase().endsWith('.ps1'))) {
      scripts.push({ name: `${rel} (${machine} fix package)`, text: readFileSync(join(out, rel)), file: true })
    }
    // `plan --script`: the update the package retries, from its kit, online.
    if (r.kb) {
      const plan = await services.install.makePlan({
        ref,
        kbs: [r.kb],
        method: 'sequence',
        scope: { kind: 'online' },
        kitDir: join(out, 'kit'),
        kitDigest: null,
      })
      scripts.push({
        name: `plan --script ${r.kb} (${machine})`,
        text: Buffer.from(powerShellFileText(planToPowerShell(plan)), 'utf8'),
        file: true,
      })
      for (const s of plan.steps)
        if (s.command) commandLines.push({ name: `${machine} install step ${s.id}`, text: s.command.commandLine })
    }
  }

  // The remote round trips: a batch with every item kind and every program of the table, direct and as a SYSTEM task.
  const items: RemoteItem[] = [
    { kind: 'preflight', id: 'p1' },
    { kind: 'read', id: 'r1', path: 'C:\\Windows\\Logs\\CBS\\CBS.log' },
    { kind: 'list', id: 'l1', path: 'C:\\Windows\\Logs\\CBS' },
    { kind: 'exists', id: 'e1', path: 'C:\\ProgramData\\ServicingDesk' },
    { kind: 'hash', id: 'h1', path: 'C:\\ProgramData\\ServicingDesk\\x.msu' },
    ...Object.keys(SYSTEM_TOOLS).flatMap((file, i): RemoteItem[] => [
      {
        kind: 'command',
        id: `d${i}`,
        mode: 'direct',
        spec: { name: 'remote.test', file, args: ['/?'], timeoutMs: 60_000 },
      },
      {
        kind: 'command',
        id: `t${i}`,
        mode: 'task',
        spec: { name: 'remote.test', file, args: ['/?'], timeoutMs: 60_000 },
      },
    ]),
  ]
  const batch = batchScript(items)
  scripts.push({ name: 'remote batch script', text: batch, file: false })
  scripts.push({
    name: 'remote SYSTEM task runner',
    text: taskRunnerScript('t1', {
      name: 'remote.test',
      file: 'dism.exe',
      args: ['/Online', '/Get-Packages'],
      timeoutMs: 60_000,
    }),
    file: false,
  })
  for (const scheme of ['auto', 'http', 'https'] as const) {
    scripts.push({
      name: `remote session (${scheme})`,
      text: sessionScript('PC-1', scheme, invokeBody(batch)),
      file: false,
    })
  }
  scripts.push({
    name: 'remote session, prompted credential',
    text: sessionScript('PC-1', 'auto', invokeBody(batch), 'prompt'),
    file: false,
  })
  scripts.push({
    name: 'remote copy',
    text: sessionScript('PC-1', 'auto', copyBody('C:\\kit\\a.msu', 'C:\\ProgramData\\ServicingDesk\\a.msu')),
    file: false,
  })

  // What the app runs itself through powershell.exe.
  scripts.push({
    name: 'Authenticode check (download)',
    text: authenticodeScript('C:\\ProgramData\\ServicingDesk\\a.msu'),
    file: false,
  })
  addSpec('Authenticode check (install)', authenticodeSpec('C:\\ProgramData\\ServicingDesk\\a.msu'))
  for (const op of ['Protect', 'Unprotect'] as const)
    scripts.push({ name: `journal seal key (${op})`, text: dpapiScript(op), file: false })
  addSpec('data folder ACL read', readAclSpec('C:\\ProgramData\\ServicingDesk'))
  addSpec(
    'CBS persist prepare',
    prepareCbsPersistCommand('C:\\ProgramData\\ServicingDesk\\cbs', ['CbsPersist_20260101']),
  )
  addSpec('CBS persist cleanup', cleanupCbsPersistCommand('C:\\ProgramData\\ServicingDesk\\cbs'))
  addSpec('prelude', powershellSpec('x.y', 'Write-Output 1', 1000))
  for (const [k, c] of fixCommandLines('C:\\ProgramData\\ServicingDesk').entries())
    commandLines.push({ name: `data folder fix #${k + 1}`, text: c })

  // The fleet's fix files (main/fleet/fix.ts) for every group of a training fleet: Intune pair, ConfigMgr, fan-out.
  await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
  // The checkpoint's remediation with its package looked up in the local Catalog (its download and hash checks in it).
  const catalog = await startLocalCatalog()
  const { fleet } = await fleetWithServices(undefined, { catalogUrl: catalog.baseUrl })
  try {
    await fleet.importPath(join(dir, 'fleet'))
    for (const g of await fleet.store.groups()) {
      if (g.cause === NO_PROBLEM || g.cause === NOT_REPORTED) continue
      const out = join(dir, 'fleet-fix', g.cause)
      const r = await fleet.buildFix(g.cause, out, { record: false })
      for (const f of r.files.filter((x) => x.endsWith('.ps1')))
        scripts.push({ name: `${f} (fleet fix for ${g.cause})`, text: readFileSync(join(out, f)), file: true })
    }
  } finally {
    await fleet.close()
    await catalog.close()
  }
  // The signing script written beside the fix files when a code-signing certificate is configured.
  scripts.push({
    name: 'Sign-Scripts.ps1 (fleet fix, signing configured)',
    text: Buffer.from(
      signScriptsScript(
        '0123456789ABCDEF0123456789ABCDEF01234567',
        ['Detect.ps1', 'Remediate.ps1'],
        'intune-remediation.json',
      ),
      'utf8',
    ),
    file: true,
  })
  // The media update's guard before each kind of step (the PowerShell the engine runs through the Host).
  const mediaWork = 'C:\\ProgramData\\ServicingDesk\\work\\media-check-1'
  const pkg = { kb: 'KB5102558', arch: 'x64' as const, role: 'setup-du' as const }
  const mediaFiles = new Map([
    ['KB5102558-x64', { ...pkg, fileName: 'windows11.0-kb5102558-x64.cab', sha256: 'a'.repeat(64), sizeBytes: 1 }],
  ])
  for (const step of [
    { kind: 'copy-to-work' as const },
    { kind: 'mount' as const, image: 'install' as const, index: 1 },
    { kind: 'expand-setup-du' as const, package: pkg },
    { kind: 'write-back' as const },
  ]) {
    scripts.push({
      name: `media guard (${step.kind})`,
      text: decodePowerShellScript(
        mediaGuardCommand(step, { work: mediaWork, media: `${mediaWork}\\media` }, mediaFiles).args,
      )!,
      file: false,
    })
  }

  return { scripts, commandLines, packages }
}
