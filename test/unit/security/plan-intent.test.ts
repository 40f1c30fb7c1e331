/**
 * Two attacks, end to end: plans and journals are data, never commands.
 *
 * Each hostile plan or journal is tried through the CLI and through the install / WinRE service with a Host
 * that REALLY executes any program it is handed other than the builder's (a this-PC host on Linux would): the
 * other program would write a marker file, and the marker must be absent. Nothing on the training machine
 * changes and no journal is created. Every table states how many hostile cases it ran.
 * The CLI is the CLI's own program (main/cli/run-cli.ts: commander, the command, its error → exit code) run in
 * this process with SERVICING_DESK_HOME set to a temp dir (test/unit/cli-child.ts), for every case; the cases marked `real` are also run
 * as a spawned `node main/cli/bin.ts`, so the separate process (its start, its exit code, its stderr) is proven too.
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { createInstallService } from '../../../main/install/install-service.ts'
import { createWinreService } from '../../../main/winre/winre-service.ts'
import { installFromRun, winreFromRun } from '../../../main/runner/journal-views.ts'
import { planDigest } from '../../../main/install/plan-digest.ts'
import type { CommandSpec, Host } from '../../../main/host/host.ts'
import type { Plan } from '../../../preload/model/plan.ts'
import type { MachineRef } from '../../../preload/model/common.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { runCliInProcess as cliInProcess } from '../cli-child.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

/** A journal file as JSON, open to the edits the tampering cases make (foreign fields and values are the point). */
interface JournalJson {
  [field: string]: unknown
  plan: { id: string; notes: string[]; steps: Record<string, unknown>[] }
  planDigest: string
}

const MACHINE = 'arm64-missing-checkpoint'
const ref = { kind: 'training', name: MACHINE } as const
const KB = 'KB5086672'

/** The CLI as a separate process: `node main/cli/bin.ts …`, stdin closed (no terminal). */
function cli(home: string, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: home }
  delete env.SERVICING_DESK_TEST_KILL_AT
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, input: '', timeout: hangMs(120_000) })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Both ways for the cases marked `real`, in this process for the others: every result must hold the assertions. */
async function cliBoth(home: string, args: string[], real: boolean) {
  const results: Array<{ code: number | null; stdout: string; stderr: string }> = [await cliInProcess(home, args)]
  if (real) results.push(cli(home, args))
  return results
}

/** Node code that writes the marker: "the other program ran". */
function markerArgs(marker: string): string[] {
  return ['-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`]
}

/** A Host that really runs any program other than the training machine's commands, and records every spec. */
function executingHost(inner: Host, log: CommandSpec[]): Host {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'run') {
        return async (spec: CommandSpec, opts?: unknown) => {
          log.push(spec)
          if (
            !['dism.exe', 'shutdown.exe', 'reg.exe', 'reagentc.exe', 'diskpart.exe', 'powershell.exe'].includes(
              spec.file,
            )
          ) {
            const r = spawnSync(spec.file, spec.args, { encoding: 'utf8' })
            return {
              name: spec.name,
              exitCode: r.status ?? 1,
              stdout: r.stdout ?? '',
              stderr: r.stderr ?? '',
              ok: r.status === 0,
              timedOut: false,
              cancelled: false,
              truncated: false,
              durationMs: 1,
              commandLine: spec.file,
            }
          }
          return (target.run as (s: CommandSpec, o?: unknown) => Promise<unknown>)(spec, opts)
        }
      }
      const v = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}

function setup() {
  const dir = tempDirSync('sd-sec-intent-')
  const services = createServices({ dataDir: dir })
  const log: CommandSpec[] = []
  const install = createInstallService({
    dataDir: dir,
    platform: 'linux',
    hostFor: (r) => executingHost(services.hostFor(r), log),
    scan: services.scan,
  })
  const machine = () => JSON.stringify(services.trainingStore.load(MACHINE))
  const marker = join(dir, 'other-program-ran')
  return { dir, services, install, log, machine, marker }
}

