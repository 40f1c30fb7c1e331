/**
 * The WinRE command builder's trust checks, one per test (the trust-boundary issue's WinRE side):
 * each op maps to exactly its command, a step's intent that does not fit its op is refused, and a saved
 * repair whose stored command, exit codes or packages differ from the builder's is reported by
 * `winreRepairProblems` (the repair and run-journal loaders refuse on any problem). In-process, no host.
 */
import { describe, expect, it, vi } from 'vitest'
import {
  RESIZE_MB,
  WinreStepIntentError,
  buildWinreStep,
  readableCommandLine,
  resizeScriptFor,
  stepCommandOf,
  winreRepairProblems,
  winreSpec,
} from '../../../main/winre/step-builder.ts'
import {
  DISKPART_SCRIPT_PATH,
  STAGED_WINRE_WIM,
  WINRE_MOUNT_DIR,
  createWorkDirCommand,
  diskpartScriptCommand,
  dismAddPackageToWinreCommand,
  dismCleanupWinreCommand,
  dismMountWinreCommand,
  dismUnmountWinreCommand,
  dismWinreImageInfoCommand,
  reagentcDisableCommand,
  reagentcEnableCommand,
  reagentcInfoCommand,
  writeDiskpartScriptCommand,
} from '../../../main/machine/winre-commands.ts'
import { renderCommandLine, type CommandSpec } from '../../../main/host/host.ts'
import type { WinreOp, WinreRepair, WinreRepairStep, WinreResize } from '../../../preload/model/winre.ts'

const PKG = {
  path: 'C:\\ProgramData\\ServicingDesk\\packages\\windows11.0-kb5057784-x64_0123456789abcdef0123456789abcdef01234567.cab',
}
const repairWith = (
  steps: Pick<
    WinreRepairStep,
    'id' | 'op' | 'resize' | 'command' | 'successExitCodes' | 'restartExitCodes' | 'packages'
  >[],
  pkg: typeof PKG | null = PKG,
) => ({ safeOsPackage: pkg, steps }) as unknown as Pick<WinreRepair, 'safeOsPackage' | 'steps'>
const resize: WinreResize = { disk: 0, osPartition: 3, recoveryPartition: 4, gpt: true }
/** A step exactly as the builder makes it. */
const built = (id: string, op: WinreOp, r: WinreResize | null = null) => {
  const b = buildWinreStep({ safeOsPackage: PKG } as unknown as WinreRepair, { id, op, resize: r })
  return {
    id,
    op,
    resize: r,
    command: b.command,
    successExitCodes: b.successExitCodes,
    restartExitCodes: [] as number[],
    packages: [] as string[],
  }
}

describe('WinRE builder: each op runs exactly its command', () => {
  const expected: [WinreOp, CommandSpec][] = [
    ['reagentc-disable', reagentcDisableCommand],
    ['reagentc-enable', reagentcEnableCommand],
    ['reagentc-info', reagentcInfoCommand],
    ['write-diskpart-script', writeDiskpartScriptCommand(resizeScriptFor(resize))],
    ['diskpart', diskpartScriptCommand],
    ['create-work-dir', createWorkDirCommand],
    ['dism-mount-image', dismMountWinreCommand(STAGED_WINRE_WIM, WINRE_MOUNT_DIR)],
    ['dism-add-package', dismAddPackageToWinreCommand(WINRE_MOUNT_DIR, PKG.path)],
    ['dism-cleanup-image', dismCleanupWinreCommand(WINRE_MOUNT_DIR)],
    ['dism-unmount-image', dismUnmountWinreCommand(WINRE_MOUNT_DIR, true)],
    ['dism-get-imageinfo', dismWinreImageInfoCommand(STAGED_WINRE_WIM)],
  ]
  let ran = 0
  for (const [op, spec] of expected) {
    it(`${op}: ${spec.name}`, () => {
      ran++
      expect(
        winreSpec({ safeOsPackage: PKG } as unknown as WinreRepair, {
          id: 's1',
          op,
          resize: op === 'write-diskpart-script' ? resize : null,
        }),
      ).toEqual(spec)
    })
  }
  it('ran every op', () => expect(ran).toBe(11))

  it('the unmount commits, the mount and image info read the staged winre.wim', () => {
    expect(
      winreSpec({ safeOsPackage: PKG } as unknown as WinreRepair, { id: 's', op: 'dism-unmount-image', resize: null })
        .args,
    ).toContain('/Commit')
    expect(
      winreSpec({ safeOsPackage: PKG } as unknown as WinreRepair, { id: 's', op: 'dism-mount-image', resize: null })
        .args,
    ).toContain(`/ImageFile:${STAGED_WINRE_WIM}`)
    expect(
      winreSpec({ safeOsPackage: PKG } as unknown as WinreRepair, { id: 's', op: 'dism-add-package', resize: null })
        .args,
    ).toContain(`/PackagePath:${PKG.path}`)
  })
})

