/**
 * The data-folder guard judges the real folder (a link at its name is refused, never followed to a target
 * that looks private) and the folders above it (another account that may rename entries in a parent can swap
 * the data folder for its own between two checks). On Windows no folder above it may be a junction, and the
 * icacls commands it suggests also reset every existing child to the folder's inherited ACL.
 */
import { describe, it, expect } from 'vitest'
import { chmodSync, mkdirSync, symlinkSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import {
  DataDirRefused,
  fixCommandLines,
  guardDataDir,
  resetChildrenSpec,
} from '../../../main/security/data-dir-guard.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'
import { tempDirSync } from '../temp-dirs.ts'

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof DataDirRefused ? e.message : `other: ${String(e)}`),
  )

describe('POSIX: the real path and its parents', () => {
  it("a link at the data folder's name is refused even when its target is private (0700, ours)", async () => {
    const base = tempDirSync('sd-ddr-')
    const target = join(base, 'private')
    mkdirSync(target, { mode: 0o700 })
    chmodSync(target, 0o700)
    symlinkSync(target, join(base, 'data'))
    expect(await refusal(guardDataDir({ dir: join(base, 'data'), platform: 'linux' }))).toMatch(
      /^The data folder .*data is a link to somewhere else/,
    )
    // The folder itself passes.
    expect(await guardDataDir({ dir: target, platform: 'linux' })).toEqual({ created: false, checked: 'posix' })
  })

  it('a parent others may write without the sticky bit is refused; with it (as /tmp) it passes', async () => {
    const base = tempDirSync('sd-ddr-')
    const parent = join(base, 'shared')
    mkdirSync(parent)
    chmodSync(parent, 0o777)
    expect(await refusal(guardDataDir({ dir: join(parent, 'data'), platform: 'linux' }))).toMatch(
      /^The folder .*shared above the data folder .* is not safe \(others may rename what is in it \(mode 0777, no sticky bit\)\)/,
    )
    chmodSync(parent, 0o1777)
    expect(await guardDataDir({ dir: join(parent, 'data'), platform: 'linux' })).toEqual({
      created: false,
      checked: 'posix',
    })
  })

  it('a parent owned by another user is refused (injected file system)', async () => {
    const st = (uid: number) =>
      ({ mode: 0o40755, uid, isDirectory: () => true, isSymbolicLink: () => false }) as unknown as Stats
    const fs = {
      lstat: (p: string) => st(p === '/srv/x' ? 4242 : p === '/srv/x/data' ? 1000 : 0),
      stat: () => st(0),
      mkdir: () => {},
      readdir: () => [],
      realpath: (p: string) => p,
    }
    expect(await refusal(guardDataDir({ dir: '/srv/x/data', platform: 'linux', uid: 1000, fs }))).toMatch(
      /^The folder \/srv\/x above the data folder \/srv\/x\/data is not safe \(it belongs to user 4242\)/,
    )
  })

  it('a link ABOVE the folder is resolved and its real target judged (a safe target passes)', async () => {
    const base = tempDirSync('sd-ddr-')
    const real = join(base, 'real')
    mkdirSync(real, { mode: 0o755 })
    symlinkSync(real, join(base, 'alias'))
    expect(await guardDataDir({ dir: join(base, 'alias', 'data'), platform: 'linux' })).toEqual({
      created: true,
      checked: 'posix',
    })
    chmodSync(real, 0o777)
    expect(await refusal(guardDataDir({ dir: join(base, 'alias', 'data'), platform: 'linux' }))).toMatch(
      /real above the data folder .* not safe/,
    )
  })
})

describe('Windows: junctions above the folder, and the reset of every child', () => {
  const DIR = 'C:\\ProgramData\\ServicingDesk'
  const host: Host = {
    info: () => ({ kind: 'this-pc', name: 'PC', title: 'PC', processArch: 'x64', elevated: true }),
    run: async (spec: CommandSpec): Promise<CommandResult> => ({
      name: spec.name,
      exitCode: 0,
      stdout: 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)\r\n',
      stderr: '',
      ok: true,
      timedOut: false,
      cancelled: false,
      truncated: false,
      durationMs: 1,
      commandLine: spec.file,
    }),
    openRead: async () => {
      throw new Error('no')
    },
    listDir: async () => [],
    exists: async () => false,
  }
  const dirStats = (link: boolean) => ({ isSymbolicLink: () => link, isDirectory: () => true }) as unknown as Stats

  it('C:\\ProgramData as a junction is refused before anything runs; a plain path passes', async () => {
    const fs = (linked: string | null) => ({
      lstat: (p: string) => dirStats(p === linked),
      stat: () => dirStats(false),
      mkdir: () => {},
      readdir: () => [],
    })
    expect(
      await refusal(guardDataDir({ dir: DIR, platform: 'win32', elevated: true, host, fs: fs('C:\\ProgramData') })),
    ).toBe(
      `The folder C:\\ProgramData above the data folder ${DIR} is a link (or junction) to somewhere else, so Servicing Desk does not use the data folder: use a data folder on a path without links.`,
    )
    expect(await guardDataDir({ dir: DIR, platform: 'win32', elevated: true, host, fs: fs(null) })).toEqual({
      created: false,
      checked: 'acl',
    })
  })

  it('the suggested commands end with icacls DIR\\* /reset /T /C /L /Q (explicit ACEs on existing children removed)', () => {
    const lines = fixCommandLines(DIR, ['S-1-5-32-545'])
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe(`icacls ${DIR}\\* /reset /T /C /L /Q`)
    expect(resetChildrenSpec(`${DIR}\\`)).toMatchObject({
      file: 'icacls.exe',
      args: [`${DIR}\\*`, '/reset', '/T', '/C', '/L', '/Q'],
    })
    expect(fixCommandLines('D:\\My Data')[2]).toBe('icacls "D:\\My Data\\*" /reset /T /C /L /Q')
  })
})
