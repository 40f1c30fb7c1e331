/**
 * The Electron app's own resume after a Windows restart, in-process: the argv the RunOnce
 * entry starts (packaged and `electron .`), the strict reading of the app's command line (good and hostile),
 * the screen a valid resume opens on, and the services given the app's launcher: an install plan and a
 * repair on this PC carry a resume step whose reg.exe /d value is the app's own command line — and a
 * training machine never gets one. (Electron itself cannot run here; main/app/index.ts only wires these.)
 */
import { describe, expect, it } from 'vitest'
import { join, win32 } from 'node:path'
import { appResumeLaunchers, parseResumeArgs, resumeRoute, type ResumeContext } from '../../../main/app/resume-args.ts'
import { REPAIR_RUNNER_IDS } from '../../../preload/model/repair.ts'
import { runOnceValue } from '../../../main/install/step-commands.ts'
import { createServices } from '../../../main/services.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { renderCommandLine, type Host } from '../../../main/host/host.ts'
import { tempDirSync } from '../temp-dirs.ts'

const exe = 'C:\\Program Files\\Servicing Desk\\Servicing Desk.exe'
const packaged = { execPath: exe, defaultApp: false, appPath: '' }
const dev = {
  execPath: 'C:\\src\\sd\\node_modules\\electron\\dist\\electron.exe',
  defaultApp: true,
  appPath: 'C:\\src\\sd',
}
const plansDir = 'C:\\ProgramData\\ServicingDesk\\plans'
const ctx: ResumeContext = { ...packaged, plansDir, repairIds: REPAIR_RUNNER_IDS, platform: 'win32' }
const planFile = win32.join(plansDir, '20261123T010203-abc_DEF-x64-pending-restart-KB5086672.json')

describe('the app launcher (RunOnce argv)', () => {
  it("packaged: the app's .exe, then one flag and its value", () => {
    const l = appResumeLaunchers(packaged)
    expect(l.install(planFile)).toEqual([exe, '--resume-install', planFile])
    expect(l.repair('restart')).toEqual([exe, '--resume-repair', 'restart'])
    expect(runOnceValue(l.repair('restart'))).toBe(
      '"C:\\Program Files\\Servicing Desk\\Servicing Desk.exe" --resume-repair restart',
    )
  })
  it('development (electron <folder>): electron.exe, the app folder, then the flag', () => {
    const l = appResumeLaunchers(dev)
    expect(l.install(planFile)).toEqual([dev.execPath, 'C:\\src\\sd', '--resume-install', planFile])
    expect(l.repair('remove-package')).toEqual([dev.execPath, 'C:\\src\\sd', '--resume-repair', 'remove-package'])
  })
})

