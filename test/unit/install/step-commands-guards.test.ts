/**
 * The command builder's guards, each alone and in process: what every step kind runs (argv,
 * timeout, exit codes), every intent it refuses (a package the plan does not list or lists twice, a package
 * on a step that installs none, a step in a scope it does not belong to, a resume entry with no command,
 * wusa and cleanup-image), and every difference between a plan file and the builder that
 * planCommandProblems reports (command, exit codes, KBs, step ids, prerequisites, the sequence method).
 * Hand-made packages and plans; no services, no beforeAll.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Plan, PlanPackage, PlanStep } from '../../../preload/model/plan.ts'
import { renderCommandLine } from '../../../main/host/host.ts'
import {
  StepIntentError,
  addPackageStep,
  assertBuilderPlan,
  buildStep,
  dismAddPackageArgs,
  mountStep,
  planCommandProblems,
  restartStep,
  runOnceValue,
  scheduleResumeStep,
  unmountStep,
} from '../../../main/install/step-commands.ts'

const HOUR = 3_600_000
const pkg = (kb: string, role: PlanPackage['role'], over: Partial<PlanPackage> = {}): PlanPackage => ({
  kb,
  fileName: `windows11.0-${kb.toLowerCase()}-arm64.msu`,
  arch: 'arm64',
  sha1: null,
  sha256: 'ab'.repeat(32),
  path: `C:\\kit\\windows11.0-${kb.toLowerCase()}-arm64.msu`,
  role,
  build: 26100,
  ubr: role === 'checkpoint' ? 1742 : 8117,
  sizeBytes: 10,
  ...over,
})
const cp = pkg('KB5043080', 'checkpoint')
const target = pkg('KB5086672', 'target')
const online = { kind: 'online' } as const
const wim = { path: 'D:\\images\\install.wim', index: 3 }
const image = { kind: 'image', dir: 'D:\\mount', wim } as const
const resume = ['C:\\Program Files\\Servicing Desk\\sd.exe', 'install', '--plan', 'p1', '--yes']
const stepOf = (id: string, kind: PlanStep['kind'], packages: string[] = []) => ({ id, kind, packages })
const refusal = (f: () => unknown): string => {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(StepIntentError)
    expect((err as Error).name).toBe('StepIntentError')
    return (err as Error).message
  }
  throw new Error('expected a StepIntentError, nothing was thrown')
}

describe('step-commands: the argv of each step kind', () => {
  it('add-package on this PC: DISM /Online with the LAST package as the only path, 2 h, 0/3010 success, 3010/1641 restart', () => {
    const b = buildStep(
      { scope: online, packages: [cp, target] },
      stepOf('s1', 'add-package', [cp.fileName, target.fileName]),
    )
    expect(b.command).toEqual({
      name: 'install.dism-add-package',
      file: 'dism.exe',
      args: ['/English', '/Online', '/Add-Package', `/PackagePath:${target.path}`, '/NoRestart'],
      timeoutMs: 2 * HOUR,
      commandLine: `%SystemRoot%\\System32\\Dism.exe /English /Online /Add-Package /PackagePath:${target.path} /NoRestart`,
    })
    expect(b.successExitCodes).toEqual([0, 3010])
    expect(b.restartExitCodes).toEqual([3010, 1641])
    expect(b.kbs).toEqual(['KB5043080', 'KB5086672'])
    expect(b.packages).toEqual([cp, target])
  })

  it('add-package: the KBs are each named once (two files of one KB)', () => {
    const second = pkg('KB5086672', 'target', { fileName: 'second.msu', path: 'C:\\kit\\second.msu' })
    expect(
      buildStep(
        { scope: online, packages: [target, second] },
        stepOf('s1', 'add-package', [target.fileName, second.fileName]),
      ).kbs,
    ).toEqual(['KB5086672'])
  })

  it('add-package on an image: /Image:<mount dir>; the PC path mapping applies to the package path only', () => {
    expect(dismAddPackageArgs(image, 'D:\\kit\\a.msu')).toEqual([
      '/English',
      '/Image:D:\\mount',
      '/Add-Package',
      '/PackagePath:D:\\kit\\a.msu',
      '/NoRestart',
    ])
    expect(dismAddPackageArgs(online, 'C:\\a.msu')).toEqual([
      '/English',
      '/Online',
      '/Add-Package',
      '/PackagePath:C:\\a.msu',
      '/NoRestart',
    ])
    const b = buildStep({ scope: image, packages: [target] }, stepOf('s2', 'add-package', [target.fileName]), {
      pcPath: (p) => `X:${p}`,
    })
    expect(b.command.args).toEqual([
      '/English',
      '/Image:D:\\mount',
      '/Add-Package',
      `/PackagePath:X:${target.path}`,
      '/NoRestart',
    ])
    expect(b.packages[0]!.path).toBe(target.path)
  })

  it('restart: shutdown.exe /r /t 0, 10 minutes, only 0 is success', () => {
    expect(buildStep({ scope: online, packages: [] }, stepOf('s2', 'restart'))).toEqual({
      command: {
        name: 'install.restart',
        file: 'shutdown.exe',
        args: ['/r', '/t', '0'],
        timeoutMs: 600_000,
        commandLine: '%SystemRoot%\\System32\\shutdown.exe /r /t 0',
      },
      successExitCodes: [0],
      restartExitCodes: [],
      kbs: [],
      packages: [],
    })
  })

  it('mount-image and unmount-image: DISM with the WIM, its index and the mount folder; /Commit on unmount; 1 h', () => {
    const m = buildStep({ scope: image, packages: [] }, stepOf('s1', 'mount-image'))
    expect(m.command).toMatchObject({
      name: 'install.dism-mount-image',
      file: 'dism.exe',
      args: ['/English', '/Mount-Image', '/ImageFile:D:\\images\\install.wim', '/Index:3', '/MountDir:D:\\mount'],
      timeoutMs: HOUR,
    })
    expect([m.successExitCodes, m.restartExitCodes, m.kbs, m.packages]).toEqual([[0], [], [], []])
    const u = buildStep({ scope: image, packages: [] }, stepOf('s3', 'unmount-image'))
    expect(u.command).toMatchObject({
      name: 'install.dism-unmount-image',
      file: 'dism.exe',
      args: ['/English', '/Unmount-Image', '/MountDir:D:\\mount', '/Commit'],
      timeoutMs: HOUR,
    })
  })

  it("schedule-resume: reg.exe add RunOnce /v ServicingDesk with the app's own resume command, /f, 1 minute", () => {
    const b = buildStep({ scope: online, packages: [] }, stepOf('s2', 'schedule-resume'), { resumeCommand: resume })
    expect(b.command).toMatchObject({
      name: 'install.schedule-resume',
      file: 'reg.exe',
      timeoutMs: 60_000,
      args: [
        'add',
        'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce',
        '/v',
        'ServicingDesk',
        '/t',
        'REG_SZ',
        '/d',
        '"C:\\Program Files\\Servicing Desk\\sd.exe" install --plan p1 --yes',
        '/f',
      ],
    })
  })

  it('runOnceValue quotes an argument with a space, a tab or a quote (quote escaped), and nothing else', () => {
    expect(runOnceValue(['a', 'b c', 'd\te', 'say "hi"', 'C:\\x.exe'])).toBe('a "b c" "d\te" "say \\"hi\\"" C:\\x.exe')
    expect(runOnceValue([])).toBe('')
  })
})

describe('step-commands: intents the builder refuses', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'a package the plan does not list',
      () => buildStep({ scope: online, packages: [cp] }, stepOf('s1', 'add-package', ['evil.msu'])),
      /^Step s1 names the package "evil\.msu", which the plan does not list\.$/,
    ],
    [
      'a package the plan lists twice',
      () => buildStep({ scope: online, packages: [cp, cp] }, stepOf('s1', 'add-package', [cp.fileName])),
      /^Step s1 names the package "windows11\.0-kb5043080-arm64\.msu", which the plan lists more than once\.$/,
    ],
    [
      'an install step with no package',
      () => buildStep({ scope: online, packages: [cp] }, stepOf('s1', 'add-package')),
      /^Step s1 installs a package but names none\.$/,
    ],
    [
      'an install step into the WinRE scope',
      () => buildStep({ scope: { kind: 'winre' }, packages: [cp] }, stepOf('s1', 'add-package', [cp.fileName])),
      /^Step s1: packages are added to this PC or a mounted image, not to scope winre\.$/,
    ],
    [
      'a restart that names a package',
      () => buildStep({ scope: online, packages: [cp] }, stepOf('s2', 'restart', [cp.fileName])),
      /^Step s2 \(restart\) installs no package, but names windows11\.0-kb5043080-arm64\.msu\.$/,
    ],
    [
      'a restart in a plan for an image',
      () => buildStep({ scope: image, packages: [] }, stepOf('s2', 'restart')),
      /^Step s2: a restart belongs to a plan for this PC, not to scope image\.$/,
    ],
    [
      'a mount with two packages',
      () =>
        buildStep(
          { scope: image, packages: [cp, target] },
          stepOf('s1', 'mount-image', [cp.fileName, target.fileName]),
        ),
      /^Step s1 \(mount-image\) installs no package, but names windows11\.0-kb5043080-arm64\.msu, windows11\.0-kb5086672-arm64\.msu\.$/,
    ],
    [
      'a mount in a plan for this PC',
      () => buildStep({ scope: online, packages: [] }, stepOf('s1', 'mount-image')),
      /^Step s1: only a plan for a WIM file mounts an image\.$/,
    ],
    [
      'a mount of an image with no WIM',
      () => buildStep({ scope: { kind: 'image', dir: 'D:\\m', wim: null }, packages: [] }, stepOf('s1', 'mount-image')),
      /^Step s1: only a plan for a WIM file mounts an image\.$/,
    ],
    [
      'an unmount with a package',
      () => buildStep({ scope: image, packages: [cp] }, stepOf('s3', 'unmount-image', [cp.fileName])),
      /installs no package, but names/,
    ],
    [
      'an unmount in a plan for this PC',
      () => buildStep({ scope: online, packages: [] }, stepOf('s3', 'unmount-image')),
      /^Step s3: only a plan for a WIM file unmounts an image\.$/,
    ],
    [
      'an unmount of an image with no WIM',
      () =>
        buildStep({ scope: { kind: 'image', dir: 'D:\\m', wim: null }, packages: [] }, stepOf('s3', 'unmount-image')),
      /^Step s3: only a plan for a WIM file unmounts an image\.$/,
    ],
    [
      'a resume entry with a package',
      () =>
        buildStep({ scope: online, packages: [cp] }, stepOf('s2', 'schedule-resume', [cp.fileName]), {
          resumeCommand: resume,
        }),
      /installs no package, but names/,
    ],
    [
      'a resume entry in a plan for an image',
      () => buildStep({ scope: image, packages: [] }, stepOf('s2', 'schedule-resume'), { resumeCommand: resume }),
      /^Step s2: a resume entry belongs to a plan for this PC\.$/,
    ],
    [
      'a resume entry when this copy has no resume command',
      () => buildStep({ scope: online, packages: [] }, stepOf('s2', 'schedule-resume'), { resumeCommand: null }),
      /^Step s2 registers a resume entry, but this copy of Servicing Desk has no resume command: make a new plan here\.$/,
    ],
    [
      'a resume entry whose command is not known yet',
      () => buildStep({ scope: online, packages: [] }, stepOf('s2', 'schedule-resume')),
      /^Step s2 registers a resume entry whose command is not known yet\.$/,
    ],
    [
      'a wusa step',
      () => buildStep({ scope: online, packages: [cp] }, stepOf('s1', 'wusa', [cp.fileName])),
      /^Step s1 is a wusa step, which Servicing Desk does not build for installation plans\.$/,
    ],
    [
      'a cleanup-image step',
      () => buildStep({ scope: online, packages: [] }, stepOf('s1', 'cleanup-image')),
      /^Step s1 is a cleanup-image step, which Servicing Desk does not build for installation plans\.$/,
    ],
    [
      'an unknown step kind',
      () => buildStep({ scope: online, packages: [] }, stepOf('s1', 'format-disk' as PlanStep['kind'])),
      /^Step format-disk: unknown step kind\.$/,
    ],
  ]
  let ran = 0
  for (const [name, f, message] of cases) {
    it(name, () => {
      expect(refusal(f)).toMatch(message)
      ran++
    })
  }
  it('ran every case', () => expect(ran).toBe(19))
})

/** A plan for this PC as the planner makes it: checkpoint, resume entry, restart, target. */
function plan(method: Plan['method'] = 'sequence'): Pick<Plan, 'scope' | 'packages' | 'steps' | 'method'> {
  const s1 = addPackageStep(1, online, cp, [cp], method, [])
  const s2 = scheduleResumeStep(2, resume, [s1.id])
  const s3 = restartStep(3, [s1.id], [cp.kb])
  const s4 = addPackageStep(4, online, target, [target], method, [s3.id])
  return { scope: online, packages: [cp, target], steps: [s1, s2, s3, s4], method }
}
const withStep = (i: number, over: Partial<PlanStep>) => {
  const p = structuredClone(plan())
  p.steps[i] = { ...p.steps[i]!, ...over }
  return p
}

