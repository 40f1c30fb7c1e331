/**
 * The attack battery: every script of the registry (script-registry.ts) that runs on a PC, run by real
 * PowerShell on the emulated PC (test/pwsh/harness.ts) against what a standard user of that PC can do beforehand or at
 * the worst moment:
 * - a junction at each folder it makes or writes into (pointing into System32);
 * - each such folder pre-created by a standard user (theirs, before the script ran);
 * - the folder above it one users may write in (an administrator's folder with ProgramData's inherited "Users may
 *   create files and folders");
 * - each input file it hashes (the MSU expand.exe unpacks) swapped by a standard user at each program call;
 * - a bystander case: a junction at every folder of the data folder that any script of the registry works in (each
 *   pointing at a folder of its own), for a script that names no folder too: nothing may be written through any.
 * Each folder attack must be refused before any program runs (a folder whose refusal the script survives — the
 * detection's line file — must stay untouched), nothing may be written through the junction or into the user's folder,
 * and the user's folder stays theirs; every swap must be impossible (the harness refuses a plant the model's ACLs
 * forbid, PlantRefusedError).
 *
 * Cost: one PowerShell run per case (about 10-20 s each on a loaded 2-core machine). `npm test` runs one case per entry,
 * and for an entry with variants (a cause's detection, a media step) one variant, picked by a seed (SD_SEED, default
 * the run's sample seed; printed); SD_FULL=1 runs every case of every variant of every entry. SD_ENTRY=<id>[,<id>…]
 * limits it to those entries (with SD_FULL=1: all their cases); SD_ATTACK=<kind> to one kind of case, SD_VARIANT=<v>[,<v>…] to those variants.
 *
 * Shown red by breaking one guard (commit message): with Test-SdFolderIsOurs's grant check removed, every
 * writable-parent case fails (the repair script expands into an administrator's folder users may fill).
 */
import { updateHistoryCommand } from '../../../main/machine/probes/history.ts'
import { taskCacheIdCommand } from '../../../main/machine/task-cache.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cpSync, existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import {
  startEmulatedPc,
  PlantRefusedError,
  STANDARD_USER,
  type EmulatedPc,
  type StandInCall,
} from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { FULL as TEST_FULL, randomStream, sampleSeed } from '../../sample.ts'
import { SCRIPT_REGISTRY, type RegistryEntry, type ScriptSample } from './script-registry.ts'
import { storageLayoutCommand } from '../../../main/machine/probes/storage.ts'
import { bootChainCommand } from '../../../main/machine/probes/boot-chain.ts'
import { rebootSourcesCommand } from '../../../main/machine/probes/reboot.ts'
import { servicesStateCommand } from '../../../main/machine/probes/services.ts'
import { windowsPackageCommand } from '../../../main/machine/probes/packages.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
// npm run test:full (SD_TEST_FULL=1) runs every case; npm test one per script, drawn by the run's seed (test/sample.ts).
const FULL = process.env.SD_FULL === '1' || TEST_FULL
const SEED = Number(process.env.SD_SEED ?? sampleSeed())
const ONLY = process.env.SD_ENTRY ? process.env.SD_ENTRY.split(',') : null
/** SD_ATTACK=<attack>: only that kind of case (junction, user-folder, writable-parent, swap, bystander), to show one red. */
const ATTACK = process.env.SD_ATTACK ?? null
/** SD_VARIANT=<variant>[,<variant>…]: only those variants of an entry with variants. */
const VARIANTS = process.env.SD_VARIANT ? process.env.SD_VARIANT.split(',') : null
const TARGET = 'C:\\Windows\\System32\\Tasks\\Planted'
const ADMINS = 'S-1-5-32-544'
/** Programs a script may start before its folder checks: read-only (the collector asks whoami whether it is elevated). */
const READ_ONLY_FIRST = new Set(['whoami.exe'])
/**
 * Read-only probes a script may run before its folder checks: the fleet remediation first tests its cause on the device
 * (main/fleet/detect-cause.ts) with the probes' own commands. They read, never write, so an attack need not stop them.
 */