const clone = <T>(x: T): T => structuredClone(x)
type Hostile = { name: string; make: (p: Plan, marker: string) => unknown; refusal: RegExp; real?: true }
const addIndex = (p: Plan) => p.steps.findIndex((s) => s.kind === 'add-package')

/** The hostile plans: every one names something other than what the builder derives from its intent. */
const HOSTILE: Hostile[] = [
  {
    name: 'add step runs another program (line shown unchanged)',
    real: true,
    refusal: /not what Servicing Desk builds/,
    make: (p, m) => {
      const x = clone(p)
      const s = x.steps[addIndex(x)]
      s.command = { ...s.command, file: process.execPath, args: markerArgs(m) }
      return x
    },
  },
  {
    name: 'add step with an extra DISM argument',
    refusal: /not what Servicing Desk builds/,
    make: (p) => {
      const x = clone(p)
      const s = x.steps[addIndex(x)]
      s.command = { ...s.command, args: [...s.command.args, '/Image:C:\\elsewhere'] }
      return x
    },
  },
  {
    name: 'add step renamed to another command',
    refusal: /not what Servicing Desk builds/,
    make: (p) => {
      const x = clone(p)
      x.steps[addIndex(x)].command.name = 'install.restart'
      return x
    },
  },
  {
    name: 'restart step runs cmd.exe',
    refusal: /not what Servicing Desk builds/,
    make: (p, m) => {
      const x = clone(p)
      const s = x.steps.find((st) => st.kind === 'restart') ?? x.steps[addIndex(x)]
      s.command = { ...s.command, file: process.execPath, args: markerArgs(m) }
      return x
    },
  },
  {
    name: 'failure exit code listed as success',
    refusal: /exit codes/,
    make: (p) => {
      const x = clone(p)
      x.steps[addIndex(x)].successExitCodes = [0, 3010, 2148469026]
      return x
    },
  },
  {
    name: 'kbs: [] on the add step',
    refusal: /says it installs \[\]/,
    make: (p) => {
      const x = clone(p)
      x.steps[addIndex(x)].kbs = []
      return x
    },
  },
  {
    name: 'packages: [] on the add step',
    refusal: /names none/,
    make: (p) => {
      const x = clone(p)
      const s = x.steps[addIndex(x)]
      s.packages = []
      return x
    },
  },
  {
    name: 'a package the plan does not list',
    refusal: /does not list/,
    make: (p) => {
      const x = clone(p)
      x.steps[addIndex(x)].packages = ['evil.msu']
      return x
    },
  },
  {
    name: 'a step field the format does not have',
    refusal: /not a valid plan|Unrecognized key/,
    make: (p, m) => {
      const x = clone(p) as unknown as { steps: Record<string, unknown>[] }
      x.steps[0].run = [process.execPath, ...markerArgs(m)]
      return x
    },
  },
  {
    name: 'a plan field the format does not have',
    real: true,
    refusal: /not a valid plan|Unrecognized key/,
    make: (p, m) => ({ ...clone(p), commands: [[process.execPath, ...markerArgs(m)]] }),
  },
  {
    name: 'a wusa step (not built for plans)',
    refusal: /wusa step/,
    make: (p) => {
      const x = clone(p)
      x.steps[addIndex(x)].kind = 'wusa'
      return x
    },
  },
  {
    name: 'a resume entry that registers another program',
    refusal: /resume/,
    make: (p, m) => {
      const x = clone(p)
      x.steps.unshift({
        ...clone(x.steps[0]),
        id: 's0-schedule-resume',
        kind: 'schedule-resume',
        packages: [],
        kbs: [],
        dependsOn: [],
        successExitCodes: [0],
        restartExitCodes: [],
        command: {
          name: 'install.schedule-resume',
          file: 'reg.exe',
          args: [
            'add',
            'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce',
            '/v',
            'ServicingDesk',
            '/t',
            'REG_SZ',
            '/d',
            `${process.execPath} ${markerArgs(m).join(' ')}`,
            '/f',
          ],
          timeoutMs: 60000,
          commandLine: 'reg.exe add …',
        },
      })
      return x
    },
  },
  {
    name: 'a mount step in a plan for this PC',
    refusal: /only a plan for a WIM file/,
    make: (p) => {
      const x = clone(p)
      x.steps.unshift({
        ...clone(x.steps[0]),
        id: 's0-mount',
        kind: 'mount-image',
        packages: [],
        kbs: [],
        dependsOn: [],
        successExitCodes: [0],
        restartExitCodes: [],
        command: {
          name: 'install.dism-mount-image',
          file: 'dism.exe',
          args: ['/English', '/Mount-Image', '/ImageFile:C:\\x.wim', '/Index:1', '/MountDir:C:\\'],
          timeoutMs: 3600000,
          commandLine: 'dism.exe …',
        },
      })
      return x
    },
  },
  {
    name: 'a format 1 plan (commands as data)',
    real: true,
    refusal: /earlier version of Servicing Desk \(format 1\) and is not supported|not a valid plan/,
    make: (p, m) => {
      const x = clone(p) as unknown as Record<string, unknown> & { steps: Record<string, unknown>[] }
      x.schemaVersion = 1
      for (const s of x.steps) {
        delete s.packages
        s.command = { ...(s.command as object), file: process.execPath, args: markerArgs(m) }
      }
      return x
    },
  },
]