describe("planCommandProblems: a plan file that is not the builder's", () => {
  it("the builder's own plan has no problem, with the resume command known or not yet known", () => {
    expect(planCommandProblems(plan(), { resumeCommand: resume })).toEqual([])
    expect(planCommandProblems(plan())).toEqual([])
    expect(() => assertBuilderPlan(plan(), { resumeCommand: resume })).not.toThrow()
  })

  it("a plan saved before commands were shown by full path (its line names the program bare) is still the builder's; any other line is not", () => {
    const old = plan()
    const bare = {
      ...old,
      steps: old.steps.map((s) => ({
        ...s,
        command: { ...s.command, commandLine: renderCommandLine(s.command.file, s.command.args) },
      })),
    }
    expect(old.steps[0]!.command.commandLine).toMatch(/^%SystemRoot%\\System32\\Dism\.exe /)
    expect(bare.steps[0]!.command.commandLine).toMatch(/^dism\.exe /)
    expect(planCommandProblems(bare, { resumeCommand: resume })).toEqual([])
    const other = {
      ...old,
      steps: old.steps.map((s, i) =>
        i === 0 ? { ...s, command: { ...s.command, commandLine: `cmd.exe /c ${s.command.commandLine}` } } : s,
      ),
    }
    expect(planCommandProblems(other, { resumeCommand: resume })).toHaveLength(1)
  })

  const p = plan()
  const cases: [
    string,
    Pick<Plan, 'scope' | 'packages' | 'steps' | 'method'>,
    RegExp,
    { resumeCommand?: string[] | null }?,
  ][] = [
    [
      'a package listed twice (one no step names)',
      { ...p, packages: [cp, target, pkg('KB5036893', 'ssu'), pkg('KB5036893', 'ssu')] },
      /^The plan lists the package "windows11\.0-kb5036893-arm64\.msu" more than once\.$/,
    ],
    ['a step id used twice', withStep(3, { id: 's1-add-KB5043080' }), /^Step id s1-add-KB5043080 appears twice\.$/],
    [
      'a prerequisite that is a later step',
      withStep(0, { dependsOn: ['s3-restart'] }),
      /^Step s1-add-KB5043080 depends on "s3-restart", which is not an earlier step\.$/,
    ],
    [
      'a step that depends on itself',
      withStep(0, { dependsOn: ['s1-add-KB5043080'] }),
      /^Step s1-add-KB5043080 depends on "s1-add-KB5043080", which is not an earlier step\.$/,
    ],
    [
      'a step the builder refuses (its message)',
      withStep(0, { packages: ['evil.msu'] }),
      /which the plan does not list\.$/,
    ],
    [
      'another program',
      withStep(0, { command: { ...p.steps[0]!.command, file: 'cmd.exe' } }),
      /^Step s1-add-KB5043080 says it runs ".*" \("cmd\.exe"\), but a add-package step runs "%SystemRoot%\\\\System32\\\\Dism\.exe /,
    ],
    [
      'another argument',
      withStep(2, { command: { ...p.steps[2]!.command, args: ['/r', '/t', '60'] } }),
      /^Step s3-restart says it runs/,
    ],
    [
      'a longer timeout',
      withStep(2, { command: { ...p.steps[2]!.command, timeoutMs: 999_999 } }),
      /^Step s3-restart says it runs/,
    ],
    [
      'a failure code listed as success',
      withStep(0, { successExitCodes: [0, 3010, 5] }),
      /^Step s1-add-KB5043080 lists exit codes \[\[0,3010,5\],\[3010,1641\]\], not the ones of a add-package step \[\[0,3010\],\[3010,1641\]\]\.$/,
    ],
    ['a restart code dropped', withStep(0, { restartExitCodes: [3010] }), /lists exit codes \[\[0,3010\],\[3010\]\]/],
    [
      "KBs that are not its packages'",
      withStep(0, { kbs: [] }),
      /^Step s1-add-KB5043080 says it installs \[\], but its packages are \["KB5043080"\]\.$/,
    ],
    [
      'the sequence method with two packages in one step',
      (() => {
        const x = structuredClone(plan())
        x.steps[3] = addPackageStep(4, online, target, [cp, target], 'folder', ['s3-restart'])
        return x
      })(),
      /^Step s4-add-KB5086672: the sequence method installs one package per step\.$/,
    ],
    [
      'a resume entry (command not known yet) that runs another program',
      withStep(1, { command: { ...p.steps[1]!.command, file: 'cmd.exe' } }),
      /^Step s2-schedule-resume says it runs ".*", which is not the command Servicing Desk builds for a schedule-resume step\.$/,
    ],
    [
      'a resume entry (not known yet) with another name',
      withStep(1, { command: { ...p.steps[1]!.command, name: 'install.restart' } }),
      /which is not the command Servicing Desk builds for a schedule-resume step/,
    ],
    [
      'a resume entry (not known yet) with another timeout',
      withStep(1, { command: { ...p.steps[1]!.command, timeoutMs: 1 } }),
      /which is not the command Servicing Desk builds for a schedule-resume step/,
    ],
    [
      'a resume entry (not known yet) under another registry key',
      withStep(1, {
        command: {
          ...p.steps[1]!.command,
          args: p.steps[1]!.command.args.map((a, i) =>
            i === 1 ? 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' : a,
          ),
        },
      }),
      /which is not the command Servicing Desk builds for a schedule-resume step/,
    ],
    [
      "a resume entry whose value is not this copy's resume command",
      withStep(1, {
        command: {
          ...p.steps[1]!.command,
          args: p.steps[1]!.command.args.map((a, i) => (i === 7 ? 'C:\\evil.exe' : a)),
        },
      }),
      /^Step s2-schedule-resume says it runs .*, but a schedule-resume step runs "%SystemRoot%\\\\System32\\\\reg\.exe add /,
      { resumeCommand: resume },
    ],
  ]
  let ran = 0
  for (const [name, x, message, ctx] of cases) {
    it(name, () => {
      const problems = planCommandProblems(x, ctx ?? {})
      expect(problems, JSON.stringify(problems)).toHaveLength(1)
      expect(problems[0]).toMatch(message)
      ran++
    })
  }
  it('ran every case', () => expect(ran).toBe(17))

  it('a resume entry whose command is not known yet may carry any value in /d (it is compared once the service supplies it)', () => {
    const x = withStep(1, {
      command: { ...p.steps[1]!.command, args: p.steps[1]!.command.args.map((a, i) => (i === 7 ? 'anything' : a)) },
    })
    expect(planCommandProblems(x)).toEqual([])
    expect(planCommandProblems(x, { resumeCommand: resume })).toHaveLength(1)
  })

  it('the folder method may install a checkpoint and its target in one step', () => {
    const x = structuredClone(plan('folder'))
    x.steps[3] = addPackageStep(4, online, target, [cp, target], 'folder', ['s3-restart'])
    expect(planCommandProblems(x)).toEqual([])
  })

  it('assertBuilderPlan refuses with the first three problems and how many more', () => {
    const x = structuredClone(plan())
    for (const s of x.steps) s.command = { ...s.command, timeoutMs: s.command.timeoutMs + 1 }
    x.steps[0]!.kbs = []
    const problems = planCommandProblems(x)
    expect(problems).toHaveLength(5)
    const message = refusal(() => assertBuilderPlan(x, {}, 'The plan file p.json'))
    expect(message).toBe(
      `The plan file p.json is refused: it is not what Servicing Desk builds, so nothing in it runs. ${problems.slice(0, 3).join(' ')} (2 more)`,
    )
    const three = structuredClone(plan())
    for (const st of three.steps.slice(0, 3)) st.command = { ...st.command, timeoutMs: st.command.timeoutMs + 1 }
    const p3 = planCommandProblems(three)
    expect(p3).toHaveLength(3)
    expect(refusal(() => assertBuilderPlan(three))).toBe(
      `This plan is refused: it is not what Servicing Desk builds, so nothing in it runs. ${p3.join(' ')}`,
    )
    const y = withStep(0, { kbs: [] })
    expect(refusal(() => assertBuilderPlan(y))).toBe(
      `This plan is refused: it is not what Servicing Desk builds, so nothing in it runs. ${planCommandProblems(y)[0]}`,
    )
  })
})

