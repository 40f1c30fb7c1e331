/**
 * The fleet's fix files run in real PowerShell on emulated devices: for every group of the training
 * fleet that has a remediation, one emulated device of that cause (a harness PC of its profile, named as the fleet
 * names it) runs
 * - the Intune pair: Detect (exit 1, its output the collector line, ≤ 2,048 characters), Remediate (no restart call;
 *   a restart it needs is said and left pending), the restart the admin schedules, Detect again;
 * - the ConfigMgr Run Scripts fix (output ≤ 4,000 characters, no restart call), then the collect script;
 * - the fan-out: Invoke-Command over several names with a throttle, one device reachable, the others not (hostile
 *   names among them stay data), lines and collected files brought back.
 * Each re-report is imported into a fleet store of its own, which then shows the device fixed with the time of the
 * evidence — where the evidence can show it. One emulated PC per cause, its model reset between the three forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeTrainingFleet } from '../../../main/fleet/training/write-fleet.ts'
import { graphRunStates, type FleetDevice } from '../../../main/fleet/training/fleet-generator.ts'
import { commandOf } from '../../../main/repair/step-kinds.ts'
import type { CommandSpec } from '../../../main/host/host.ts'
import { COLLECTOR_LINE_MAX } from '../../../preload/model/collector.ts'
import { CONFIGMGR_OUTPUT_MAX, DEVICE_SIDE_REPAIRS } from '../../../main/fleet/fix.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, type EmulatedPc, type ScriptRun, type StandInCall } from '../../pwsh/harness.ts'
import { collectedProfiles, fleetWithServices } from '../fleet/fleet-helpers.ts'
import { tempDir } from '../temp-dirs.ts'
import { sampleIndexes, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
type Fx = Awaited<ReturnType<typeof fleetWithServices>>
/** One fleet store per way of pushing the fix: each gets its own re-report. */
const stores: Record<'intune' | 'configmgr' | 'fanout', Fx | null> = { intune: null, configmgr: null, fanout: null }
const pcs: EmulatedPc[] = []
let truth: FleetDevice[] = []
let dir = ''
const fixDirs = new Map<string, string>()
const started = Date.now()

/** The causes of the training fleet that get a Remediate.ps1 (their repair runs on the PC itself). */
const CAUSES = [
  'esp-full',
  'wu-components',
  'pending-restart',
  'lcu-uninstall-blocked',
  'secure-boot-2023-missing',
  'component-store-corruption',
  'winre-disabled',
  'winre-partition-too-small',
] as const
/*
 * Every group the devices can test on themselves now has a remediation: the missing checkpoint's (its package fetched on
 * the device from the Catalog) runs in fleet-checkpoint-run.test.ts, with the local Catalog the fix is built from.
 */
/**
 * Each cause's run is a minute or more of PowerShell on 2 cores: `npm test` runs a seeded sample of them (one cause with
 * a remediation: each seed draws its own), `npm run test:full` every one (test/sample.ts).
 */
const RUN_CAUSES = sampleIndexes('fleet-fix-run: remediated causes', CAUSES, { atLeast: 1 }).map((i) => CAUSES[i]!)
console.log(
  `fleet-fix-run: ${RUN_CAUSES.length} of ${CAUSES.length} causes (${RUN_CAUSES.join(', ')}), ${sampleNote()}`,
)
/** Causes whose repair waits for a restart: the script says so and leaves it to the device management tool. */
const NEEDS_RESTART = new Set(['pending-restart', 'lcu-uninstall-blocked', 'secure-boot-2023-missing'])
/** Where the single-PC repair itself cannot run from a script alone: it needs the update's file as its source. */
const NEEDS_SOURCE = new Set(['component-store-corruption'])
/**
 * Where the device's own evidence cannot show the fix until the failed update is tried again: the reset leaves the
 * update history's 0x80092003 the newest word on it (the single-PC app verifies the reset from its journal, which a
 * fleet device does not send). The store keeps such a device failing: nothing after the fix shows the cause gone.
 */