describe("a plan file whose steps name anything but the builder's commands (attack 1)", () => {
  it(`CLI install --plan FILE --yes: every hostile plan (${HOSTILE.length}) is refused with a clear message; nothing runs, nothing changes`, {
    timeout: hangMs(600_000),
  }, async () => {
    let ran = 0
    let real = 0
    for (const h of HOSTILE) {
      const { dir, services, machine, marker } = setup()
      const plan = await services.install.makePlan({ ref, kbs: [KB] })
      expect(plan.refused, h.name).toBeNull()
      const file = join(dir, 'hostile-plan.json')
      writeFileSync(file, JSON.stringify(h.make(plan, marker)))
      const before = machine()
      for (const r of await cliBoth(dir, ['install', '--plan', file, '--yes'], h.real === true)) {
        expect(r.code, `${h.name}: ${r.stderr}`).not.toBe(0)
        expect(r.stderr, h.name).toMatch(h.refusal)
        expect(existsSync(marker), h.name).toBe(false)
        expect(machine(), h.name).toBe(before)
        expect(existsSync(join(dir, 'journals')) ? readdirSync(join(dir, 'journals')) : [], h.name).toEqual([])
      }
      ran++
      if (h.real) real++
    }
    expect(ran).toBe(14)
    expect(real).toBe(3)
  })

  it(`install service with a Host that runs anything: every hostile plan (${HOSTILE.length}) is refused before a command runs; the marker is never written`, {
    timeout: hangMs(300_000),
  }, async () => {
    let ran = 0
    for (const h of HOSTILE) {
      const { services, install, log, machine, marker } = setup()
      const plan = await services.install.makePlan({ ref, kbs: [KB] })
      const before = machine()
      await expect(install.install(h.make(plan, marker) as Plan, {}), h.name).rejects.toMatchObject({
        code: 'refused',
      })
      expect(log, h.name).toEqual([])
      expect(existsSync(marker), h.name).toBe(false)
      expect(machine(), h.name).toBe(before)
      expect(install.journals.all(), h.name).toEqual([])
      ran++
    }
    expect(ran).toBe(14)
  })

  it("the same service runs the builder's plan: only dism.exe and shutdown.exe, with the argv the builder derives", async () => {
    const { services, install, log } = setup()
    const plan = await services.install.makePlan({ ref, kbs: [KB] })
    const j = await install.install(plan, {})
    expect(j.status).toBe('completed')
    const files = [...new Set(log.map((s) => s.file))].filter((f) => f === 'dism.exe' || f === 'shutdown.exe')
    expect(files).toContain('dism.exe')
    const add = plan.steps.filter((s) => s.kind === 'add-package')
    for (const s of add) expect(log.some((l) => JSON.stringify(l.args) === JSON.stringify(s.command.args))).toBe(true)
  })
})