describe('step constructors: what a person reads before confirming', () => {
  it('a checkpoint, a target, on this PC or an image, with and without the UBR', () => {
    expect(addPackageStep(1, online, cp, [cp], 'sequence', [])).toMatchObject({
      id: 's1-add-KB5043080',
      title: 'Install KB5043080 (checkpoint)',
      destructive: true,
      kind: 'add-package',
      packages: [cp.fileName],
      kbs: ['KB5043080'],
      dependsOn: [],
      explanation:
        'KB5043080 is the checkpoint (26100.1742) that later cumulative updates are built on; it goes first.',
    })
    const noUbr = { ...cp, ubr: null }
    expect(addPackageStep(1, online, noUbr, [noUbr], 'sequence', []).explanation).toBe(
      'KB5043080 is the checkpoint that later cumulative updates are built on; it goes first.',
    )
    expect(addPackageStep(3, online, target, [target], 'sequence', ['s2'])).toMatchObject({
      title: 'Install KB5086672',
      explanation: 'Installs KB5086672 on this PC, bringing it to 26100.8117.',
      dependsOn: ['s2'],
    })
    const targetNoUbr = { ...target, ubr: null }
    expect(addPackageStep(3, image, targetNoUbr, [targetNoUbr], 'sequence', []).explanation).toBe(
      'Installs KB5086672 on the offline image mounted at D:\\mount.',
    )
  })

  it('the folder method: one step installs the checkpoint(s) then the target, DISM finding them', () => {
    const one = addPackageStep(1, online, target, [cp, target], 'folder', [])
    expect(one).toMatchObject({
      title: 'Install KB5043080 then KB5086672 (DISM finds the checkpoint)',
      packages: [cp.fileName, target.fileName],
      kbs: ['KB5043080', 'KB5086672'],
    })
    expect(one.explanation).toBe(
      'DISM gets KB5086672 as the only package path; the folder holds only it and its checkpoint KB5043080, so DISM installs it first, in order, then KB5086672 (Microsoft: checkpoint cumulative updates).',
    )
    const cp2 = pkg('KB5036893', 'checkpoint')
    const two = addPackageStep(1, online, target, [cp, cp2, target], 'folder', [])
    expect(two.title).toBe('Install KB5043080 then KB5036893 then KB5086672 (DISM finds the checkpoint)')
    expect(two.explanation).toBe(
      'DISM gets KB5086672 as the only package path; the folder holds only it and its checkpoints KB5043080, KB5036893, so DISM installs them first, in order, then KB5086672 (Microsoft: checkpoint cumulative updates).',
    )
    // Without a checkpoint beside it, or with the sequence method, the step reads as a plain install.
    expect(addPackageStep(1, online, target, [target], 'folder', [])).toMatchObject({
      title: 'Install KB5086672',
      explanation: 'Installs KB5086672 on this PC, bringing it to 26100.8117.',
    })
    expect(addPackageStep(1, online, target, [cp, target], 'sequence', [])).toMatchObject({
      title: 'Install KB5086672',
      explanation: 'Installs KB5086672 on this PC, bringing it to 26100.8117.',
    })
  })

  it('restart, mount, unmount and resume steps', () => {
    expect(restartStep(2, ['s1'], ['KB5043080', 'KB5086672'])).toMatchObject({
      id: 's2-restart',
      title: 'Restart the PC',
      destructive: true,
      kind: 'restart',
      packages: [],
      kbs: [],
      dependsOn: ['s1'],
      explanation:
        'Windows finishes installing KB5043080, KB5086672 during the restart; the next step needs it finished. Servicing Desk resumes afterwards.',
    })
    expect(mountStep(1, wim.path, 3, 'D:\\mount', [])).toMatchObject({
      id: 's1-mount',
      title: 'Mount D:\\images\\install.wim (index 3)',
      destructive: false,
      kind: 'mount-image',
      explanation:
        'DISM services an offline image through a mount folder; D:\\mount receives image 3 of D:\\images\\install.wim.',
    })
    expect(unmountStep(3, 'D:\\mount', ['s2'])).toMatchObject({
      id: 's3-unmount',
      title: 'Save and unmount D:\\mount',
      destructive: true,
      kind: 'unmount-image',
      dependsOn: ['s2'],
      explanation: 'Writes the serviced image back into the WIM (/Commit) and releases the mount folder.',
    })
    expect(scheduleResumeStep(2, resume, ['s1'])).toMatchObject({
      id: 's2-schedule-resume',
      title: 'Resume after the restart',
      destructive: false,
      kind: 'schedule-resume',
      dependsOn: ['s1'],
      explanation:
        'Registers a RunOnce entry so Servicing Desk starts again after the restart and continues from its journal.',
    })
  })

  it("each constructor stores the builder's command and exit codes", () => {
    const steps = [
      addPackageStep(1, online, cp, [cp], 'sequence', []),
      restartStep(2, [], []),
      mountStep(1, wim.path, 3, 'D:\\mount', []),
      unmountStep(3, 'D:\\mount', [], wim),
      scheduleResumeStep(2, resume, []),
    ]
    const scopes = [online, online, image, image, online] as const
    let ran = 0
    steps.forEach((s, i) => {
      const b = buildStep({ scope: scopes[i]!, packages: [cp] }, s, { resumeCommand: resume })
      expect([s.command, s.successExitCodes, s.restartExitCodes, s.kbs], s.id).toEqual([
        b.command,
        b.successExitCodes,
        b.restartExitCodes,
        b.kbs,
      ])
      ran++
    })
    expect(ran).toBe(5)
  })
})

describe('step-commands: module constants, read from a freshly loaded module', () => {
  it('the RunOnce key and the comparison of stored and built commands', async () => {
    // Module-level constants are evaluated once per load: load the module again so the test reads them as they are now.
    vi.resetModules()
    const fresh = await import('../../../main/install/step-commands.ts')
    expect(
      fresh
        .buildStep({ scope: online, packages: [] }, stepOf('s2', 'schedule-resume'), { resumeCommand: resume })
        .command.args.slice(0, 2),
    ).toEqual(['add', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce'])
    expect(fresh.planCommandProblems(plan(), { resumeCommand: resume })).toEqual([])
    expect(
      fresh.planCommandProblems(withStep(2, { command: { ...plan().steps[2]!.command, args: ['/r'] } }), {
        resumeCommand: resume,
      }),
    ).toHaveLength(1)
  })
})