describe('parseResumeArgs', () => {
  it('reads what the launchers write (packaged and development) and nothing when there is nothing', () => {
    const planId = '20261123T010203-abc_DEF-x64-pending-restart-KB5086672'
    expect(parseResumeArgs(appResumeLaunchers(packaged).install(planFile), ctx)).toEqual({
      intent: { kind: 'install', planId, planFile },
      ignored: null,
    })
    for (const id of REPAIR_RUNNER_IDS)
      expect(parseResumeArgs(appResumeLaunchers(packaged).repair(id), ctx)).toEqual({
        intent: { kind: 'repair', repairId: id },
        ignored: null,
      })
    expect(parseResumeArgs(appResumeLaunchers(dev).repair('restart'), { ...ctx, ...dev })).toEqual({
      intent: { kind: 'repair', repairId: 'restart' },
      ignored: null,
    })
    expect(parseResumeArgs(appResumeLaunchers(dev).install(planFile), { ...ctx, ...dev }).intent).toEqual({
      kind: 'install',
      planId,
      planFile,
    })
    expect(parseResumeArgs([exe], ctx)).toEqual({ intent: null, ignored: null })
    expect(parseResumeArgs([dev.execPath, 'C:\\src\\sd'], { ...ctx, ...dev })).toEqual({ intent: null, ignored: null })
    // A POSIX data folder (the same rule with its own separators).
    const posixPlans = '/home/u/.servicing-desk/plans'
    expect(
      parseResumeArgs(['/opt/sd/sd', '--resume-install', join(posixPlans, 'p1.json')], {
        ...ctx,
        plansDir: posixPlans,
        platform: 'linux',
      }).intent,
    ).toEqual({ kind: 'install', planId: 'p1', planFile: join(posixPlans, 'p1.json') })
  })

  it('ignores hostile and unexpected command lines with a reason, never an intent (each case counted)', () => {
    const hostile: Array<[string, string[], RegExp]> = [
      ['another flag', ['--inspect=9229'], /asks for no resume/],
      ['another flag before a resume', ['--no-sandbox', '--resume-repair', 'restart'], /not exactly/],
      ['another flag after a resume', ['--resume-repair', 'restart', '--no-sandbox'], /not exactly/],
      ['both flags', ['--resume-install', planFile, '--resume-repair', 'restart'], /not exactly/],
      ['a flag without its value', ['--resume-repair'], /not exactly/],
      ['a flag=value form', [`--resume-install=${planFile}`], /not exactly/],
      ['a look-alike flag', ['--resume-installs', planFile], /not exactly/],
      ['a value that is a flag', ['--resume-repair', '--restart'], /must not start with "-"/],
      ['an empty value', ['--resume-repair', ''], /not exactly/],
      ['an unknown repair id', ['--resume-repair', 'format-disk'], /not a repair this app runs/],
      ['a repair id in another case', ['--resume-repair', 'Restart'], /not a repair this app runs/],
      ['a prototype key as the repair id', ['--resume-repair', '__proto__'], /not a repair this app runs/],
      [
        'injection in a repair id',
        ['--resume-repair', 'restart & calc.exe'],
        /characters no plan file or repair id has/,
      ],
      ['a quote in a repair id', ['--resume-repair', 'restart" /f'], /characters no plan file or repair id has/],
      ['a pipe in a plan file', ['--resume-install', `${planFile}|calc`], /characters no plan file or repair id has/],
      [
        'a newline in a plan file',
        ['--resume-install', `${planFile}\nC:\\x.json`],
        /characters no plan file or repair id has/,
      ],
      ['a percent variable', ['--resume-install', '%TEMP%\\p1.json'], /not the app's own plan/],
      [
        '.. out of the plans folder',
        ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\..\\journals\\p1.json'],
        /"\." or "\.\." part/,
      ],
      [
        '.. back into the plans folder',
        ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\..\\plans\\p1.json'],
        /"\." or "\.\." part/,
      ],
      ['a . part', ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\.\\p1.json'], /"\." or "\.\." part/],
      [
        'a plan file outside the plans folder',
        ['--resume-install', 'C:\\Users\\Public\\p1.json'],
        /not the app's own plan/,
      ],
      [
        'a plan file in a sub-folder of the plans folder',
        ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\x\\p1.json'],
        /not the app's own plan/,
      ],
      ['a UNC plan file', ['--resume-install', '\\\\evil\\share\\plans\\p1.json'], /not the app's own plan/],
      ['a relative plan file', ['--resume-install', 'plans\\p1.json'], /not the app's own plan/],
      [
        'forward slashes for the plans folder',
        ['--resume-install', 'C:/ProgramData/ServicingDesk/plans/p1.json'],
        /not the app's own plan/,
      ],
      [
        'a plan file that is not .json',
        ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\p1.ps1'],
        /not named <plan id>\.json/,
      ],
      [
        'a plan id with a space',
        ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\p 1.json'],
        /not named <plan id>\.json/,
      ],
      [
        'a plan id too long',
        ['--resume-install', `C:\\ProgramData\\ServicingDesk\\plans\\${'a'.repeat(81)}.json`],
        /not named <plan id>\.json/,
      ],
      [
        'a bare .json',
        ['--resume-install', 'C:\\ProgramData\\ServicingDesk\\plans\\.json'],
        /not named <plan id>\.json/,
      ],
      ['a very long value', ['--resume-install', `C:\\${'a'.repeat(500)}.json`], /not exactly/],
    ]
    let ran = 0
    for (const [what, args, reason] of hostile) {
      const r = parseResumeArgs([exe, ...args], ctx)
      expect(r.intent, what).toBeNull()
      expect(r.ignored, what).toMatch(reason)
      ran++
    }
    expect(ran).toBe(30)
    expect(hostile).toHaveLength(30)
  })
})

describe('the screen a resume opens on', () => {
  it('the Install screen with the plan id, or the Fix-it screen of the repair with resume=1', () => {
    expect(resumeRoute({ kind: 'install', planId: 'p-1_A', planFile })).toBe('#/install?resume=p-1_A')
    expect(resumeRoute({ kind: 'repair', repairId: 'restore-health' })).toBe('#/repair?repair=restore-health&resume=1')
  })
})

/** A training machine that answers as "this PC" (the services' this-pc Host), so plans for this-pc can be made off Windows. */
function thisPcFrom(name: string, dataDir: string): () => Host {
  return () => {
    const services = createServices({ dataDir, platform: 'linux' })
    const host = new TrainingHost(name, services.trainingStore)
    return new Proxy(host, {
      get: (t, p) => (p === 'info' ? () => ({ ...t.info(), kind: 'this-pc' }) : Reflect.get(t, p)),
    }) as Host
  }
}

describe("the services with the app's launcher", () => {
  const launchers = appResumeLaunchers(packaged)

  it("a repair on this PC registers the app's own command line (RunOnce /d value); a training machine gets no resume step", async () => {
    const dataDir = tempDirSync('sd-resume-app-')
    const services = createServices({
      dataDir,
      platform: 'linux',
      thisPcHost: thisPcFrom('x64-pending-restart', dataDir),
      resumeLaunchers: launchers,
    })
    const offers = await services.repairs.offers({ kind: 'this-pc' })
    const restart = offers.offers.find((o) => o.repairId === 'restart')!
    expect(restart.steps.map((s) => s.kind)).toEqual(['schedule-resume', 'restart'])
    const line = restart.steps[0]!.commandLine
    const value = runOnceValue(launchers.repair('restart'))
    expect(value).toBe('"C:\\Program Files\\Servicing Desk\\Servicing Desk.exe" --resume-repair restart')
    expect(line).toBe(
      `%SystemRoot%\\System32\\${renderCommandLine('reg.exe', ['add', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce', '/v', 'ServicingDeskRepair', '/t', 'REG_SZ', '/d', value, '/f'])}`,
    )

    const training = await services.repairs.offers({ kind: 'training', name: 'x64-pending-restart' })
    const steps = training.offers.flatMap((o) => o.steps)
    expect(steps.length).toBeGreaterThan(0)
    expect(steps.filter((s) => s.kind === 'schedule-resume')).toEqual([])
    expect(steps.some((s) => s.commandLine.includes('--resume-'))).toBe(false)
  })

  it("an install plan on this PC registers --resume-install <its own plan file>; a training machine's plan has no resume step", async () => {
    const dataDir = tempDirSync('sd-resume-app-')
    const services = createServices({
      dataDir,
      platform: 'linux',
      thisPcHost: thisPcFrom('arm64-missing-checkpoint', dataDir),
      resumeLaunchers: launchers,
    })
    const plan = await services.install.makePlan({ ref: { kind: 'this-pc' }, kbs: ['KB5043080'] })
    expect(plan.refused).toBeNull()
    const resume = plan.steps.find((s) => s.kind === 'schedule-resume')
    expect(resume, JSON.stringify(plan.steps.map((s) => s.kind))).toBeTruthy()
    const own = launchers.install(join(dataDir, 'plans', `${plan.id}.json`))
    expect(resume!.command.args).toEqual([
      'add',
      'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce',
      '/v',
      'ServicingDesk',
      '/t',
      'REG_SZ',
      '/d',
      runOnceValue(own),
      '/f',
    ])
    // The app's own command line reads back as a valid resume of that very plan.
    expect(
      parseResumeArgs(own, { ...ctx, plansDir: join(dataDir, 'plans'), platform: process.platform }).intent,
    ).toEqual({ kind: 'install', planId: plan.id, planFile: join(dataDir, 'plans', `${plan.id}.json`) })

    const tplan = await services.install.makePlan({
      ref: { kind: 'training', name: 'arm64-missing-checkpoint' },
      kbs: ['KB5043080'],
    })
    expect(tplan.steps.length).toBeGreaterThan(0)
    expect(tplan.steps.filter((s) => s.kind === 'schedule-resume')).toEqual([])
  })
})