/** The app's own read-only probes (PowerShell that prints what it reads): a remediation tests its cause with them first. */
const READ_ONLY_SPECS = new Set(
  [
    storageLayoutCommand,
    bootChainCommand,
    rebootSourcesCommand,
    servicesStateCommand,
    windowsPackageCommand,
    updateHistoryCommand,
    taskCacheIdCommand,
  ].map((c) => c.name),
)
const READ_ONLY_PROBE = (tool: string, args: readonly string[], spec?: string | null): boolean =>
  READ_ONLY_FIRST.has(tool) ||
  (!!spec && READ_ONLY_SPECS.has(spec)) ||
  (tool === 'dism.exe' &&
    args.some((a) => /^\/(CheckHealth|Get-Packages|Get-PackageInfo|Get-ImageInfo|Get-WimInfo)$/i.test(a)) &&
    !args.some((a) => /^\/(RestoreHealth|ScanHealth|Add-Package|Remove-Package|StartComponentCleanup)/i.test(a))) ||
  (tool === 'reagentc.exe' && args.length === 1 && /^\/info$/i.test(args[0]!))

type Attack = 'junction' | 'user-folder' | 'writable-parent' | 'swap' | 'bystander'
interface Case {
  entry: string
  variant?: string
  attack: Attack
  target: string
  stops: boolean
}

const parentOf = (win: string) => win.replace(/\\[^\\]+$/, '')

/** A folder and every level above it below the data folder (C:\ProgramData\ServicingDesk\a\b: a, then a\b). */
function levels(win: string): string[] {
  const m = /^(C:\\ProgramData\\ServicingDesk)\\(.+)$/i.exec(win)
  if (!m) return [win]
  const parts = m[2]!.split('\\')
  return parts.map((_, i) => `${m[1]}\\${parts.slice(0, i + 1).join('\\')}`)
}

function casesOf(id: string, s: ScriptSample, variant?: string): Case[] {
  const out = new Map<string, Case>()
  const add = (c: Case) => {
    c.variant = variant
    if (!out.has(`${c.attack} ${c.target.toLowerCase()}`)) out.set(`${c.attack} ${c.target.toLowerCase()}`, c)
  }
  for (const f of s.folders) {
    for (const level of levels(f.path)) {
      add({ entry: id, attack: 'junction', target: level, stops: f.stops })
      add({ entry: id, attack: 'user-folder', target: level, stops: f.stops })
      // The base (ProgramData) lets users create folders by Windows' design: a level below it is what must not.
      if (!/^C:\\ProgramData$/i.test(parentOf(level)))
        add({ entry: id, attack: 'writable-parent', target: parentOf(level), stops: f.stops })
    }
  }
  for (const i of s.inputs ?? []) add({ entry: id, attack: 'swap', target: i, stops: true })
  add({ entry: id, attack: 'bystander', target: 'every work folder of the registry', stops: false })
  return [...out.values()]
}

/** The first level below the data folder of every folder any sample works in (the bystander case's junctions). */
const bystanderFolders = new Set<string>([
  'C:\\ProgramData\\ServicingDesk\\work',
  'C:\\ProgramData\\ServicingDesk\\esp-moved',
])

const entries: RegistryEntry[] = SCRIPT_REGISTRY.filter(
  (e) => e.runsOn === 'pc' && e.sample && (!ONLY || ONLY.includes(e.id)),
)
/** The variants of an entry this run builds: every one with SD_FULL=1, else one drawn by the seed. */
function variantsOf(e: RegistryEntry): (string | undefined)[] {
  if (!e.variants?.length) return [undefined]
  if (VARIANTS) return e.variants.filter((v) => VARIANTS.includes(v))
  if (FULL) return e.variants
  const pick = randomStream(`attack battery variant: ${e.id}`, SEED)
  return [e.variants[Math.floor(pick() * e.variants.length)]]
}
const sampleKey = (id: string, variant?: string) => (variant ? `${id}|${variant}` : id)
const samples = new Map<string, ScriptSample>()
const open: EmulatedPc[] = []
const started = Date.now()
let runs = 0