describe('every package is hashed, whatever the plan says (attack 1, kbs: [])', () => {
  it('a package whose bytes changed after planning: the step fails ERROR_CRC, nothing installed, not verified (2 cases: sequence, folder)', async () => {
    let ran = 0
    for (const method of ['sequence', 'folder'] as const) {
      const { services, install, machine } = setup()
      const plan = await services.install.makePlan({ ref, kbs: [KB], method })
      // The first package the plan installs (the checkpoint when there is one): so nothing at all may be installed.
      const first = plan.packages[0]
      writeFileSync(first.path, Buffer.concat([readFileSync(first.path), Buffer.from('x')]))
      const before = machine()
      const j = await install.install(plan, {})
      expect(j.status, method).toBe('failed')
      const failed = Object.values(j.results).find((r) => r.kind === 'failed')
      expect(failed && failed.kind === 'failed' && failed.code, method).toBe('0x80070017')
      expect(j.verification, method).toBeNull()
      expect(JSON.parse(machine()).os.ubr, method).toBe(JSON.parse(before).os.ubr)
      ran++
    }
    expect(ran).toBe(2)
  })

  it('folder method: a package planted beside the target (DISM would install it) is refused before DISM runs', async () => {
    const { services, install, log } = setup()
    const plan = await services.install.makePlan({ ref, kbs: [KB], method: 'folder' })
    const target = plan.packages[plan.packages.length - 1]
    writeFileSync(join(target.path, '..', 'windows11.0-kb5099999-arm64.msu'), 'planted')
    const j = await install.install(plan, {})
    expect(j.status).toBe('failed')
    const failed = Object.values(j.results).find((r) => r.kind === 'failed')
    expect(failed?.kind === 'failed' && failed.message).toMatch(
      /also holds windows11\.0-kb5099999-arm64\.msu, which DISM would install without a verified hash/,
    )
    expect(log.filter((s) => s.file === 'dism.exe' && s.args.includes('/Add-Package'))).toEqual([])
  })
})

