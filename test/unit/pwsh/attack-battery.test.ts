/**
 * The attack battery: every script of the registry (script-registry.ts) that runs on a PC, run by real
 * PowerShell on the emulated PC (test/pwsh/harness.ts) against what a standard user of that PC can do beforehand or at
 * the worst moment:
 * - a junction at each folder it makes or writes into (pointing into System32);
 * - each such folder pre-created by a standard user (theirs, before the script ran);
 * - the folder above it one users may write in (an administrator's folder with ProgramData's inherited "Users may
 *   create files and folders");
 * - each input file it hashes (the MSU expand.exe unpacks) swapped by a standard user at each program call.
 * Each folder attack must be refused before any program runs (a folder whose refusal the script survives — the
 * detection's line file — must stay untouched), nothing may be written through the junction or into the user's folder,
 * and the user's folder stays theirs; every swap must be impossible (the harness refuses a plant the model's ACLs
 * forbid, PlantRefusedError).
 *
 * Cost: one PowerShell run per case (about 10-20 s each on a loaded 2-core machine). `npm test` runs one case per entry,
 * picked by a seed (SD_SEED, default 50; printed); SD_FULL=1 runs every case of every entry. SD_ENTRY=<id>[,<id>…] limits it to
 * one entry (with SD_FULL=1: all its cases).
 *
 * Shown red by breaking one guard (commit message): with Test-SdFolderIsOurs's grant check removed, every
 * writable-parent case fails (the repair script expands into an administrator's folder users may fill).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, PlantRefusedError, STANDARD_USER, type EmulatedPc, type StandInCall } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { FULL as TEST_FULL, randomStream, sampleSeed } from '../../sample.ts'
import { SCRIPT_REGISTRY, type RegistryEntry, type ScriptSample } from './script-registry.ts'

const ps = requirePowerShell()
// npm run test:full (SD_TEST_FULL=1) runs every case; npm test one per script, drawn by the run's seed (test/sample.ts).
const FULL = process.env.SD_FULL === '1' || TEST_FULL
const SEED = Number(process.env.SD_SEED ?? sampleSeed())
const ONLY = process.env.SD_ENTRY ? process.env.SD_ENTRY.split(',') : null
const TARGET = 'C:\\Windows\\System32\\Tasks\\Planted'
const ADMINS = 'S-1-5-32-544'
/** Programs a script may start before its folder checks: read-only (the collector asks whoami whether it is elevated). */
const READ_ONLY_FIRST = new Set(['whoami.exe'])
/**
 * Read-only probes a script may run before its folder checks: the fleet remediation first tests its cause on the device
 * (main/fleet/detect-cause.ts) with the probes' own commands. They read, never write, so an attack need not stop them.
 */
const READ_ONLY_PROBE = (tool: string, args: readonly string[]): boolean => READ_ONLY_FIRST.has(tool)
  || (tool === 'dism.exe' && args.some((a) => /^\/(CheckHealth|Get-Packages|Get-PackageInfo|Get-ImageInfo|Get-WimInfo)$/i.test(a)) && !args.some((a) => /^\/(RestoreHealth|ScanHealth|Add-Package|Remove-Package|StartComponentCleanup)/i.test(a)))
  || (tool === 'reagentc.exe' && args.length === 1 && /^\/info$/i.test(args[0]!))

type Attack = 'junction' | 'user-folder' | 'writable-parent' | 'swap'
interface Case { entry: string; attack: Attack; target: string; stops: boolean }

const parentOf = (win: string) => win.replace(/\\[^\\]+$/, '')

/** A folder and every level above it below the data folder (C:\ProgramData\ServicingDesk\a\b: a, then a\b). */
function levels(win: string): string[] {
  const m = /^(C:\\ProgramData\\ServicingDesk)\\(.+)$/i.exec(win)
  if (!m) return [win]
  const parts = m[2]!.split('\\')
  return parts.map((_, i) => `${m[1]}\\${parts.slice(0, i + 1).join('\\')}`)
}

function casesOf(id: string, s: ScriptSample): Case[] {
  const out = new Map<string, Case>()
  const add = (c: Case) => { if (!out.has(`${c.attack} ${c.target.toLowerCase()}`)) out.set(`${c.attack} ${c.target.toLowerCase()}`, c) }
  for (const f of s.folders) {
    for (const level of levels(f.path)) {
      add({ entry: id, attack: 'junction', target: level, stops: f.stops })
      add({ entry: id, attack: 'user-folder', target: level, stops: f.stops })
      // The base (ProgramData) lets users create folders by Windows' design: a level below it is what must not.
      if (!/^C:\\ProgramData$/i.test(parentOf(level))) add({ entry: id, attack: 'writable-parent', target: parentOf(level), stops: f.stops })
    }
  }
  for (const i of s.inputs ?? []) add({ entry: id, attack: 'swap', target: i, stops: true })
  return [...out.values()]
}

