/**
 * The collector's work folder: SYSTEM expands CbsPersist archives into `%ProgramData%\ServicingDesk\collector`
 * and deletes its run folder afterwards, so the folder must be one only administrators and SYSTEM can change. Run
 * by real PowerShell in the emulated Windows (test/pwsh/harness.ts), which models owners, ACLs and junctions: a
 * folder a standard user made beforehand, or a junction in its place, is refused before anything runs; a folder the
 * collector makes gets an Administrators + SYSTEM ACL, so a standard user can no longer plant a junction in it at the
 * worst moment (after the run folder exists, before expand.exe writes into it). Every program by its full path.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulatedPc, PlantRefusedError, STANDARD_USER, type EmulatedPc } from '../../pwsh/harness.ts'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { collectorScript, COLLECTOR_EXIT_FOLDER_REFUSED } from '../../../main/collector/collector-script.ts'
import { COLLECTOR_WORK_ROOT } from '../../../main/collector/steps.ts'
import { readCollectorArchive } from '../../../main/collector/archive.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const MACHINE = 'x64-component-store-corrupt' // has CbsPersist archives: expand.exe runs
const TARGET = 'C:\\Windows\\System32\\Tasks\\Planted' // where a junction would send the collector's writes
const NEWEST_CAB = 'CbsPersist_20241023193544'

describe.skipIf(!ps)("the collector's work folder", { timeout: hangMs(600_000) }, () => {
  let pc: EmulatedPc | null = null
  afterEach(async () => {
    await pc?.close()
    pc = null
  })

  async function collect(p: EmulatedPc, opts: Parameters<EmulatedPc['run']>[2] = {}, zip = join(p.root, 'out.zip')) {
    const script = join(p.root, 'Collect-ServicingFacts.ps1')
    writeFileSync(script, collectorScript({ version: '0.1.0' }))
    return { zip, run: await p.run(script, ['-OutFile', zip], opts) }
  }
  const programs = (r: Awaited<ReturnType<typeof collect>>['run']) =>
    r.calls.filter((c) => c.kind === 'program' && c.tool !== 'whoami.exe')

  it('refuses one a standard user made beforehand, and runs nothing', async () => {
    pc = await startEmulatedPc({ machine: MACHINE })
    // Made when a standard user could (before the app's data folder was locked; the app's is Administrators' only now).
    pc.plantFolder(COLLECTOR_WORK_ROOT)
    const { zip, run } = await collect(pc)
    expect(run.exitCode).toBe(COLLECTOR_EXIT_FOLDER_REFUSED)
    expect(run.stderr).toContain(`belongs to ${STANDARD_USER}`)
    expect(programs(run)).toEqual([])
    expect(existsSync(zip)).toBe(false)
    expect(readdirSync(pc.localPath(COLLECTOR_WORK_ROOT))).toEqual([])
    expect(pc.acl(COLLECTOR_WORK_ROOT)?.owner).toBe(STANDARD_USER)
  })

  it('refuses a junction in its place, and writes nothing where it points', async () => {
    pc = await startEmulatedPc({ machine: MACHINE })
    pc.plantJunction(COLLECTOR_WORK_ROOT, TARGET)
    const { run } = await collect(pc)
    expect(run.exitCode).toBe(COLLECTOR_EXIT_FOLDER_REFUSED)
    expect(run.stderr).toContain('is a junction or a link')
    expect(programs(run)).toEqual([])
    expect(readdirSync(pc.localPath(TARGET))).toEqual([])
  })

  it('refuses when the folder above it (ServicingDesk) belongs to a standard user', async () => {
    pc = await startEmulatedPc({ machine: MACHINE })
    pc.plantFolder('C:\\ProgramData\\ServicingDesk')
    const { run } = await collect(pc)
    expect(run.exitCode).toBe(COLLECTOR_EXIT_FOLDER_REFUSED)
    expect(programs(run)).toEqual([])
  })

  it('refuses a ServicingDesk folder of the administrators that users may write in (grants, not only the owner)', async () => {
    pc = await startEmulatedPc({ machine: MACHINE })
    // As an administrator's folder that inherits ProgramData's ACL is: BUILTIN\Users may create files and folders in it.
    pc.plantFolder('C:\\ProgramData\\ServicingDesk', { owner: 'S-1-5-32-544' })
    expect(pc.standardUserCanCreateIn('C:\\ProgramData\\ServicingDesk')).toBe(true)
    const { run } = await collect(pc)
    expect(run.exitCode).toBe(COLLECTOR_EXIT_FOLDER_REFUSED)
    expect(run.stderr).toContain('lets S-1-5-32-545 write in it')
    expect(programs(run)).toEqual([])
  })

  it('refuses a folder it made when someone put something in it before its ACL was set', async () => {
    pc = await startEmulatedPc({ machine: MACHINE })
    const p = pc
    const { run } = await collect(p, {
      before: (c) => {
        if (c.tool === 'acl-set' && /\\collector$/i.test(c.args[0]!)) p.plantFolder(`${COLLECTOR_WORK_ROOT}\\early`)
      },
    })
    expect(run.exitCode).toBe(COLLECTOR_EXIT_FOLDER_REFUSED)
    expect(run.stderr).toContain('was changed by someone else')
    expect(programs(run)).toEqual([])
  })

  it('makes it for administrators and SYSTEM only, so a junction planted before expand.exe runs is impossible', async () => {
    pc = await startEmulatedPc({ machine: MACHINE })
    const p = pc
    let attempt: unknown = 'not tried'
    // Its -OutFile is data, whatever it holds: quotes, typographic quotes, $(), ;, a backtick.
    const hostile = join(p.root, "it's $(calc) \u2019q\u201C ; x`y")
    mkdirSync(hostile)
    const { zip, run } = await collect(
      p,
      {
        // The worst moment: the run folder exists, its archives are not expanded yet (the step before the CBS logs).
        before: (c) => {
          if (c.spec?.name !== 'bootchain.inspect') return
          const [runFolder] = readdirSync(p.localPath(COLLECTOR_WORK_ROOT))
          try {
            p.plantJunction(`${COLLECTOR_WORK_ROOT}\\${runFolder}\\cabs\\${NEWEST_CAB}`, TARGET, {
              asStandardUser: true,
            })
            attempt = 'planted'
          } catch (err) {
            attempt = err
          }
        },
      },
      join(hostile, "o \u2019x' $(y).zip"),
    )
    expect(attempt).toBeInstanceOf(PlantRefusedError)
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(existsSync(p.localPath(TARGET)) ? readdirSync(p.localPath(TARGET)) : []).toEqual([])
    const acl = p.acl(COLLECTOR_WORK_ROOT)!
    expect(acl).toMatchObject({ owner: 'S-1-5-32-544', protected: true })
    expect(acl.rules.map((r) => [r.sid, r.rights, r.type])).toEqual([
      ['S-1-5-32-544', 'FullControl', 'Allow'],
      ['S-1-5-18', 'FullControl', 'Allow'],
    ])
    expect(p.standardUserCanCreateIn(COLLECTOR_WORK_ROOT)).toBe(false)
    // The archive's log came from the collector's own folder, and the run folder is gone again.
    expect(
      readCollectorArchive(readFileSync(zip)).files.has(`c:\\windows\\logs\\cbs\\${NEWEST_CAB.toLowerCase()}.log`),
    ).toBe(true)
    expect(readdirSync(p.localPath(COLLECTOR_WORK_ROOT)).filter((n) => !n.endsWith('.zip'))).toEqual([])
    for (const c of programs(run)) expect(c.spec, c.tool).not.toBeNull()
    // Its progress counts to the number of its steps and no further (it printed [25/24] at its end).
    const steps = [...run.stdout.matchAll(/^\[(\d+)\/(\d+)\]/gm)].map((m) => [Number(m[1]), Number(m[2])])
    expect(steps.length).toBeGreaterThan(20)
    expect(steps.at(-1)).toEqual([steps[0]![1], steps[0]![1]])
    expect(run.stdout).toContain(`Written: ${zip}`)
  })
})