describe('journals belong to their plan and are never run unseen (attack 2)', () => {
  async function planted() {
    const s = setup()
    const plan = await s.services.install.makePlan({ ref, kbs: [KB] })
    const journal = s.services.install.journals.create(plan)
    return { ...s, plan, journal, file: s.services.install.journals.file(plan.id) }
  }

  it('a planted unfinished journal: install --kb without --yes and no terminal is refused; with a terminal it shows the plan and asks, and "n" runs nothing', {
    timeout: hangMs(600_000),
  }, async () => {
    const { dir, plan, machine } = await planted()
    const before = machine()
    const r = cli(dir, ['install', '--kb', KB, '--machine', MACHINE])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/No terminal to confirm on/)
    expect(machine()).toBe(before)
    // A real terminal (script(1) gives the CLI a pty): the plan is shown, the question asked, "n" declines.
    const env: NodeJS.ProcessEnv = { ...process.env, SERVICING_DESK_HOME: dir }
    const t = spawnSync(
      'script',
      [
        '-qec',
        `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} install --kb ${KB} --machine ${MACHINE}`,
        '/dev/null',
      ],
      { encoding: 'utf8', env, input: 'n\n', timeout: hangMs(120_000) },
    )
    const out = `${t.stdout}${t.stderr}`
    expect(out).toContain(`Resume this unfinished installation (plan ${plan.id})?`)
    expect(out).toContain(plan.steps[0].command.commandLine.slice(0, 40))
    expect(out).toMatch(/Not resumed: you declined\. Nothing ran\./)
    expect(machine()).toBe(before)
    expect(JSON.parse(readFileSync(join(dir, 'journals', `${plan.id}.json`), 'utf8')).entries).toEqual([])
  })

  it('hostile journals (4): an edited plan, a foreign command with a recomputed digest, format 1, a plan of another id — each reported in one sentence and never run', {
    timeout: hangMs(300_000),
  }, async () => {
    const cases: {
      name: string
      edit: (j: JournalJson, marker: string) => void
      says: RegExp
      real?: true
    }[] = [
      {
        name: 'plan edited after the journal was made',
        says: /holds a plan that is not the one it was made for/,
        edit: (j) => {
          j.plan.notes.push('edited')
        },
      },
      {
        name: 'foreign command, digest recomputed',
        real: true,
        says: /holds a plan Servicing Desk did not build/,
        edit: (j, m) => {
          const s = j.plan.steps.find((x) => x.kind === 'add-package')!
          s.command = { ...(s.command as object), file: process.execPath, args: markerArgs(m) }
          j.planDigest = planDigest(j.plan)
        },
      },
      {
        name: 'format 1 journal (the old install format, which stored commands)',
        says: /earlier version of Servicing Desk \(format 1\) and is not supported, so nothing in it runs/,
        edit: (j) => {
          const old = { ...installFromRun(j as never), schemaVersion: 1 }
          for (const k of Object.keys(j)) delete j[k]
          Object.assign(j, old)
        },
      },
      {
        name: 'a journal whose plan has another id',
        says: /names another plan/,
        edit: (j) => {
          j.plan.id = `${j.plan.id}x`
          j.planDigest = planDigest(j.plan)
        },
      },
    ]
    let ran = 0
    let real = 0
    for (const c of cases) {
      const { dir, file, machine, marker } = await planted()
      const j = JSON.parse(readFileSync(file, 'utf8'))
      c.edit(j, marker)
      writeFileSync(file, JSON.stringify(j))
      const before = machine()
      for (const r of await cliBoth(dir, ['install', '--kb', KB, '--machine', MACHINE, '--yes'], c.real === true)) {
        expect(r.code, c.name).not.toBe(0)
        expect(r.stderr, c.name).toMatch(c.says)
        expect(r.stderr, c.name).toMatch(/nothing new is installed until it is looked at/)
        expect(existsSync(marker), c.name).toBe(false)
        expect(machine(), c.name).toBe(before)
      }
      ran++
      if (c.real) real++
    }
    expect(ran).toBe(4)
    expect(real).toBe(1)
  })

  it("a swapped plan: a journal planted under the confirmed plan's id records another plan → refused, nothing runs", {
    timeout: hangMs(600_000),
  }, async () => {
    const { dir, services, machine } = setup()
    const confirmed = await services.install.makePlan({ ref, kbs: [KB], method: 'folder' })
    const other = await services.install.makePlan({ ref, kbs: [KB], method: 'sequence' })
    // The attacker's journal: a valid builder plan, its own correct digest, but the confirmed plan's id.
    const swapped = { ...other, id: confirmed.id }
    services.install.journals.create(swapped)
    const planFile = join(dir, 'confirmed.json')
    writeFileSync(planFile, JSON.stringify(confirmed))
    const before = machine()
    const r = await cliInProcess(dir, ['install', '--plan', planFile, '--yes'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`The journal of plan ${confirmed.id}`)
    expect(r.stderr).toMatch(/records a different plan than the one confirmed \(its digest differs\), so nothing runs/)
    expect(machine()).toBe(before)
  })

  it('plan ids are unguessable: 128 random bits in every id (20 plans, all distinct, all valid ids)', {
    timeout: hangMs(600_000),
  }, async () => {
    const { services } = setup()
    const ids = new Set<string>()
    for (let i = 0; i < 20; i++) ids.add((await services.install.makePlan({ ref, kbs: [KB] })).id)
    expect(ids.size).toBe(20)
    for (const id of ids) expect(id).toMatch(/^\d{8}T\d{6}-[A-Za-z0-9_-]{22}-[A-Za-z0-9_-]+$/)
  })
})

