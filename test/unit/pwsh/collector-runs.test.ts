/**
 * The collector, run by real PowerShell on every training machine: the script `collector --out` writes,
 * run in the emulated Windows (test/pwsh/harness.ts) with -OutFile and -Line, writes a zip that `scan --snapshot`
 * reads into the same snapshot as the zip of `scan --machine M --out` — every command's output and exit code, every
 * log's bytes, every note, and every fact and finding the app derives from them — and prints one line of at most
 * 2,048 characters that `collector read-line` reads back.
 *
 * The only differences allowed are the run's own: when it was taken, by what and how long each command took, and
 * the emulated PC's root folder where a command line names a path of the PC (the harness maps it to C: as it maps
 * the stand-ins' argv).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulatedPc, type EmulatedPc, type ScriptRun } from '../../pwsh/harness.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { runCliInProcess } from '../cli-in-process.ts'
import { readCollectorArchive, type CollectorArchive } from '../../../main/collector/archive.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { COLLECTOR_LINE_MAX } from '../../../preload/model/collector.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { FULL, sample, sampleNote } from '../../sample.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
/**
 * Every training machine under test:full; under npm test a sample drawn by the seed (test/sample.ts) holding each
 * processor architecture, WinRE on and off, and a machine with and without a failed update in its history.
 */
const MACHINES = sample('collector-runs machines', trainingProfiles, {
  kindsOf: (p) => [
    `arch ${p.os.nativeArch}`,
    `winre ${p.winre.enabled ? 'on' : 'off'}`,
    p.history.some((h) => h.hresult !== 0) ? 'a failed update' : 'no failed update',
  ],
  atLeast: 4,
}).map((p) => p.name)
if (!FULL) console.log(`collector-runs: the collector run on ${MACHINES.join(', ')} (${sampleNote()})`)

interface Outcome {
  machine: string
  pc: EmulatedPc
  run: ScriptRun
  zip: string
  ref: string
}

async function cli(home: string, ...argv: string[]) {
  const before = process.env.SERVICING_DESK_HOME
  process.env.SERVICING_DESK_HOME = home
  try {
    return await runCliInProcess(...argv)
  } finally {
    // Assigning undefined to an environment variable stores the string "undefined": a later test's data would go to
    // ./undefined under the working folder.
    if (before === undefined) delete process.env.SERVICING_DESK_HOME
    else process.env.SERVICING_DESK_HOME = before
  }
}

/** Text with the emulated PC's root named as the PC names it (`<root>/Windows/x` → `C:\\Windows\\x`), as the stand-ins' argv are. */
function pcNamed(text: string, root: string): string {
  return text
    .split(root)
    .map((part, i) => (i === 0 ? part : `C:${part.replace(/^[^\s"]*/, (p) => p.replace(/\//g, '\\'))}`))
    .join('')
}

/** A snapshot with the run's own values set aside (time, author, durations) and the PC's root named C:. */
function comparable(a: CollectorArchive, root: string) {
  const s = a.snapshot
  return {
    ...s,
    takenAt: null,
    takenBy: null,
    collectorVersion: null,
    commands: s.commands.map((c) => ({ ...c, durationMs: 0, commandLine: pcNamed(c.commandLine, root) })),
    files: s.files,
    contents: Object.fromEntries([...a.files].map(([k, v]) => [k, v.toString('base64')])),
  }
}

/** `scan --snapshot FILE --json` without the fields that name the file or when it was taken, the PC's root named C:. */
function scanned(json: string, root: string): unknown {
  return JSON.parse(json, (k, v) =>
    ['takenAt', 'origin', 'durationMs', 'id', 'scannedAt', 'title', 'probeTimings'].includes(k)
      ? undefined
      : typeof v === 'string'
        ? pcNamed(v, root)
        : v,
  )
}