describe('WinRE builder: intent that does not fit its op is refused', () => {
  const spec =
    (op: WinreOp, r: WinreResize | null, pkg: typeof PKG | null = PKG) =>
    () =>
      winreSpec({ safeOsPackage: pkg } as unknown as WinreRepair, { id: 's7', op, resize: r })
  it('resize numbers on a step that does not write the script', () => {
    let ran = 0
    for (const op of ['diskpart', 'reagentc-disable', 'dism-add-package'] as WinreOp[]) {
      ran++
      expect(spec(op, resize)).toThrow(
        new WinreStepIntentError(`Step s7 (${op}) carries resize numbers it does not use.`),
      )
    }
    expect(ran).toBe(3)
  })
  it('the script step without resize numbers', () => {
    expect(spec('write-diskpart-script', null)).toThrow(
      new WinreStepIntentError('Step s7 writes the diskpart script but has no resize numbers.'),
    )
  })
  it('the add-package step of a repair that names no package', () => {
    expect(spec('dism-add-package', null, null)).toThrow(
      new WinreStepIntentError('Step s7 adds the Safe OS update, but the repair names no package.'),
    )
  })
  it('an op that is not in the allowlist', () => {
    expect(spec('format-disk' as WinreOp, null)).toThrow(
      new WinreStepIntentError('Step s7: unknown WinRE step format-disk.'),
    )
  })
  it('the errors are WinreStepIntentError', () => {
    expect(() => spec('diskpart', resize)()).toThrow(WinreStepIntentError)
    try {
      spec('diskpart', resize)()
    } catch (e) {
      expect((e as Error).name).toBe('WinreStepIntentError')
    }
  })
})

describe('WinRE builder: the KB5028997 script from the numbers', () => {
  it('GPT: the recovery type id and its attributes', () => {
    expect(resizeScriptFor({ disk: 1, osPartition: 3, recoveryPartition: 4, gpt: true })).toEqual([
      'select disk 1',
      'select partition 3',
      `shrink desired=${RESIZE_MB} minimum=${RESIZE_MB}`,
      'select partition 4',
      'delete partition override',
      'create partition primary id=de94bba4-06d1-4d40-a16a-bfd50179d6ac',
      'gpt attributes=0x8000000000000001',
      'format quick fs=ntfs label="Windows RE tools"',
      'exit',
    ])
    expect(RESIZE_MB).toBe(250)
  })
  it('MBR: type 27, no GPT attributes', () => {
    expect(resizeScriptFor({ disk: 0, osPartition: 2, recoveryPartition: 3, gpt: false })).toEqual([
      'select disk 0',
      'select partition 2',
      'shrink desired=250 minimum=250',
      'select partition 3',
      'delete partition override',
      'create partition primary id=27',
      'format quick fs=ntfs label="Windows RE tools"',
      'exit',
    ])
  })
  it('the script is written where diskpart reads it', () => {
    expect(diskpartScriptCommand.args).toEqual(['/s', DISKPART_SCRIPT_PATH])
  })
})

describe('WinRE builder: what a step stores and runs', () => {
  it('a command without its own exit codes succeeds on 0 only; the stored command is the spec with its readable line', () => {
    const b = buildWinreStep({ safeOsPackage: PKG } as unknown as WinreRepair, {
      id: 's1',
      op: 'reagentc-info',
      resize: null,
    })
    expect(b).toEqual({
      command: {
        name: 'winre.reagentc-info',
        file: 'reagentc.exe',
        args: ['/info'],
        timeoutMs: 60_000,
        commandLine: `%SystemRoot%\\System32\\ReAgentc.exe /info`,
      },
      successExitCodes: [0],
    })
  })
  it('a command with its own exit codes keeps them (a copy)', () => {
    const spec: CommandSpec = { ...reagentcInfoCommand, successExitCodes: [0, 2] }
    expect(stepCommandOf(spec).args).not.toBe(spec.args)
  })
  it('a PowerShell command is shown decoded; another command as its command line', () => {
    // Its folder through the one writer (main/host/secure-folder-script.ts): the writer's functions, then the folder's check.
    const shown = readableCommandLine(createWorkDirCommand)
    expect(
      shown.startsWith(
        '%SystemRoot%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -Command "# Work folders only administrators',
      ),
    ).toBe(true)
    expect(shown).toContain(
      `$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child '${WINRE_MOUNT_DIR.replace(/^C:\\ProgramData\\/, '')}'`,
    )
    expect(shown).not.toContain('New-Item -ItemType Directory -Force')
    expect(readableCommandLine(diskpartScriptCommand)).toBe(
      `%SystemRoot%\\System32\\diskpart.exe ${renderCommandLine('/s', [DISKPART_SCRIPT_PATH])}`,
    )
  })
})