const entries: RegistryEntry[] = SCRIPT_REGISTRY.filter((e) => e.runsOn === 'pc' && e.sample && (!ONLY || ONLY.includes(e.id)))
const samples = new Map<string, ScriptSample>()
const open: EmulatedPc[] = []
const started = Date.now()
let runs = 0

beforeAll(async () => {
  if (!ps) return
  const dir = tempDirSync('sd-battery-')
  const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
  for (const e of entries) samples.set(e.id, await e.sample!({ services, dir }))
  process.stdout.write(`attack battery: seed ${SEED}${FULL ? ', every case (SD_FULL=1)' : ', one case per script (SD_FULL=1 for all)'}\n`)
}, 600_000)
afterAll(async () => {
  for (const pc of open) await pc.close()
  process.stdout.write(`attack battery: ${runs} PowerShell runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}, 600_000)

/** The emulated PC of the sample, its files in place, the script written where the person would put it. */
async function pcFor(s: ScriptSample): Promise<{ pc: EmulatedPc; script: string }> {
  const pc = await startEmulatedPc({ machine: s.machine })
  open.push(pc)
  if (s.specs) pc.knowSpecs(s.specs)
  for (const [win, text] of Object.entries(s.files ?? {})) pc.plantFile(win, text, { owner: ADMINS })
  for (const [local, win] of s.copy ?? []) cpSync(local, pc.localPath(win), { recursive: true })
  const script = pc.localPath(s.at)
  mkdirSync(dirname(script), { recursive: true })
  writeFileSync(script, s.text)
  return { pc, script }
}

const programs = (calls: readonly StandInCall[]) => calls.filter((c) => c.kind === 'program' && !READ_ONLY_PROBE(c.tool, c.args)).map((c) => `${c.tool} ${c.args.join(' ')}`)

async function runCase(c: Case): Promise<void> {
  const s = samples.get(c.entry)!
  const { pc, script } = await pcFor(s)
  try {
    if (c.attack === 'swap') {
      const attempts: string[] = []
      const r = await pc.run(script, s.args?.((w) => pc.localPath(w)) ?? [], {
        timeoutMs: 600_000,
        before: (call) => {
          if (call.kind !== 'program') return
          try { pc.plantFile(c.target, 'swapped by a standard user\r\n', { asStandardUser: true }); attempts.push(`swapped before ${call.tool} ${call.args.join(' ')}`) } catch (err) {
            if (!(err instanceof PlantRefusedError)) throw err
            attempts.push('refused')
          }
        },
      })
      runs++
      expect(attempts.length, `${r.stdout.slice(-1500)}\n${r.stderr.slice(0, 1500)}`).toBeGreaterThan(0)
      expect(attempts.filter((a) => a !== 'refused')).toEqual([])
      return
    }
    if (c.attack === 'junction') pc.plantJunction(c.target, TARGET)
    else if (c.attack === 'user-folder') pc.plantFolder(c.target)
    else pc.plantFolder(c.target, { owner: ADMINS })
    if (c.attack === 'writable-parent') expect(pc.standardUserCanCreateIn(c.target)).toBe(true)
    const attacked = c.attack === 'junction' ? TARGET : c.target
    const before = readdirSync(pc.localPath(attacked)).sort()
    const r = await pc.run(script, s.args?.((w) => pc.localPath(w)) ?? [], { timeoutMs: 600_000 })
    runs++
    const why = `${c.entry}: ${c.attack} at ${c.target}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(0, 1500)}`
    if (c.stops) expect(programs(r.calls), why).toEqual([])
    // Nothing written through the junction or into the folder that is not the script's own.
    const after = existsSync(pc.localPath(attacked)) ? readdirSync(pc.localPath(attacked)).sort() : []
    expect(after, why).toEqual(before)
    if (c.attack === 'user-folder') expect(pc.acl(c.target)?.owner, why).toBe(STANDARD_USER)
    if (c.attack === 'writable-parent') expect(pc.standardUserCanCreateIn(c.target), why).toBe(true)
  } finally {
    await pc.close()
    open.splice(open.indexOf(pc), 1)
  }
}

describe.runIf(ps)('the attack battery: every registered script that runs on a PC', { timeout: 3_600_000 }, () => {
  for (const e of entries) {
    it(`${e.id}: refuses a junction, a standard user's folder and a folder users may write at every folder it touches; no input can be swapped`, async () => {
      const s = samples.get(e.id)!
      const all = casesOf(e.id, s)
      expect(all.length, `${e.id} touches no folder and reads no input: register it as runsOn console or app, or give its sample the folders it touches`).toBeGreaterThan(0)
      const pick = randomStream(`attack battery: ${e.id}`, SEED)
      const chosen = FULL ? all : [all[Math.floor(pick() * all.length)]!]
      process.stdout.write(`attack battery: ${e.id}: ${chosen.map((c) => `${c.attack} ${c.target}`).join('; ')} (of ${all.length})\n`)
      for (const c of chosen) await runCase(c)
    })
  }
})