describe.skipIf(!ps)(
  `the collector in real PowerShell, on ${FULL ? 'every training machine' : 'a seeded sample of the training machines'}`,
  { timeout: hangMs(600_000) },
  () => {
    const outcomes = new Map<string, Outcome>()
    let script = ''
    const home = tempDirSync('sd-coll-')

    beforeAll(async () => {
      script = join(home, 'Collect-ServicingFacts.ps1')
      const w = await cli(home, 'collector', '--out', script)
      expect(w.code, w.err).toBe(0)
      // Two machines at a time (2 cores); the scan --out of each in this process, one at a time.
      const queue = [...MACHINES]
      const worker = async () => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          const pc = await startEmulatedPc({ machine: m })
          const zip = join(pc.root, 'collected.zip')
          const run = await pc.run(script, ['-OutFile', zip, '-Line'])
          outcomes.set(m, { machine: m, pc, run, zip, ref: join(pc.root, 'scan-out.zip') })
        }
      }
      await Promise.all([worker(), worker()])
      for (const o of outcomes.values()) {
        const r = await cli(o.pc.dataDir, 'scan', '--machine', o.machine, '--out', o.ref)
        expect(r.code, r.err).toBe(0)
      }
    }, hangMs(600_000))

    afterAll(async () => {
      for (const o of outcomes.values()) await o.pc.close()
    }, hangMs(240_000))

    it.each(MACHINES)('%s: the script ends with exit code 0, starts every program by its full System32 path', (m) => {
      const o = outcomes.get(m)!
      expect(o.run.stderr).toBe('')
      expect(o.run.exitCode).toBe(0)
      const programs = o.run.calls.filter((c) => c.kind === 'program')
      expect(programs.length).toBeGreaterThan(15)
      for (const c of programs) expect(c.spec, `${c.tool} ${c.args.join(' ')}`).not.toBeNull()
    })

    it.each(MACHINES)('%s: its zip holds what scan --out holds, command by command and byte by byte', (m) => {
      const o = outcomes.get(m)!
      const got = readCollectorArchive(readFileSync(o.zip))
      const want = readCollectorArchive(readFileSync(o.ref))
      expect(comparable(got, o.pc.root)).toEqual(comparable(want, o.pc.root))
    })

    it.each(MACHINES)('%s: scan --snapshot reads both zips into the same snapshot', async (m) => {
      const o = outcomes.get(m)!
      const a = await cli(o.pc.dataDir, 'scan', '--snapshot', o.zip, '--json')
      const b = await cli(o.pc.dataDir, 'scan', '--snapshot', o.ref, '--json')
      expect(a.code, a.err).toBe(0)
      expect(scanned(a.out, o.pc.root)).toEqual(scanned(b.out, o.pc.root))
    })

    it.each(MACHINES)(
      '%s: -Line prints one line of at most 2,048 characters that collector read-line reads back',
      async (m) => {
        const o = outcomes.get(m)!
        const lines = o.run.stdout.split(/\r?\n/).filter((l) => l.startsWith('SDC1 '))
        expect(lines).toHaveLength(1)
        expect(lines[0]!.length).toBeLessThanOrEqual(COLLECTOR_LINE_MAX)
        const r = await cli(o.pc.dataDir, 'collector', 'read-line', lines[0]!, '--json')
        expect(r.code, r.err).toBe(0)
        const s = o.pc.state()
        const [read] = JSON.parse(r.out) as {
          host: string
          build: string
          arch: string
          winre: string
          codes: string[]
        }[]
        expect(read).toMatchObject({
          host: s.os.computerName,
          build: `${s.os.currentBuild}.${s.os.ubr}`,
          winre: s.winre.enabled ? 'enabled' : 'disabled',
        })
        // Every failure the update history holds is on the line (unsigned, as the app names codes).
        const failed = [
          ...new Set(
            s.history
              .filter((h) => h.hresult !== 0)
              .map((h) => `0x${(h.hresult >>> 0).toString(16).toUpperCase().padStart(8, '0')}`),
          ),
        ]
        expect(read.codes).toEqual(expect.arrayContaining(failed))
      },
    )
  },
)