beforeAll(async () => {
  if (!ps) return
  const dir = tempDirSync('sd-battery-')
  const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
  for (const e of entries)
    for (const v of variantsOf(e)) samples.set(sampleKey(e.id, v), await e.sample!({ services, dir }, v))
  for (const sm of samples.values())
    for (const f of sm.folders) {
      const l = levels(f.path)[0]!
      if (/^C:\\ProgramData\\ServicingDesk\\/i.test(l)) bystanderFolders.add(l)
    }
  process.stdout.write(
    `attack battery: seed ${SEED}${FULL ? ', every case (SD_FULL=1)' : ', one case per script (SD_FULL=1 for all)'}\n`,
  )
}, hangMs(600_000))
afterAll(async () => {
  for (const pc of open) await pc.close()
  process.stdout.write(`attack battery: ${runs} PowerShell runs, ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}, hangMs(600_000))

/** The emulated PC of the sample, its files in place, the script written where the person would put it. */
async function pcFor(s: ScriptSample): Promise<{ pc: EmulatedPc; script: string }> {
  const pc = await startEmulatedPc({ machine: s.machine })
  open.push(pc)
  if (s.specs) pc.knowSpecs(s.specs)
  if (s.state) pc.store.save(s.state(pc.state()))
  for (const [win, text] of Object.entries(s.files ?? {})) pc.plantFile(win, text, { owner: ADMINS })
  for (const [local, win] of s.copy ?? []) cpSync(local, pc.localPath(win), { recursive: true })
  const script = pc.localPath(s.at)
  mkdirSync(dirname(script), { recursive: true })
  writeFileSync(script, s.text)
  return { pc, script }
}

const programs = (calls: readonly StandInCall[]) =>
  calls
    .filter((c) => c.kind === 'program' && !READ_ONLY_PROBE(c.tool, c.args, c.spec?.name))
    .map((c) => `${c.tool} ${c.args.join(' ')}`)

async function runCase(c: Case): Promise<void> {
  const s = samples.get(sampleKey(c.entry, c.variant))!
  const { pc, script } = await pcFor(s)
  try {
    if (c.attack === 'bystander') {
      // A junction at every work folder of the registry, each to a folder of its own: none may receive anything.
      const targets = [...bystanderFolders].map((f, i) => {
        const t = `${TARGET}-${i}`
        pc.plantJunction(f, t)
        return t
      })
      const r = await pc.run(script, s.args?.((w) => pc.localPath(w)) ?? [], { timeoutMs: 600_000 })
      runs++
      const why = `${c.entry}${c.variant ? ` (${c.variant})` : ''}: junctions at ${[...bystanderFolders].join(', ')}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(0, 1500)}`
      for (const t of targets) expect(readdirSync(pc.localPath(t)), why).toEqual([])
      return
    }
    if (c.attack === 'swap') {
      const attempts: string[] = []
      const r = await pc.run(script, s.args?.((w) => pc.localPath(w)) ?? [], {
        timeoutMs: 600_000,
        before: (call) => {
          if (call.kind !== 'program') return
          try {
            pc.plantFile(c.target, 'swapped by a standard user\r\n', { asStandardUser: true })
            attempts.push(`swapped before ${call.tool} ${call.args.join(' ')}`)
          } catch (err) {
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
    const why = `${c.entry}${c.variant ? ` (${c.variant})` : ''}: ${c.attack} at ${c.target}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(0, 1500)}`
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

describe.runIf(ps)(
  'the attack battery: every registered script that runs on a PC',
  { timeout: hangMs(3_600_000) },
  () => {
    for (const e of entries) {
      it(`${e.id}: refuses a junction, a standard user's folder and a folder users may write at every folder it touches; no input can be swapped`, async () => {
        for (const v of variantsOf(e)) {
          const s = samples.get(sampleKey(e.id, v))!
          const all = casesOf(e.id, s, v).filter((c) => !ATTACK || c.attack === ATTACK)
          const pick = randomStream(`attack battery: ${e.id}`, SEED)
          const chosen = FULL ? all : [all[Math.floor(pick() * all.length)]!]
          process.stdout.write(
            `attack battery: ${e.id}${v ? ` (${v}, of ${e.variants!.length} variants)` : ''}: ${chosen.map((c) => `${c.attack} ${c.target}`).join('; ')} (of ${all.length})\n`,
          )
          for (const c of chosen) await runCase(c)
        }
      })
    }
  },
)