const PROVEN_BY_RETRY = new Set(['wu-components'])
/** Names no PowerShell may read as code: quotes, a backtick, a subexpression, a statement separator, a newline in the list. */
const HOSTILE = [
  "PC-9'; New-Item -ItemType File -Path pwned-1 #",
  'PC-8"$(New-Item -ItemType File -Path pwned-2)"',
  'PC-7`$(New-Item pwned-3)',
  'PC-6;New-Item pwned-4',
  '$(New-Item -ItemType File -Path pwned-5)',
]

beforeAll(async () => {
  if (!ps) return
  dir = await tempDir('sd-fleetrun-')
  truth = (
    await writeTrainingFleet(join(dir, 'fleet'), await collectedProfiles(), { devices: 22, seed: 3, snapshots: true })
  ).devices
  for (const k of Object.keys(stores) as (keyof typeof stores)[]) {
    const fx = await fleetWithServices()
    await fx.fleet.importPath(join(dir, 'fleet'))
    for (const cause of CAUSES) {
      const out = join(dir, `fix-${k}`, cause)
      await fx.fleet.buildFix(cause, out)
      if (k === 'intune') fixDirs.set(cause, out)
    }
    stores[k] = fx
  }
}, hangMs(300_000))
afterAll(async () => {
  for (const pc of pcs) await pc.close()
  for (const fx of Object.values(stores)) await fx?.fleet.close()
  process.stdout.write(`fleet fix runs: ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}, hangMs(600_000))

const programs = (calls: readonly StandInCall[]) =>
  calls
    .filter((c) => c.kind === 'program')
    .map((c) => `${c.spec?.name ?? 'not modelled'}: ${c.tool} ${c.args.join(' ')}`)
/** No restart of the PC inside a script Intune or ConfigMgr runs. */
function expectNoRestart(r: ScriptRun) {
  for (const c of r.calls) {
    expect(c.tool).not.toBe('shutdown.exe')
    expect(c.spec?.name ?? '').not.toMatch(/restart/)
  }
  expect(r.stdout).not.toMatch(/Restart-Computer/)
}
const lineOf = (r: ScriptRun) => r.stdout.split(/\r?\n/).filter((l) => l.startsWith('SDC1 host='))

describe.runIf(ps)('the fleet fix files on emulated devices', { timeout: hangMs(600_000) }, () => {
  it.each(RUN_CAUSES)(
    '%s: the Intune pair, the ConfigMgr script and the fan-out run on the device; the re-report shows what its evidence proves',
    async (cause) => {
      const dev = truth.find((t) => t.cause === cause && t.reportedAt)!
      const out = fixDirs.get(cause)!
      expect(existsSync(join(out, 'Remediate.ps1'))).toBe(true)
      const pc = await startEmulatedPc({ machine: dev.profile })
      pcs.push(pc)
      // The device as the fleet names it; the model of its profile otherwise.
      const initial = pc.state()
      const fresh = { ...initial, os: { ...initial.os, computerName: dev.name } }
      pc.store.save(structuredClone(fresh))
      const intune = stores.intune!
      const { id } = await intune.services.loadSnapshotFile(join(dir, 'fleet', 'snapshots', `${dev.name}.zip`))
      const repair = (await intune.fleet.store.groups()).find((g) => g.cause === cause)!.repair!
      // A repair decided on the device alone (enabling WinRE) has no single-PC plan: its programs are the app's constant specs.
      if (!DEVICE_SIDE_REPAIRS.has(repair)) {
        const { plan, env } = await intune.services.repairs.planForPc({ kind: 'snapshot', id }, repair)
        pc.knowSpecs(plan.steps.map((s) => commandOf(s, env)).filter((s): s is CommandSpec => s !== null))
      }
      const work = pc.localPath('C:\\Windows\\Temp\\fleetfix')
      cpSync(out, work, { recursive: true })
      // Back to the device before any fix: its model and what the scripts wrote (the registry value a remediation records).
      const before = pc.checkpoint()
      const reset = () => pc.restore(before)
      const afterRestart = async () => {
        if (NEEDS_RESTART.has(cause)) await pc.restart({ runOnce: false })
      }

      // ---- Intune Remediations: detection, remediation, detection again ----
      const d1 = await pc.run(join(work, 'Detect.ps1'))
      expect(d1.exitCode, d1.stderr.slice(0, 800)).toBe(1)
      const [pre] = lineOf(d1)
      expect(pre).toMatch(new RegExp(`^SDC1 host=${dev.name} `))
      expect(d1.stdout.trim()).toBe(pre)
      expect(pre!.length).toBeLessThanOrEqual(COLLECTOR_LINE_MAX)
      const rem = await pc.run(join(work, 'Remediate.ps1'))
      expectNoRestart(rem)
      expect(pc.state().restarts).toBe(fresh.restarts)
      if (NEEDS_SOURCE.has(cause)) {
        // The fleet remediation cannot carry the update the repair restores from: it stops and says where to put it.
        expect(rem.exitCode).toBe(1)
        expect(rem.stderr).toMatch(/This repair needs KB\d+ for x64/)
      } else {
        expect(rem.exitCode, `${rem.stdout.slice(-800)}\n${rem.stderr.slice(0, 800)}`).toBe(0)
        expect(programs(rem.calls).filter((l) => l.startsWith('not modelled'))).toEqual([])
      }
      if (NEEDS_RESTART.has(cause))
        expect(rem.stdout).toMatch(
          /A restart is needed to finish: schedule it with your device management tool \(this script never restarts the PC\)\./,
        )
      await afterRestart()
      const d2 = await pc.run(join(work, 'Detect.ps1'))
      // Clean after the fix (Intune counts the device fixed), where the fix could run; the cause still found where not.
      expect(d2.exitCode, d2.stderr.slice(0, 800)).toBe(NEEDS_SOURCE.has(cause) ? 1 : 0)
      const [post] = lineOf(d2)
      expect(post!.length).toBeLessThanOrEqual(COLLECTOR_LINE_MAX)
      // The re-report as Intune keeps it (deviceRunStates with pre- and post-remediation output), then the collected
      // file the detection left on the device (the line names it), which shows what the line cannot.
      const rs = JSON.parse(graphRunStates([{ ...dev, line: pre!, reportedAt: lineTime(post!) }], 'fleet-fix-run')) as {
        value: Record<string, unknown>[]
      }
      rs.value[0]!.postRemediationDetectionScriptOutput = post
      rs.value[0]!.remediationState = 'success'
      const reports = join(dir, 'reports', cause)
      mkdirSync(join(reports, 'intune-files'), { recursive: true })
      writeFileSync(join(reports, 'intune-runstates.json'), JSON.stringify(rs))
      await intune.fleet.importPath(join(reports, 'intune-runstates.json'))
      cpSync(localOfLine(pc, post!), join(reports, 'intune-files', `${dev.name}.zip`))
      await intune.fleet.importPath(join(reports, 'intune-files'))
      await expectProof(intune, cause, dev.name, lineTime(post!))

      // ---- ConfigMgr Run Scripts: the fix, then the collect script ----
      reset()
      const cm = await pc.run(join(work, 'ConfigMgr-Fix.ps1'))
      expectNoRestart(cm)
      expect(pc.state().restarts).toBe(fresh.restarts)
      // Its own exit code (not DISM's 3010), and the outcome in the output it keeps, a failure's message included.
      expect(cm.exitCode, cm.stderr.slice(0, 800)).toBe(NEEDS_SOURCE.has(cause) ? 1 : 0)
      expect(cm.stdout.replace(/\r?\n$/, '').length).toBeLessThanOrEqual(CONFIGMGR_OUTPUT_MAX)
      expect(cm.stdout).toMatch(NEEDS_SOURCE.has(cause) ? /Failed: This repair needs KB\d+/ : /All steps ran\./)
      await afterRestart()
      const col = await pc.run(join(work, 'ConfigMgr-Collect.ps1'))
      expect(col.exitCode).toBe(0)
      const [cmLine] = lineOf(col)
      mkdirSync(join(reports, 'configmgr-files'), { recursive: true })
      writeFileSync(join(reports, 'configmgr-lines.txt'), `${cmLine}\r\n`)
      await stores.configmgr!.fleet.importPath(join(reports, 'configmgr-lines.txt'))
      cpSync(localOfLine(pc, cmLine!), join(reports, 'configmgr-files', `${dev.name}.zip`))
      await stores.configmgr!.fleet.importPath(join(reports, 'configmgr-files'))
      await expectProof(stores.configmgr!, cause, dev.name, lineTime(cmLine!))

      // ---- PowerShell fan-out: several names, a throttle, one reachable; the rest reported as not reached ----
      reset()
      const list = pc.localPath('C:\\Windows\\Temp\\fleetfix\\fan-out-computers.txt')
      // A newline inside a name makes two lines of the list: two names, each of them data.
      const text = `${[dev.name, 'PC-OFFLINE-1', ...HOSTILE, 'PC-5\n$(New-Item -ItemType File -Path pwned-6)'].join('\r\n')}\r\n`
      writeFileSync(list, text)
      const names = text
        .split(/\r?\n/)
        .map((n) => n.trim())
        .filter(Boolean)
      const linesFile = pc.localPath('C:\\Windows\\Temp\\fleetfix\\lines.txt')
      const files = pc.localPath('C:\\Windows\\Temp\\fleetfix\\collected')
      const fan = await pc.run(
        join(work, 'FanOut.ps1'),
        [
          '-ComputerList',
          list,
          '-ThrottleLimit',
          '3',
          '-OutFile',
          linesFile,
          '-FileFolder',
          files,
          '-ResultFile',
          pc.localPath('C:\\Windows\\Temp\\fleetfix\\results.csv'),
        ],
        {
          env: { SDH_REACHABLE: JSON.stringify([dev.name]) },
        },
      )
      // Exit 2: some computers were not reached (1 would be a remediation that failed).
      expect(fan.exitCode, fan.stderr.slice(0, 1500)).toBe(NEEDS_SOURCE.has(cause) ? 1 : 2)
      expectNoRestart(fan)
      // Both Invoke-Command calls got every name as it was written, and the throttle; the copy-back, the names that reported.
      const remote = fan.calls.filter((c) => c.kind === 'remote')
      expect(remote.map((c) => c.args)).toEqual([
        [...names, '-ThrottleLimit 3'],
        [...names, '-ThrottleLimit 3'],
        [dev.name, '-ThrottleLimit 3'],
      ])
      // Per device: the remediation's result and its own exit code.
      const results = readFileSync(pc.localPath('C:\\Windows\\Temp\\fleetfix\\results.csv'), 'utf8')
      expect(results).toContain(
        `"${dev.name}","${NEEDS_SOURCE.has(cause) ? 'failed' : 'fixed'}","${NEEDS_SOURCE.has(cause) ? 1 : 0}"`,
      )
      expect(results).toContain('"PC-OFFLINE-1","not reached",""')
      // Each name not reached is named as WinRM names it, and as one that sent no line; the device that was is not.
      const said = fan.stderr + fan.stdout
      for (const n of names.slice(1)) {
        expect(said).toContain(`[${n}] Connecting to remote server ${n} failed`)
        expect(said).toContain(`No line from: ${n} (not reached`)
      }
      expect(said).not.toContain(`No line from: ${dev.name}`)
      expect(fan.stdout).toMatch(
        new RegExp(
          `1 of ${names.length} computers reported; .*; 1 collected files in .*; ${names.length - 1} did not report`,
        ),
      )
      // Nothing a hostile name says was done, anywhere on the PC.
      expect(findFiles(pc.root, /^pwned/)).toEqual([])
      const fanLines = readFileSync(linesFile, 'utf8').split(/\r?\n/).filter(Boolean)
      expect(fanLines).toHaveLength(1)
      // After the name its session reached (the import files the line there, whatever its host= says).
      expect(fanLines[0]).toMatch(new RegExp(`^computer=${dev.name} SDC1 host=${dev.name} `))
      expect(readdirSync(files)).toEqual([`${dev.name}.zip`])
      if (NEEDS_RESTART.has(cause)) {
        // The fan-out's own pass left the restart pending; after the admin's restart the next pass reports it.
        await pc.restart({ runOnce: false })
        const again = await pc.run(
          join(work, 'FanOut.ps1'),
          [
            '-ComputerList',
            list,
            '-ThrottleLimit',
            '3',
            '-OutFile',
            linesFile,
            '-FileFolder',
            files,
            '-ResultFile',
            pc.localPath('C:\\Windows\\Temp\\fleetfix\\results.csv'),
          ],
          { env: { SDH_REACHABLE: JSON.stringify([dev.name]) } },
        )
        expect(again.exitCode).toBe(2)
        // The cause is gone after the restart: the second pass does not run the fix again.
        expect(readFileSync(pc.localPath('C:\\Windows\\Temp\\fleetfix\\results.csv'), 'utf8')).toContain(
          `"${dev.name}","not needed","0"`,
        )
      }
      await stores.fanout!.fleet.importPath(linesFile)
      await stores.fanout!.fleet.importPath(files)
      await expectProof(stores.fanout!, cause, dev.name, lineTime(readFileSync(linesFile, 'utf8').trim()))
    },
  )
})

/** The device is fixed at the time of the evidence after the fix (or, where the repair could not run, still failing). */
async function expectProof(fx: Fx, cause: string, name: string, at: string): Promise<void> {
  const d = (await fx.fleet.store.device(name))!
  const g = (await fx.fleet.store.groups()).find((x) => x.cause === cause)!
  if (NEEDS_SOURCE.has(cause) || PROVEN_BY_RETRY.has(cause)) {
    expect({ cause: d.cause, state: d.state, fixedAt: d.fixedAt }).toEqual({ cause, state: 'failing', fixedAt: null })
    expect(g.fixed).toBe(0)
    return
  }
  // The cause is proven gone at the time of the report after the fix; the device is fixed only with no other problem
  // left (else it is still failing with what is left, and the group counts it cleared, not fixed).
  expect(d.causes.find((c) => c.cause === cause)).toMatchObject({
    state: d.state === 'fixed' ? 'fixed' : 'cleared',
    fixedAt: at,
  })
  expect(g.fixed + g.cleared).toBe(1)
  if (d.state === 'fixed') expect({ cause: d.cause, fixedAt: d.fixedAt }).toEqual({ cause, fixedAt: at })
  else
    expect({
      state: d.state,
      left: d.causes.filter((c) => c.cause !== cause && c.state === 'failing').length > 0,
    }).toEqual({ state: 'failing', left: true })
}

function lineTime(line: string): string {
  return /taken=(\S+)/.exec(line)![1]!
}

/** The collected file a line names, on the emulated PC (the detection ran with the PC's ProgramData). */
function localOfLine(pc: EmulatedPc, line: string): string {
  const f = / file=(.+)$/.exec(line.trim())![1]!
  return /^[A-Za-z]:\\/.test(f) ? pc.localPath(f) : f
}

function findFiles(root: string, name: RegExp): string[] {
  const out: string[] = []
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.name === '.sdh') continue
    const p = join(root, e.name)
    if (e.isDirectory() && !e.isSymbolicLink()) out.push(...findFiles(p, name))
    else if (name.test(e.name)) out.push(p)
  }
  return out
}
