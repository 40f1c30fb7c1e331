/**
 * The data folder belongs to the app. The SDDL reader (main/security/sddl.ts) on real Get-Acl
 * output (test/fixtures/acl) and on hostile text, the Windows guard through a scripted Host (the argv it
 * sends, what it refuses), and the POSIX guard on real folders. Every table asserts how many cases ran.
 */
import { describe, it, expect } from 'vitest'
import { chmodSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { loadFixture } from '../../fixtures/load.ts'
import { SddlError, judgeDataDirAcl, parseSddl, sddlFromGetAclList } from '../../../main/security/sddl.ts'
import { DataDirRefused, guardDataDir, readAclSpec, setAclSpecs } from '../../../main/security/data-dir-guard.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { hangMs } from '../../load.ts'

const fixture = (name: string) => sddlFromGetAclList(loadFixture(`acl/${name}`).text)

describe('SDDL from real Get-Acl output', () => {
  it('a folder under ProgramData with its inherited ACL: Users may create files and folders → refused', () => {
    const [sddl] = fixture('getacl-programdata-subfolder.txt')
    const sd = parseSddl(sddl)
    expect(sd.owner).toBe('S-1-5-32-544')
    expect(sd.group).toBe('DU')
    expect(sd.dacl).toHaveLength(5)
    const v = judgeDataDirAcl(sd)
    expect(v.ok).toBe(false)
    expect(v.others).toEqual(['S-1-5-32-545'])
    expect(v.problems.join(' ')).toMatch(/Users \(S-1-5-32-545\) may create or change files in it/)
  })

  it('an administrator-only profile folder, before and after a domain user was granted FullControl', () => {
    const [before, after] = fixture('getacl-user-profile-admin-only.txt')
    expect(judgeDataDirAcl(parseSddl(before)).others).toEqual(['LA'])
    const v = judgeDataDirAcl(parseSddl(after))
    expect(v.ownerOk).toBe(true)
    expect(v.others).toEqual(['LA', 'S-1-5-21-3750359090-2939318659-876128439-1103'])
  })

  it('a Format-List value wrapped across lines (even inside a SID) is joined before it is read', () => {
    const [sddl] = fixture('getacl-registry-wrapped.txt')
    expect(
      sddl.endsWith(
        '(A;CIID;KR;;;S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681)',
      ),
    ).toBe(true)
    const sd = parseSddl(sddl)
    expect(sd.dacl).toHaveLength(7)
    // (A registry key's rights are not a folder's, so only the form is checked here: Authenticated Users have KEY_ALL_ACCESS.)
    expect(sd.dacl !== 'null' && sd.dacl?.[0]).toMatchObject({
      type: 'A',
      sid: 'S-1-5-11',
      mask: 0xf003f,
      flags: ['OI', 'CI'],
    })
    expect(sd.dacl !== 'null' && sd.dacl?.[6].sid).toBe(
      'S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681',
    )
  })
})

describe('SDDL judged: who may change the folder', () => {
  const SECURE = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'
  const cases: { sddl: string; ok: boolean; why?: RegExp }[] = [
    { sddl: SECURE, ok: true },
    { sddl: 'O:SYG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)', ok: true }, // Users may read and list, not change
    {
      sddl: 'O:BAD:P(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)(A;OICI;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)',
      ok: true,
    },
    { sddl: 'O:BAD:P(A;OICI;FA;;;BA)(A;OICIIO;GW;;;BU)', ok: false, why: /Users/ }, // inherit-only: what is created in it
    { sddl: 'O:BAD:P(A;OICI;FA;;;BA)(A;;0x4;;;BU)', ok: false, why: /Users/ }, // may add subfolders
    { sddl: 'O:BAD:P(A;OICI;FA;;;BA)(A;;WD;;;IU)', ok: false, why: /INTERACTIVE/ }, // WRITE_DAC
    { sddl: 'O:BAD:P(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;AU)', ok: false, why: /Authenticated Users/ },
    { sddl: 'O:BAD:P(A;OICI;FA;;;BA)(A;OICI;GA;;;WD)', ok: false, why: /Everyone/ },
    { sddl: 'O:BAD:P(D;OICI;FA;;;BU)(A;OICI;FA;;;BU)(A;OICI;FA;;;BA)', ok: false, why: /Users/ }, // a deny is not credited
    { sddl: 'O:BAD:P(A;OICI;FA;;;BA)(XA;OICI;FA;;;WD;(Member_of {SID(BA)}))', ok: false, why: /Everyone/ }, // conditional ACE
    {
      sddl: 'O:S-1-5-21-1004336348-1177238915-682003330-1001D:P(A;OICI;FA;;;BA)',
      ok: false,
      why: /owned by S-1-5-21-1004336348/,
    },
    { sddl: 'O:BUD:P(A;OICI;FA;;;BA)', ok: false, why: /owned by Users/ },
    { sddl: 'O:BAD:NO_ACCESS_CONTROL', ok: false, why: /no access list/ },
    { sddl: 'O:BAG:SY', ok: false, why: /no access list/ },
    { sddl: 'D:P(A;OICI;FA;;;BA)', ok: false, why: /owner could not be read/ },
  ]
  it(`${cases.length} descriptors`, () => {
    let ran = 0
    for (const c of cases) {
      const v = judgeDataDirAcl(parseSddl(c.sddl))
      expect(v.ok, c.sddl).toBe(c.ok)
      if (c.why) expect(v.problems.join('; '), c.sddl).toMatch(c.why)
      ran++
    }
    expect(ran).toBe(15)
  })

  const hostile: string[] = [
    '',
    '   ',
    '\uFEFF',
    'x',
    'O:',
    'O:BAD:P(A;OICI;FA;;;S-1-5-X)',
    'O:BAG:SYD:(A;;FA;;;)',
    'O:BAD:(A;;FA;;;SY',
    'O:BAD:(Q;;FA;;;SY)',
    'O:BAD:(A;ZZ;FA;;;SY)',
    'O:BAD:(A;;QQ;;;SY)',
    'O:XXD:(A;;FA;;;SY)',
    'O:BAO:BAD:',
    'O:BAD:(A;;FA;;;SY)junk',
    'O:BAD:(A;;FA)',
    '\u0000',
    'Access is denied.',
    'Get-Acl : Attempted to perform an unauthorized operation.',
    // icacls text, English and German (names, not SIDs): not SDDL, so never taken as safe
    'C:\\ProgramData\\ServicingDesk NT AUTHORITY\\SYSTEM:(OI)(CI)(F)',
    'C:\\ProgramData\\ServicingDesk VORDEFINIERT\\Administratoren:(OI)(CI)(F)',
    'O:BAG:SYD:PAI(A;OICI;FA;;;SY)\r\n(A;OICI;FA;;;WD)',
    `O:BAG:SYD:PAI(A;OICI;FA;;;SY)${'(A;OICI;FA;;;BA)'.repeat(5000)}`,
  ]
  it(`${hostile.length} hostile or foreign outputs: an SddlError with the reason, never a verdict`, () => {
    let ran = 0
    for (const h of hostile) {
      expect(() => parseSddl(h), JSON.stringify(h.slice(0, 60))).toThrow(SddlError)
      ran++
    }
    expect(ran).toBe(22)
    expect(() => parseSddl(undefined as unknown as string)).toThrow(SddlError)
  })
})

/** A Host that answers Get-Acl with a given SDDL and icacls with success, and records every spec. */
function scriptedHost(sddl: () => string, log: CommandSpec[], fail: string[] = []): Host {
  const result = (spec: CommandSpec, stdout: string, ok: boolean): CommandResult => ({
    name: spec.name,
    exitCode: ok ? 0 : 5,
    stdout,
    stderr: ok ? '' : 'Access is denied.',
    ok,
    timedOut: false,
    cancelled: false,
    truncated: false,
    durationMs: 1,
    commandLine: spec.file,
  })
  return {
    info: () => ({ kind: 'this-pc', name: 'PC', title: 'PC', processArch: 'x64', elevated: true }),
    run: async (spec) => {
      log.push(spec)
      const ok = !fail.includes(spec.name)
      return result(spec, spec.name === 'datadir.get-acl' && ok ? `${sddl()}\r\n` : '', ok)
    },
    openRead: async () => {
      throw new Error('no')
    },
    listDir: async () => [],
    exists: async () => false,
  }
}

/** An in-memory folder for the Windows guard (the real fs is Linux here). */
function fakeFs(state: { exists: boolean; link?: boolean; entries?: string[] }) {
  const dirStats = { isSymbolicLink: () => Boolean(state.link), isDirectory: () => true } as unknown as Stats
  return {
    lstat: () => {
      if (!state.exists) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
      return dirStats
    },
    stat: () => dirStats,
    mkdir: () => {
      state.exists = true
    },
    readdir: () => state.entries ?? [],
  }
}

describe('Windows data folder guard (scripted Host)', () => {
  const DIR = 'C:\\ProgramData\\ServicingDesk'
  const SECURE = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'

  it('a missing folder is created with SYSTEM + Administrators only (owner Administrators), then read back', async () => {
    const log: CommandSpec[] = []
    const r = await guardDataDir({
      dir: DIR,
      platform: 'win32',
      elevated: true,
      host: scriptedHost(() => SECURE, log),
      fs: fakeFs({ exists: false }),
    })
    expect(r).toEqual({ created: true, checked: 'acl' })
    expect(log.map((s) => [s.file, ...s.args.slice(0, s.file === 'icacls.exe' ? 99 : 0)])).toEqual([
      ['icacls.exe', DIR, '/setowner', '*S-1-5-32-544', '/T', '/C', '/L', '/Q'],
      ['icacls.exe', DIR, '/inheritance:r', '/grant:r', '*S-1-5-18:(OI)(CI)F', '*S-1-5-32-544:(OI)(CI)F', '/Q'],
      ['powershell.exe'],
    ])
    expect(decodePowerShellScript(log[2].args)).toBe(`(Get-Acl -LiteralPath '${DIR}').Sddl`)
  })

  it("a folder with ProgramData's inherited ACL (real Get-Acl output) is refused with the icacls commands that fix it", async () => {
    const [inherited] = fixture('getacl-programdata-subfolder.txt')
    const log: CommandSpec[] = []
    const err = await guardDataDir({
      dir: DIR,
      platform: 'win32',
      elevated: true,
      host: scriptedHost(() => inherited, log),
      fs: fakeFs({ exists: true }),
    }).catch((e) => e)
    expect(err).toBeInstanceOf(DataDirRefused)
    expect(err.message).toBe(
      `Others can change the data folder ${DIR} (Users (S-1-5-32-545) may create or change files in it), so Servicing Desk does not use it; as administrator run \`icacls ${DIR} /setowner *S-1-5-32-544 /T /C /L /Q\`, \`icacls ${DIR} /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" /remove:g *S-1-5-32-545 /Q\` and \`icacls ${DIR}\\* /reset /T /C /L /Q\`, then start it again.`,
    )
    expect(log.map((s) => s.name)).toEqual(['datadir.get-acl']) // an existing folder is never changed without the person
  })

  const refusals: {
    name: string
    opts: Partial<Parameters<typeof guardDataDir>[0]>
    fs: Parameters<typeof fakeFs>[0]
    says: RegExp
    sddl?: string
    fail?: string[]
  }[] = [
    {
      name: 'missing, not elevated',
      opts: { elevated: false },
      fs: { exists: false },
      says: /does not exist yet; start Servicing Desk once as administrator/,
    },
    { name: 'a junction', opts: {}, fs: { exists: true, link: true }, says: /is a link \(or junction\)/ },
    {
      name: 'something planted before the ACL was set',
      opts: {},
      fs: { exists: false, entries: ['journals'] },
      says: /journals appeared in it before its access list was set/,
    },
    {
      name: 'icacls fails',
      opts: {},
      fs: { exists: false },
      says: /its access list could not be set \(\/setowner \*S-1-5-32-544: exit 5: Access is denied\.\)/,
      fail: ['datadir.set-owner'],
    },
    {
      name: 'Get-Acl fails elevated',
      opts: {},
      fs: { exists: true },
      says: /could not be read \(exit 5: Access is denied\.\)/,
      fail: ['datadir.get-acl'],
    },
    {
      name: 'Get-Acl prints garbage',
      opts: {},
      fs: { exists: true },
      says: /could not be read \('garbage' is not a security descriptor\)/,
      sddl: 'garbage',
    },
    {
      name: 'owned by a standard user (a squatter made it first)',
      opts: {},
      fs: { exists: true },
      says: /owned by S-1-5-21-1-2-3-1001, who may always change its permissions/,
      sddl: 'O:S-1-5-21-1-2-3-1001D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)',
    },
    { name: 'no Host', opts: { host: null }, fs: { exists: true }, says: /cannot be checked without this PC's Host/ },
  ]
  it(`${refusals.length} refusals, each one sentence`, async () => {
    let ran = 0
    for (const c of refusals) {
      const log: CommandSpec[] = []
      const host = scriptedHost(() => c.sddl ?? SECURE, log, c.fail)
      const err = await guardDataDir({
        dir: DIR,
        platform: 'win32',
        elevated: true,
        host,
        fs: fakeFs(c.fs),
        ...c.opts,
      }).catch((e) => e)
      expect(err, c.name).toBeInstanceOf(DataDirRefused)
      expect(err.message, c.name).toMatch(c.says)
      expect(err.message.split(/(?<=\.) (?=[A-Z])/).length, `${c.name}: one sentence`).toBe(1)
      ran++
    }
    expect(ran).toBe(8)
  })

  it('not elevated, an existing folder whose ACL this account may not even read: used (nothing in it is readable here), said so', async () => {
    const log: CommandSpec[] = []
    const r = await guardDataDir({
      dir: DIR,
      platform: 'win32',
      elevated: false,
      host: scriptedHost(() => SECURE, log, ['datadir.get-acl']),
      fs: fakeFs({ exists: true }),
    })
    expect(r).toEqual({ created: false, checked: 'acl-unreadable' })
    expect(log.map((s) => s.name)).toEqual(['datadir.get-acl'])
  })

  it('the argv never passes through a shell: a path with quotes, spaces and & stays one argument', () => {
    const dir = 'D:\\Data & "x"\\Servicing Desk'
    expect(setAclSpecs(dir)[0].args[0]).toBe(dir)
    expect(decodePowerShellScript(readAclSpec("D:\\it's")!.args)).toBe("(Get-Acl -LiteralPath 'D:\\it''s').Sddl")
    expect(() => readAclSpec('C:\\a\nb')).toThrow(/control character/)
  })
})

describe('POSIX data folder guard (real folders)', () => {
  it('a missing folder is created mode 0700; an own 0700/0755 folder passes', async () => {
    const base = tempDirSync('sd-dd-')
    const dir = join(base, 'data')
    expect(await guardDataDir({ dir, platform: 'linux' })).toEqual({ created: true, checked: 'posix' })
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    chmodSync(dir, 0o755)
    expect(await guardDataDir({ dir, platform: 'linux' })).toEqual({ created: false, checked: 'posix' })
  })

  it('writable by group or others, or another owner: refused with the chmod/chown that fixes it (4 cases)', async () => {
    const dir = tempDirSync('sd-dd-')
    let ran = 0
    for (const [mode, says] of [
      [0o775, /its group may create files in it \(mode 0775\).*chmod go-w/],
      [0o757, /its group and everyone may create files in it|everyone/],
      [0o1777, /mode 1777/],
    ] as const) {
      chmodSync(dir, mode)
      await expect(guardDataDir({ dir, platform: 'linux' })).rejects.toThrow(says)
      ran++
    }
    chmodSync(dir, 0o700)
    const other = (process.geteuid?.() ?? 0) + 4242
    await expect(guardDataDir({ dir, platform: 'linux', uid: other })).rejects.toThrow(
      new RegExp(`belongs to user \\d+, not to you \\(${other}\\).*chown ${other}`),
    )
    ran++
    expect(ran).toBe(4)
  })

  it('a data folder path under a file or a link to a folder: left to the writes (they say why), or refused as a link (never judged at its target)', async () => {
    const base = tempDirSync('sd-dd-')
    writeFileSync(join(base, 'file'), 'x')
    expect(await guardDataDir({ dir: join(base, 'file', 'data'), platform: 'linux' })).toEqual({
      created: false,
      checked: 'posix',
    })
    mkdirSync(join(base, 'target'), { mode: 0o777 })
    chmodSync(join(base, 'target'), 0o777)
    symlinkSync(join(base, 'target'), join(base, 'link'))
    await expect(guardDataDir({ dir: join(base, 'link'), platform: 'linux' })).rejects.toThrow(
      /is a link to somewhere else/,
    )
    expect(existsSync(join(base, 'file', 'data'))).toBe(false)
  })
})

describe('the CLI checks the data folder at every start', () => {
  it('a data folder others can write: exit 1 with one sentence, nothing else runs; made private again, the same command works', {
    timeout: hangMs(600_000),
  }, async () => {
    const { runCli } = await import('../cli-child.ts')
    const home = tempDirSync('sd-dd-cli-')
    chmodSync(home, 0o777)
    const bad = await runCli(home, ['machines', '--json'])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr.trim()).toBe(
      `servicing-desk: Others can change the data folder ${home} (its group and everyone may create files in it (mode 0777)), so Servicing Desk does not use it; run \`chmod go-w '${home}'\`, then start it again.`,
    )
    chmodSync(home, 0o700)
    const good = await runCli(home, ['machines', '--json'])
    expect(good.code, good.stderr).toBe(0)
    expect(JSON.parse(good.stdout).machines.length).toBeGreaterThan(0)
  })
})
