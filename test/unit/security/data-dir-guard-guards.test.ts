/**
 * The data folder guard, each refusal and each path alone, in process (the trust checks of the data
 * folder): the Windows guard through a scripted Host and an in-memory folder (what it refuses and the exact
 * sentence, what it runs and in which order), the icacls commands and their typed form, and the POSIX guard
 * through an injected file system (owner, group and other write bits, each alone). Real Get-Acl output, real
 * POSIX folders and the CLI are in data-dir-acl.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import { statSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import {
  DataDirRefused,
  fixCommandLines,
  guardDataDir,
  judgeOrRefuse,
  readAclSpec,
  setAclSpecs,
} from '../../../main/security/data-dir-guard.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { tempDirSync } from '../temp-dirs.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'

const DIR = 'C:\\ProgramData\\ServicingDesk'
const SECURE = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'
const errno = (code: string) => Object.assign(new Error(`${code}: x`), { code })

interface Answers {
  sddl?: string
  fail?: Record<string, Partial<CommandResult>>
}
function host(a: Answers, log: CommandSpec[]): Host {
  return {
    info: () => ({ kind: 'this-pc', name: 'PC', title: 'PC', processArch: 'x64', elevated: true }),
    run: async (spec) => {
      log.push(spec)
      const f = a.fail?.[spec.name]
      const base: CommandResult = {
        name: spec.name,
        exitCode: 0,
        stdout: spec.name === 'datadir.get-acl' ? `${a.sddl ?? SECURE}\r\n` : '',
        stderr: '',
        ok: true,
        timedOut: false,
        cancelled: false,
        truncated: false,
        durationMs: 1,
        commandLine: spec.file,
      }
      return f ? { ...base, ok: false, exitCode: 5, stdout: '', ...f } : base
    },
    openRead: async () => {
      throw new Error('no')
    },
    listDir: async () => [],
    exists: async () => false,
  }
}

interface Folder {
  lstat?: () => Partial<Stats>
  mkdir?: () => void
  readdir?: () => string[]
  stat?: () => Partial<Stats>
}
function fs(f: Folder) {
  const dirStats = { isSymbolicLink: () => false, isDirectory: () => true }
  return {
    lstat: () => ({ ...dirStats, ...(f.lstat ? f.lstat() : {}) }) as Stats,
    stat: () => ({ ...dirStats, ...(f.stat ? f.stat() : {}) }) as Stats,
    mkdir: f.mkdir ?? (() => {}),
    readdir: f.readdir ?? (() => []),
  }
}
const missing =
  (code = 'ENOENT'): Folder['lstat'] =>
  () => {
    throw errno(code)
  }

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  )
  if (!(e instanceof DataDirRefused)) throw new Error(`expected a refusal, got ${String(e)}`)
  expect(e.code).toBe('forbidden')
  return e.message
}

describe('Windows data folder guard: each refusal, its sentence', () => {
  const cases: { name: string; folder: Folder; answers?: Answers; elevated?: boolean; says: string; ran: string[] }[] =
    [
      {
        name: 'a file where the folder should be',
        folder: { lstat: () => ({ isDirectory: () => false }) },
        says: `The data folder ${DIR} is not a folder, so Servicing Desk does not use it: remove it as administrator and start Servicing Desk again as administrator.`,
        ran: [],
      },
      {
        name: 'a link',
        folder: { lstat: () => ({ isSymbolicLink: () => true }) },
        says: `The data folder ${DIR} is a link (or junction) to somewhere else, so Servicing Desk does not use it: remove it as administrator and start Servicing Desk again as administrator.`,
        ran: [],
      },
      {
        name: 'lstat fails otherwise',
        folder: { lstat: missing('EACCES') },
        says: `The data folder ${DIR} cannot be read (EACCES), so Servicing Desk does not use it.`,
        ran: [],
      },
      {
        name: 'lstat fails without a code',
        folder: {
          lstat: () => {
            throw new Error('odd failure')
          },
        },
        says: `The data folder ${DIR} cannot be read (odd failure), so Servicing Desk does not use it.`,
        ran: [],
      },
      {
        name: 'missing (ENOTDIR), not elevated',
        folder: { lstat: missing('ENOTDIR') },
        elevated: false,
        says: `The data folder ${DIR} does not exist yet; start Servicing Desk once as administrator, so it creates the folder with access for SYSTEM and Administrators only.`,
        ran: [],
      },
      {
        name: 'cannot be created',
        folder: {
          lstat: missing(),
          mkdir: () => {
            throw errno('EPERM')
          },
        },
        says: `The data folder ${DIR} could not be created (EPERM).`,
        ran: [],
      },
      {
        name: 'cannot be created, no code',
        folder: {
          lstat: missing(),
          mkdir: () => {
            throw new Error('disk gone')
          },
        },
        says: `The data folder ${DIR} could not be created (disk gone).`,
        ran: [],
      },
      {
        name: 'the owner cannot be set (stderr)',
        folder: { lstat: missing() },
        answers: { fail: { 'datadir.set-owner': { stderr: '\r\n  Access is denied.\r\nmore' } } },
        says: `The data folder ${DIR} was created, but its access list could not be set (/setowner *S-1-5-32-544: exit 5: Access is denied.), so Servicing Desk does not use it.`,
        ran: ['datadir.set-owner'],
      },
      {
        name: 'the ACL cannot be set (stdout only)',
        folder: { lstat: missing() },
        answers: { fail: { 'datadir.set-acl': { stdout: 'Failed processing 1 files' } } },
        says: `The data folder ${DIR} was created, but its access list could not be set (/inheritance:r /grant:r: exit 5: Failed processing 1 files), so Servicing Desk does not use it.`,
        ran: ['datadir.set-owner', 'datadir.set-acl'],
      },
      {
        name: 'the ACL cannot be set (no text)',
        folder: { lstat: missing() },
        answers: { fail: { 'datadir.set-acl': {} } },
        says: `The data folder ${DIR} was created, but its access list could not be set (/inheritance:r /grant:r: exit 5), so Servicing Desk does not use it.`,
        ran: ['datadir.set-owner', 'datadir.set-acl'],
      },
      {
        name: 'four things planted before the ACL',
        folder: { lstat: missing(), readdir: () => ['a', 'b', 'c', 'd'] },
        says: `The data folder ${DIR} was just created, but a, b, c appeared in it before its access list was set, so Servicing Desk does not use it: remove the folder as administrator and start again.`,
        ran: ['datadir.set-owner', 'datadir.set-acl'],
      },
      {
        name: 'Get-Acl fails elevated (a long stderr line)',
        folder: {},
        answers: { fail: { 'datadir.get-acl': { stderr: 'y'.repeat(300) } } },
        says: `The access list of the data folder ${DIR} could not be read (exit 5: ${'y'.repeat(200)}), so Servicing Desk does not use it.`,
        ran: ['datadir.get-acl'],
      },
      {
        name: 'Get-Acl fails elevated (no stderr)',
        folder: {},
        answers: { fail: { 'datadir.get-acl': { stdout: 'only stdout' } } },
        says: `The access list of the data folder ${DIR} could not be read (exit 5), so Servicing Desk does not use it.`,
        ran: ['datadir.get-acl'],
      },
    ]
  it(`${cases.length} refusals, each its exact sentence, and what ran before it`, async () => {
    let ran = 0
    for (const c of cases) {
      const log: CommandSpec[] = []
      const says = await refusal(
        guardDataDir({
          dir: DIR,
          platform: 'win32',
          elevated: c.elevated ?? true,
          host: host(c.answers ?? {}, log),
          fs: fs(c.folder),
        }),
      )
      expect(says, c.name).toBe(c.says)
      expect(
        log.map((s) => s.name),
        c.name,
      ).toEqual(c.ran)
      ran++
    }
    expect(ran).toBe(13)
  })

  it('an existing folder whose ACL lets others change it is refused (nothing changed); without a Host nothing is read', async () => {
    const log: CommandSpec[] = []
    const says = await refusal(
      guardDataDir({
        dir: DIR,
        platform: 'win32',
        elevated: true,
        host: host({ sddl: 'O:BUD:(A;OICI;FA;;;BA)(A;;0x2;;;BU)' }, log),
        fs: fs({}),
      }),
    )
    expect(says).toBe(
      `Others can change the data folder ${DIR} (it is owned by Users (S-1-5-32-545), who may always change its permissions; Users (S-1-5-32-545) may create or change files in it), so Servicing Desk does not use it; as administrator run \`icacls ${DIR} /setowner *S-1-5-32-544 /T /C /L /Q\`, \`icacls ${DIR} /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" /remove:g *S-1-5-32-545 /Q\` and \`icacls ${DIR}\\* /reset /T /C /L /Q\`, then start it again.`,
    )
    expect(log.map((s) => s.name)).toEqual(['datadir.get-acl'])
    let looked = 0
    expect(
      await refusal(
        guardDataDir({
          dir: DIR,
          platform: 'win32',
          elevated: true,
          host: null,
          fs: fs({
            lstat: () => {
              looked++
              return {}
            },
          }),
        }),
      ),
    ).toBe(`The data folder ${DIR} cannot be checked without this PC's Host, so Servicing Desk does not use it.`)
    expect(looked).toBe(0)
  })

  it('not elevated and the ACL cannot be read: used as it is, said so; a stderr with LF line ends gives its first line when elevated', async () => {
    expect(
      await guardDataDir({
        dir: DIR,
        platform: 'win32',
        elevated: false,
        host: host({ fail: { 'datadir.get-acl': {} } }, []),
        fs: fs({}),
      }),
    ).toEqual({ created: false, checked: 'acl-unreadable' })
    expect(
      await refusal(
        guardDataDir({
          dir: DIR,
          platform: 'win32',
          elevated: true,
          host: host({ fail: { 'datadir.get-acl': { stderr: 'first\nsecond' } } }, []),
          fs: fs({}),
        }),
      ),
    ).toBe(
      `The access list of the data folder ${DIR} could not be read (exit 5: first), so Servicing Desk does not use it.`,
    )
  })

  it('the Get-Acl command: one line of SDDL, a minute at most, 256 KiB of output at most', () => {
    const spec = readAclSpec(DIR)
    expect(spec).toMatchObject({
      name: 'datadir.get-acl',
      file: 'powershell.exe',
      timeoutMs: 60_000,
      maxOutputBytes: 262_144,
    })
    expect(decodePowerShellScript(spec.args)).toBe(`(Get-Acl -LiteralPath '${DIR}').Sddl`)
  })

  it('created: a listing that fails counts as empty; the result says created and checked', async () => {
    const log: CommandSpec[] = []
    const r = await guardDataDir({
      dir: DIR,
      platform: 'win32',
      elevated: true,
      host: host({}, log),
      fs: fs({
        lstat: missing(),
        readdir: () => {
          throw errno('EACCES')
        },
      }),
    })
    expect(r).toEqual({ created: true, checked: 'acl' })
    expect(log.map((s) => s.name)).toEqual(['datadir.set-owner', 'datadir.set-acl', 'datadir.get-acl'])
  })

  it('an existing folder with a good ACL: nothing changed, checked', async () => {
    const log: CommandSpec[] = []
    let made = 0
    expect(
      await guardDataDir({
        dir: DIR,
        platform: 'win32',
        elevated: true,
        host: host({}, log),
        fs: fs({
          mkdir: () => {
            made++
          },
        }),
      }),
    ).toEqual({ created: false, checked: 'acl' })
    expect(made).toBe(0)
    expect(log.map((s) => s.name)).toEqual(['datadir.get-acl'])
  })

  it('missing, not elevated: nothing is created and nothing runs', async () => {
    const log: CommandSpec[] = []
    let made = 0
    await refusal(
      guardDataDir({
        dir: DIR,
        platform: 'win32',
        elevated: false,
        host: host({}, log),
        fs: fs({
          lstat: missing(),
          mkdir: () => {
            made++
          },
        }),
      }),
    )
    expect(made).toBe(0)
    expect(log).toEqual([])
  })
})

describe('judgeOrRefuse and the icacls commands', () => {
  it('a good ACL passes; an unreadable one and one others may change are refused with the commands that fix it', () => {
    expect(judgeOrRefuse(DIR, SECURE)).toBeUndefined()
    expect(() => judgeOrRefuse(DIR, 'Access is denied.')).toThrow(
      new DataDirRefused(
        `The access list of the data folder ${DIR} could not be read ('Access is denied.' is not a security descriptor), so Servicing Desk does not use it.`,
      ),
    )
    expect(() => judgeOrRefuse(DIR, 'O:BAD:(A;;FA;;;BA)(A;;FA;;;WD)(A;;FA;;;LA)')).toThrow(
      new DataDirRefused(
        `Others can change the data folder ${DIR} (Everyone (S-1-1-0), the local Administrator account (LA) may create or change files in it), so Servicing Desk does not use it; as administrator run \`icacls ${DIR} /setowner *S-1-5-32-544 /T /C /L /Q\`, \`icacls ${DIR} /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" /remove:g *S-1-1-0 /Q\` and \`icacls ${DIR}\\* /reset /T /C /L /Q\`, then start it again.`,
      ),
    )
  })

  it('only SIDs are removed by name (an alias or anything else is left out); a path with spaces is quoted when typed', () => {
    const [owner, acl] = setAclSpecs(DIR, ['S-1-5-32-545', 'LA', 'S-1-5-x', 'xS-1-5-1', 'S-1-5-1x'])
    expect(owner).toEqual({
      name: 'datadir.set-owner',
      file: 'icacls.exe',
      args: [DIR, '/setowner', '*S-1-5-32-544', '/T', '/C', '/L', '/Q'],
      timeoutMs: 600_000,
      outputEncoding: 'console',
    })
    expect(acl).toEqual({
      name: 'datadir.set-acl',
      file: 'icacls.exe',
      args: [
        DIR,
        '/inheritance:r',
        '/grant:r',
        '*S-1-5-18:(OI)(CI)F',
        '*S-1-5-32-544:(OI)(CI)F',
        '/remove:g',
        '*S-1-5-32-545',
        '/Q',
      ],
      timeoutMs: 600_000,
      outputEncoding: 'console',
    })
    expect(setAclSpecs(DIR, ['LA'])[1]!.args).toEqual([
      DIR,
      '/inheritance:r',
      '/grant:r',
      '*S-1-5-18:(OI)(CI)F',
      '*S-1-5-32-544:(OI)(CI)F',
      '/Q',
    ])
    expect(setAclSpecs(DIR)[1]!.args).toEqual(setAclSpecs(DIR, ['LA'])[1]!.args)
    const quoted = ['D:\\My Data', 'D:\\a&b', 'D:\\a|b', 'D:\\a<b', 'D:\\a>b', 'D:\\a^b', 'D:\\a"b', 'D:\\a(b)']
    let ran = 0
    for (const d of quoted) {
      expect(fixCommandLines(d)[0], d).toBe(`icacls "${d}" /setowner *S-1-5-32-544 /T /C /L /Q`)
      ran++
    }
    expect(ran).toBe(8)
    expect(fixCommandLines('D:\\plain')).toEqual([
      'icacls D:\\plain /setowner *S-1-5-32-544 /T /C /L /Q',
      'icacls D:\\plain /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" /Q',
      'icacls D:\\plain\\* /reset /T /C /L /Q',
    ])
  })
})

describe('POSIX data folder guard: each rule alone (injected file system)', () => {
  const st = (mode: number, uid = 1000, dir = true) =>
    ({ mode, uid, isDirectory: () => dir, isSymbolicLink: () => false }) as unknown as Stats
  const posix = (stat: () => Stats, extra: { mkdir?: () => void; uid?: number } = {}) =>
    guardDataDir({
      dir: '/home/u/.sd',
      platform: 'linux',
      uid: extra.uid ?? 1000,
      fs: { lstat: stat, stat, mkdir: extra.mkdir ?? (() => {}), readdir: () => [] },
    })

  const modes: { mode: number; says: string | null }[] = [
    { mode: 0o40700, says: null },
    { mode: 0o40755, says: null },
    {
      mode: 0o40720,
      says: "Others can change the data folder /home/u/.sd (its group may create files in it (mode 0720)), so Servicing Desk does not use it; run `chmod go-w '/home/u/.sd'`, then start it again.",
    },
    {
      mode: 0o40702,
      says: "Others can change the data folder /home/u/.sd (its group and everyone may create files in it (mode 0702)), so Servicing Desk does not use it; run `chmod go-w '/home/u/.sd'`, then start it again.",
    },
    {
      mode: 0o41777,
      says: "Others can change the data folder /home/u/.sd (its group and everyone may create files in it (mode 1777)), so Servicing Desk does not use it; run `chmod go-w '/home/u/.sd'`, then start it again.",
    },
    {
      mode: 0o40070,
      says: "Others can change the data folder /home/u/.sd (its group may create files in it (mode 0070)), so Servicing Desk does not use it; run `chmod go-w '/home/u/.sd'`, then start it again.",
    },
  ]
  it(`${modes.length} modes: only a group or other write bit refuses, with the mode in four digits`, async () => {
    let ran = 0
    for (const m of modes) {
      const r = posix(() => st(m.mode))
      if (m.says === null) expect(await r, m.mode.toString(8)).toEqual({ created: false, checked: 'posix' })
      else expect(await refusal(r), m.mode.toString(8)).toBe(m.says)
      ran++
    }
    expect(ran).toBe(6)
  })

  it('another owner, and another owner with a group write bit: both said, both fixes joined', async () => {
    expect(await refusal(posix(() => st(0o40700, 0)))).toBe(
      "Others can change the data folder /home/u/.sd (it belongs to user 0, not to you (1000)), so Servicing Desk does not use it; run `chown 1000 '/home/u/.sd'`, then start it again.",
    )
    expect(await refusal(posix(() => st(0o40720, 0)))).toBe(
      "Others can change the data folder /home/u/.sd (it belongs to user 0, not to you (1000); its group may create files in it (mode 0720)), so Servicing Desk does not use it; run `chown 1000 '/home/u/.sd' && chmod go-w '/home/u/.sd'`, then start it again.",
    )
    // An unknown user (-1, no geteuid) does not judge the owner; uid 0 does.
    expect(await posix(() => st(0o40700, 5), { uid: -1 })).toEqual({ created: false, checked: 'posix' })
    expect(await refusal(posix(() => st(0o40700, 5), { uid: 0 }))).toMatch(/belongs to user 5, not to you \(0\)/)
  })

  it('not a folder, unreadable, or not creatable: left to the writes (no refusal here)', async () => {
    expect(await posix(() => st(0o100666, 0, false))).toEqual({ created: false, checked: 'posix' })
    expect(
      await posix(() => {
        throw errno('EACCES')
      }),
    ).toEqual({ created: false, checked: 'posix' })
    let made = 0
    expect(
      await posix(
        () => {
          throw errno('ENOENT')
        },
        {
          mkdir: () => {
            made++
            throw errno('EROFS')
          },
        },
      ),
    ).toEqual({ created: false, checked: 'posix' })
    expect(made).toBe(1)
    expect(
      await posix(
        () => {
          throw errno('ENOTDIR')
        },
        {
          mkdir: () => {
            made++
          },
        },
      ),
    ).toEqual({ created: true, checked: 'posix' })
    expect(made).toBe(2)
  })

  it('the real file system (the module loaded afresh: its file-system object is a module constant): a missing nested folder is created mode 0700 and passes', async () => {
    vi.resetModules()
    const { guardDataDir } = await import('../../../main/security/data-dir-guard.ts')
    const dir = join(tempDirSync('sd-ddg-'), 'a', 'b')
    expect(await guardDataDir({ dir, platform: 'linux' })).toEqual({ created: true, checked: 'posix' })
    expect(statSync(dir).mode & 0o7777).toBe(0o700)
    expect(await guardDataDir({ dir, platform: 'linux' })).toEqual({ created: false, checked: 'posix' })
  })

  it('created, then judged: a folder that comes out writable by others is refused; one that cannot be read back is left to the writes', async () => {
    let exists = false
    const stat = () => {
      if (!exists) throw errno('ENOENT')
      return st(0o40777)
    }
    expect(
      await refusal(
        guardDataDir({
          dir: '/d',
          platform: 'linux',
          uid: 1000,
          fs: {
            lstat: stat,
            stat,
            mkdir: () => {
              exists = true
            },
            readdir: () => [],
          },
        }),
      ),
    ).toMatch(/mode 0777/)
    let calls = 0
    const flaky = () => {
      calls++
      throw errno('ENOENT')
    }
    expect(
      await guardDataDir({
        dir: '/d',
        platform: 'darwin',
        uid: 1000,
        fs: { lstat: flaky, stat: flaky, mkdir: () => {}, readdir: () => [] },
      }),
    ).toEqual({ created: true, checked: 'posix' })
    expect(calls).toBe(2)
  })
})
