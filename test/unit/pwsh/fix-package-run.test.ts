/**
 * Fix packages run by real PowerShell on the emulated PC. Every problem machine's run
 * through its restarts to the proof, and its kills at every step boundary, are in fix-package-sweep-*.test.ts
 * (fix-sweep.ts, which also checks x64-pending-restart's documented exit code at a restart and the continuation
 * after it, on the run it makes anyway); this file checks they hold every machine. Here, on the machine whose package
 * resizes a partition: a swapped package file stops it before anything runs; a planted work folder or junction is
 * refused; a file swapped in the package folder after the check, or in the work folder right before diskpart, is
 * never used.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import type { EmulatedPc, StandInCall } from '../../pwsh/harness.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { buildPackage, pcWithPackage, type BuiltPackage } from './fix-run-helpers.ts'
import { SWEEP_PARTS } from './fix-sweep.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const dir = tempDirSync('sd-fixrun-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const machines = trainingProfiles.map((p) => p.name).filter((n) => n !== 'x64-healthy')
const open: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of open) await pc.close()
})

const built = new Map<string, Promise<BuiltPackage>>()
const packageOf = (m: string) => {
  if (!built.has(m)) built.set(m, buildPackage(services, dir, m))
  return built.get(m)!
}
async function emulated(m: string) {
  const p = await packageOf(m)
  const x = await pcWithPackage(p)
  open.push(x.pc)
  return { p, ...x }
}
/** A program call as a line (what ran, with which argv). */
const line = (c: StandInCall) => `${c.tool} ${c.args.join(' ')}`
const programs = (calls: readonly StandInCall[]) => calls.filter((c) => c.kind === 'program').map(line)
/** The work folder of a package on the PC (its id is in the script). */
const workOf = (script: string) => /^\$Work = '([^']+)'/m.exec(readFileSync(script, 'utf8'))![1]!

describe('the fix package sweep files hold every problem machine', () => {
  it('fix-package-sweep-{1,2,3,4}.test.ts run every problem training machine, each once', () => {
    expect(SWEEP_PARTS.flat().sort()).toEqual([...machines].sort())
  })
})

/** A Fix script run that must stop before anything ran: exit 1, the reason, and no program started at all. */
function expectStoppedBeforeAnything(
  r: { exitCode: number | null; stdout: string; calls: StandInCall[] },
  why: RegExp,
) {
  expect(r.exitCode, r.stdout.slice(-1500)).toBe(1)
  expect(r.stdout).toMatch(why)
  expect(programs(r.calls)).toEqual([])
}

describe.runIf(ps)('a fix package trusts only what it checked, in folders only administrators own', () => {
  const machine = 'x64-winre-partition-full'

  it('a package file swapped after the package was made (hash differs) stops it before anything runs', {
    timeout: hangMs(300_000),
  }, async () => {
    const { pc, pkg, script } = await emulated(machine)
    writeFileSync(join(pkg, 'files', 'resize-recovery.txt'), 'select disk 0\r\nclean\r\n')
    const before = JSON.stringify(pc.state())
    const r = await pc.run(script)
    expectStoppedBeforeAnything(r, /files\\resize-recovery\.txt: SHA-256 is [0-9A-F]{64}, expected/)
    expect(JSON.stringify(pc.state())).toBe(before)
  })

  it('a work folder a standard user made beforehand is refused, and nothing is written into it', {
    timeout: hangMs(300_000),
  }, async () => {
    const { pc, script } = await emulated(machine)
    const work = workOf(script)
    const planted = pc.plantFolder(work)
    const r = await pc.run(script)
    expectStoppedBeforeAnything(r, /The work folder is not safe to use, so nothing runs: .*belongs to S-1-5-21-/)
    expect(existsSync(join(planted, `Fix-${pc.state().os.computerName}.log`))).toBe(false)
  })

  it('a junction where the WinRE work folder goes is refused before anything runs', {
    timeout: hangMs(300_000),
  }, async () => {
    const { pc, script } = await emulated(machine)
    pc.plantJunction('C:\\ProgramData\\ServicingDesk\\winre', 'C:\\Windows\\System32\\Tasks')
    const r = await pc.run(script)
    expectStoppedBeforeAnything(r, /winre is a junction or a link/)
  })

  it("the work folders it made are the administrators' and SYSTEM's only", { timeout: hangMs(300_000) }, async () => {
    const { pc, script } = await emulated(machine)
    const r = await pc.run(script, [], { killBefore: (c) => c.kind === 'program' })
    expect(r.killed).toBe(true)
    for (const f of [workOf(script), 'C:\\ProgramData\\ServicingDesk\\winre']) {
      const acl = pc.acl(f)!
      expect(acl.owner).toBe('S-1-5-32-544')
      expect(acl.protected).toBe(true)
      expect(acl.rules.map((x) => [x.sid, x.rights, x.type]).sort()).toEqual([
        ['S-1-5-18', 'FullControl', 'Allow'],
        ['S-1-5-32-544', 'FullControl', 'Allow'],
      ])
    }
  })

  it('the diskpart script swapped in the package folder after the start check is never used: it is copied and checked where diskpart reads it', {
    timeout: hangMs(300_000),
  }, async () => {
    const { pc, pkg, script } = await emulated(machine)
    const r = await pc.run(script, [], {
      // After the check of every file, before the step that copies the diskpart script: the package may be a USB stick.
      before: (c) => {
        if (c.spec?.name === 'winre.reagentc-disable')
          writeFileSync(join(pkg, 'files', 'resize-recovery.txt'), 'select disk 0\r\nclean\r\n')
      },
    })
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toMatch(/resize-recovery\.txt: SHA-256 is [0-9A-F]{64}, expected [0-9A-F]{64}; nothing more runs/)
    expect(programs(r.calls).some((l) => l.startsWith('diskpart.exe'))).toBe(false)
  })

  it('the diskpart script changed in the work folder right before diskpart runs stops it: checked again right before use', {
    timeout: hangMs(300_000),
  }, async () => {
    const { pc, script } = await emulated(machine)
    const copy = pc.localPath('C:\\ProgramData\\ServicingDesk\\winre\\resize-recovery.txt')
    const r = await pc.run(script, [], {
      // The worst moment: the layout check reads the disk right before diskpart (an administrator's change, or a
      // flaw: a standard user cannot write there, the folder's ACL says so).
      before: (c) => {
        if (c.kind === 'storage' && existsSync(copy)) writeFileSync(copy, 'select disk 0\r\nclean\r\n')
      },
    })
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toMatch(/winre\\resize-recovery\.txt: SHA-256 is [0-9A-F]{64}, expected/)
    expect(programs(r.calls).some((l) => l.startsWith('diskpart.exe'))).toBe(false)
  })
})