describe('WinRE run journals are data too (attack 2, WinRE)', () => {
  const wref: MachineRef = { kind: 'training', name: 'arm64-winre-disabled' }
  function winreSetup() {
    const s = setup()
    const winre = createWinreService({
      dataDir: s.dir,
      hostFor: (r) => executingHost(s.services.hostFor(r), s.log),
      scan: s.services.scan,
    })
    const wmachine = () => JSON.stringify(s.services.trainingStore.load('arm64-winre-disabled'))
    return { ...s, winre, wmachine }
  }

  it('hostile run journals (4): foreign program, an op that does not match its command, an extra field, format 1 — refused by CLI and service; the marker is never written', {
    timeout: hangMs(300_000),
  }, async () => {
    const cases: {
      name: string
      edit: (j: JournalJson, marker: string) => void
      says: RegExp
      real?: true
    }[] = [
      // The journal is in the one format (preload/model/run-journal.ts): the repair it runs is its `plan`.
      {
        name: 'a step runs another program',
        real: true,
        says: /did not build/,
        edit: (j, m) => {
          const s = j.plan.steps[0]
          s.command = { ...(s.command as object), file: process.execPath, args: markerArgs(m) }
          j.planDigest = planDigest(j.plan)
        },
      },
      {
        name: 'op swapped to diskpart (command kept)',
        says: /did not build/,
        edit: (j) => {
          j.plan.steps[0].op = 'diskpart'
          j.planDigest = planDigest(j.plan)
        },
      },
      {
        name: 'an extra field on a step',
        says: /damaged/,
        edit: (j, m) => {
          j.plan.steps[0].exec = [process.execPath, ...markerArgs(m)]
        },
      },
      {
        name: 'format 1 (of the WinRE journal format before the one journal)',
        says: /format 1\) and is not supported/,
        edit: (j) => {
          const old = { ...winreFromRun(j as never), schemaVersion: 1 }
          for (const k of Object.keys(j)) delete j[k]
          Object.assign(j, old)
        },
      },
    ]
    let ran = 0
    let real = 0
    for (const c of cases) {
      const { dir, winre, log, wmachine, marker } = winreSetup()
      const { repair } = await winre.report(wref)
      expect(repair.steps.length, c.name).toBeGreaterThan(0)
      winre.journals.create(repair, wref)
      const file = winre.journals.file(repair.id)
      const j = JSON.parse(readFileSync(file, 'utf8'))
      c.edit(j, marker)
      writeFileSync(file, JSON.stringify(j))
      const before = wmachine()
      for (const r of await cliBoth(
        dir,
        ['winre', 'repair', '--machine', 'arm64-winre-disabled', '--yes'],
        c.real === true,
      )) {
        expect(r.code, c.name).not.toBe(0)
        expect(r.stderr + r.stdout, c.name).toMatch(c.says)
        expect(existsSync(marker), c.name).toBe(false)
        expect(wmachine(), c.name).toBe(before)
      }
      if (c.real) real++
      await expect(winre.repair(wref, repair.id), c.name).rejects.toThrow(c.says)
      expect(log, c.name).toEqual([])
      expect(existsSync(marker), c.name).toBe(false)
      expect(wmachine(), c.name).toBe(before)
      ran++
    }
    expect(ran).toBe(4)
    expect(real).toBe(1)
  })

  it('a saved repair (<id>.json) with a foreign command is refused when loaded', async () => {
    const { dir, winre, marker } = winreSetup()
    const { repair } = await winre.report(wref)
    const saved = {
      ...repair,
      steps: repair.steps.map((s, i) =>
        i === 0 ? { ...s, command: { ...s.command, file: process.execPath, args: markerArgs(marker) } } : s,
      ),
    }
    mkdirSync(join(dir, 'winre-repairs'), { recursive: true })
    writeFileSync(join(dir, 'winre-repairs', `${repair.id}.json`), JSON.stringify(saved))
    expect(() => winre.load(repair.id)).toThrow(/is not what Servicing Desk builds, so nothing in it runs/)
  })
})