describe("WinRE builder: a saved repair is the builder's or it is refused", () => {
  const good = () => [
    built('s1', 'reagentc-disable'),
    built('s2', 'write-diskpart-script', resize),
    built('s3', 'dism-add-package'),
  ]
  it('as built: no problem', () => {
    expect(winreRepairProblems(repairWith(good()))).toEqual([])
  })
  it("a repair saved before commands were shown by full path (its line names the program bare) is still the builder's", () => {
    const steps = good()
    for (const s of steps)
      s.command = {
        ...s.command,
        commandLine: s.command.commandLine
          .replace(/^%SystemRoot%\\System32\\(WindowsPowerShell\\v1\.0\\)?/, '')
          .replace(/^\S+/, (w) => w.toLowerCase()),
      }
    expect(steps[0]!.command.commandLine).toBe('reagentc.exe /disable')
    expect(winreRepairProblems(repairWith(steps))).toEqual([])
  })

  const tampered: [string, (steps: ReturnType<typeof good>) => void, string][] = [
    [
      'another program',
      (s) => {
        s[0]!.command = { ...s[0]!.command, file: 'cmd.exe' }
      },
      'Step s1 says it runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable" ("cmd.exe"), but a reagentc-disable step runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable".',
    ],
    [
      'other arguments',
      (s) => {
        s[0]!.command = { ...s[0]!.command, args: ['/disable', '/osguid', 'x'] }
      },
      'Step s1 says it runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable" ("reagentc.exe"), but a reagentc-disable step runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable".',
    ],
    [
      'another command line shown',
      (s) => {
        s[0]!.command = { ...s[0]!.command, commandLine: 'reagentc.exe /enable' }
      },
      'Step s1 says it runs "reagentc.exe /enable" ("reagentc.exe"), but a reagentc-disable step runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable".',
    ],
    [
      'another timeout',
      (s) => {
        s[0]!.command = { ...s[0]!.command, timeoutMs: 1 }
      },
      'Step s1 says it runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable" ("reagentc.exe"), but a reagentc-disable step runs "%SystemRoot%\\\\System32\\\\ReAgentc.exe /disable".',
    ],
    [
      'other success codes',
      (s) => {
        s[0]!.successExitCodes = [0, 1]
      },
      'Step s1 lists exit codes that are not those of a reagentc-disable step.',
    ],
    [
      'restart codes',
      (s) => {
        s[0]!.restartExitCodes = [3010]
      },
      'Step s1 lists exit codes that are not those of a reagentc-disable step.',
    ],
    [
      'packages on a step',
      (s) => {
        s[2]!.packages = ['evil.cab']
      },
      'Step s3 names packages; a WinRE step takes its package from the repair.',
    ],
    [
      'a duplicate step id',
      (s) => {
        s[1]!.id = 's1'
        s[1]!.command = buildWinreStep({ safeOsPackage: PKG } as unknown as WinreRepair, {
          id: 's1',
          op: 'write-diskpart-script',
          resize,
        }).command
      },
      'Step id s1 appears twice.',
    ],
    [
      'other resize numbers than the stored script',
      (s) => {
        s[1]!.resize = { ...resize, osPartition: 9 }
      },
      `Step s2 says it runs ${JSON.stringify(s2Line(resize))} ("powershell.exe"), but a write-diskpart-script step runs ${JSON.stringify(s2Line({ ...resize, osPartition: 9 }))}.`,
    ],
    [
      'an intent the builder refuses',
      (s) => {
        s[0]!.resize = resize
      },
      'Step s1 (reagentc-disable) carries resize numbers it does not use.',
    ],
  ]
  let ran = 0
  for (const [what, tamper, problem] of tampered) {
    it(`${what}: exactly that problem`, () => {
      ran++
      const steps = good()
      tamper(steps)
      expect(winreRepairProblems(repairWith(steps))).toEqual([problem])
    })
  }
  it('ran every tampering', () => expect(ran).toBe(tampered.length))

  it('a step the builder refuses does not stop the others being checked', () => {
    const steps = good()
    steps[0]!.resize = resize
    steps[2]!.packages = ['x.cab']
    expect(winreRepairProblems(repairWith(steps))).toEqual([
      'Step s1 (reagentc-disable) carries resize numbers it does not use.',
      'Step s3 names packages; a WinRE step takes its package from the repair.',
    ])
  })

  it("the package the add-package step runs is the repair's: another package in the repair changes the command", () => {
    const problems = winreRepairProblems(repairWith(good(), { path: 'D:\\evil.cab' }))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^Step s3 says it runs .* but a dism-add-package step runs .*D:\\\\evil\.cab/)
  })
})

function s2Line(r: WinreResize): string {
  return readableCommandLine(writeDiskpartScriptCommand(resizeScriptFor(r)))
}

describe('WinRE builder: module constants, read from a freshly loaded module', () => {
  it('the recovery partition type and the stored-versus-built comparison, as the module is now', async () => {
    // Module-level constants are evaluated once per load: load the builder again so the test reads them as they are now.
    vi.resetModules()
    const fresh = await import('../../../main/winre/step-builder.ts')
    expect(fresh.resizeScriptFor(resize)).toContain('create partition primary id=de94bba4-06d1-4d40-a16a-bfd50179d6ac')
    const steps = [built('s1', 'reagentc-disable')]
    expect(fresh.winreRepairProblems(repairWith(steps))).toEqual([])
    steps[0]!.command = { ...steps[0]!.command, file: 'cmd.exe' }
    expect(fresh.winreRepairProblems(repairWith(steps))).toHaveLength(1)
  })
})
