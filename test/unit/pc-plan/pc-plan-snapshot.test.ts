/**
 * `fix --snapshot F` plans a PC the technician is not sitting at as well as `fix --machine M` plans the PC itself: from
 * each training machine's collector file, the same steps in the same order (WinRE's Safe OS update too, which that
 * PC's fix package carries), and the places its script uses are that PC's Windows paths, never this computer's data
 * folder.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

const dir = tempDirSync('sd-plan-snap-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const shape = (steps: { id: string; kind: string; kb?: string; repairId?: string }[]) =>
  steps.map((s) => `${s.kind}:${s.kb ?? s.repairId ?? s.id}`)

describe('the plan from a snapshot is the plan of the PC it came from', () => {
  for (const p of trainingProfiles) {
    it(`${p.name}: the same steps, in the same order; a snapshot's plan is read-only`, {
      timeout: hangMs(60_000),
    }, async () => {
      const ref = { kind: 'training', name: p.name } as const
      const zip = join(dir, `${p.name}.zip`)
      writeFileSync(zip, await services.collect(ref))
      const { id } = await services.loadSnapshotFile(zip)
      const fromFile = await services.pcPlans.plan({ kind: 'snapshot', id })
      const live = await services.pcPlans.plan(ref)
      expect(shape(fromFile.steps)).toEqual(shape(live.steps))
      expect(fromFile.newest).toEqual(live.newest)
      expect(fromFile.current).toBe(live.current)
      expect(fromFile.readOnly).toBe(true)
      // Only Windows paths, and none of this computer's.
      const text = JSON.stringify(fromFile)
      expect(text).not.toContain(dir)
      expect(text).not.toMatch(/(^|[\s"'(])\/(tmp|work|home|root)\//)
      if (fromFile.steps.some((s) => s.kind !== 'wait'))
        expect(fromFile.notes.join('\n')).toMatch(
          /On that PC this plan is the fix package's script .*: it works in C:\\ProgramData\\ServicingDesk\\fix-package\\<package>/,
        )
      const winre = fromFile.steps.find((s) => s.kind === 'winre')
      if (winre?.title.includes('Safe OS'))
        expect(fromFile.notes.join('\n')).toMatch(
          /adds the Safe OS update to WinRE from C:\\ProgramData\\ServicingDesk\\winre\\KB\d+-(x64|arm64)\.cab\./,
        )
      // One note once.
      expect(new Set(fromFile.notes).size).toBe(fromFile.notes.length)
    })
  }
})

describe('fix --snapshot FILE', () => {
  it('prints the plan (with --json, as JSON), runs nothing, and names no path of this computer', {
    timeout: hangMs(120_000),
  }, () => {
    const home = join(dir, 'cli-home')
    const zip = join(dir, 'cli-arm64.zip')
    const cli = (args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, SERVICING_DESK_HOME: home },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    cli(['scan', '--machine', 'arm64-missing-checkpoint', '--out', zip, '--json'])
    const out = JSON.parse(cli(['fix', '--snapshot', zip, '--yes', '--json'])) as {
      plan: { steps: { id: string }[]; readOnly: boolean; notes: string[] }
    }
    expect(out.plan.readOnly).toBe(true)
    expect(out.plan.steps.map((s) => s.id)).toEqual([
      'install-kb5043080',
      'install-kb5129195',
      'find-kb-26100-9974',
      'winre',
    ])
    expect(JSON.stringify(out)).not.toContain(home)
    expect(JSON.stringify(out)).not.toContain(dir)
    // Nothing ran: the training machine is as it was (its plan has the same three steps still).
    const again = JSON.parse(cli(['fix', '--machine', 'arm64-missing-checkpoint', '--json'])) as {
      plan: { steps: { id: string }[] }
    }
    expect(again.plan.steps.map((s) => s.id)).toEqual([
      'install-kb5043080',
      'install-kb5129195',
      'find-kb-26100-9974',
      'winre',
    ])
  })
})
