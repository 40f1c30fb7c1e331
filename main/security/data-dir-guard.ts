/**
 * The data folder belongs to the app: checked at every start of the app and the CLI.
 *
 * Plans, journals, kits and training state in the data folder decide what the elevated program does, so
 * a folder that others can write is a way for them to act as administrator. On Windows the folder
 * (%ProgramData%\ServicingDesk, which by default inherits "Users may create files and folders" from
 * ProgramData) is created with an access list of SYSTEM and Administrators only, owner Administrators, and
 * is checked at every start: owner Administrators or SYSTEM, and no grant that lets anyone else create or
 * change anything in it (read through the Host: `(Get-Acl -LiteralPath …).Sddl`, judged by sddl.ts). A
 * folder that fails is refused with one sentence naming the icacls commands that fix it. The commands use
 * well-known SIDs (*S-1-5-18 SYSTEM, *S-1-5-32-544 Administrators), so they work in every language.
 *
 * Elsewhere (Linux, macOS: the CLI and the app with training machines, never elevated by us) the POSIX
 * equivalent holds: the folder is created mode 0700 and refused when it is owned by another user or
 * writable by its group or by others (the fix: chmod go-w / chown). It is the same rule for a different
 * threat: another account of the machine planting a plan or a journal in someone's data folder.
 */
import { lstatSync, mkdirSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs'
import { posix as posixPath, win32 as winPath } from 'node:path'
import type { CommandSpec, Host } from '../host/host.ts'
import { powershellSpec } from '../host/powershell.ts'
import { psLiteral } from '../host/powershell-text.ts'
import { ADMINISTRATORS_SID, SYSTEM_SID, SddlError, judgeDataDirAcl, parseSddl } from './sddl.ts'

export class DataDirRefused extends Error {
  readonly code = 'forbidden'
}

/** `(Get-Acl -LiteralPath DIR).Sddl`: one line of SDDL. */
export function readAclSpec(dir: string): CommandSpec {
  return powershellSpec('datadir.get-acl', `(Get-Acl -LiteralPath ${psLiteral(dir)}).Sddl`, 60_000, {
    maxOutputBytes: 256 * 1024,
  })
}

/**
 * The two icacls commands that give a folder its ACL (icacls docs, learn.microsoft.com
 * windows-commands/icacls: `/setowner` is its own form; `/inheritance:r` removes inherited entries,
 * `/grant:r` replaces the named SIDs' explicit grants, `/remove:g` removes others' explicit grants; a SID
 * is written with a leading `*`). `/T /C` also give existing contents the owner; `/L` gives a link (a junction planted
 * inside) the owner itself, not its target, so nothing outside the folder is given to Administrators (the docs: /L
 * "performs the operation on a symbolic link itself versus its target"); `/Q` keeps it quiet.
 */
export function setAclSpecs(dir: string, removeSids: readonly string[] = []): CommandSpec[] {
  const remove = removeSids.filter((s) => /^S-1-[\d-]+$/.test(s))
  return [
    {
      name: 'datadir.set-owner',
      file: 'icacls.exe',
      args: [dir, '/setowner', `*${ADMINISTRATORS_SID}`, '/T', '/C', '/L', '/Q'],
      timeoutMs: 10 * 60_000,
      outputEncoding: 'console',
    },
    {
      name: 'datadir.set-acl',
      file: 'icacls.exe',
      args: [
        dir,
        '/inheritance:r',
        '/grant:r',
        `*${SYSTEM_SID}:(OI)(CI)F`,
        `*${ADMINISTRATORS_SID}:(OI)(CI)F`,
        ...(remove.length ? ['/remove:g', ...remove.map((s) => `*${s}`)] : []),
        '/Q',
      ],
      timeoutMs: 10 * 60_000,
      outputEncoding: 'console',
    },
  ]
}

/**
 * `icacls DIR\* /reset /T /C /L /Q`: every file and folder already inside gets the default inherited ACL again,
 * so explicit grants left on existing subfolders (a planted `plans\` that Users may write) are removed and only
 * what the folder itself grants applies (icacls docs: `/reset` "replaces ACLs with default inherited ACLs for
 * all matching files"; `/T` recurses; `/L` acts on a link itself, not its target; a `*` names the folder's
 * contents, as in the docs' `icacls c:\windows\* /save … /t`). Not run on a folder just created (it is empty).
 */
export function resetChildrenSpec(dir: string): CommandSpec {
  return {
    name: 'datadir.reset-children',
    file: 'icacls.exe',
    args: [`${dir.replace(/[\\/]+$/, '')}\\*`, '/reset', '/T', '/C', '/L', '/Q'],
    timeoutMs: 10 * 60_000,
    outputEncoding: 'console',
  }
}

/** The commands as a person types them in an administrator prompt (owner, the folder's ACL, then every child's). */
export function fixCommandLines(dir: string, removeSids: readonly string[] = []): string[] {
  return [...setAclSpecs(dir, removeSids), resetChildrenSpec(dir)].map((s) =>
    ['icacls', ...s.args].map((a) => (/[\s()"&|<>^]/.test(a) ? `"${a}"` : a)).join(' '),
  )
}

export interface GuardOptions {
  dir: string
  platform: NodeJS.Platform
  /** This PC's Host on Windows (runs Get-Acl and icacls); unused elsewhere. */
  host?: Host | null
  /** Whether the process runs with administrator rights (Windows). */
  elevated?: boolean
  /** POSIX: the user the folder must belong to (default process.geteuid()). */
  uid?: number
  /** POSIX: the primary group (unused; kept for the message). */
  fs?: {
    lstat: (p: string) => Stats
    stat: (p: string) => Stats
    mkdir: (p: string) => void
    readdir: (p: string) => string[]
    realpath?: (p: string) => string
  }
}

const realFs = {
  lstat: (p: string) => lstatSync(p),
  stat: (p: string) => statSync(p),
  mkdir: (p: string) => {
    mkdirSync(p, { recursive: true, mode: 0o700 })
  },
  readdir: (p: string) => readdirSync(p),
  realpath: (p: string) => realpathSync.native(p),
}

/** The folders above `dir`, nearest first, up to the root. */
function ancestorsOf(dir: string, path: typeof posixPath): string[] {
  const out: string[] = []
  let cur = path.resolve(dir)
  for (let p = path.dirname(cur); p !== cur; cur = p, p = path.dirname(p)) out.push(p)
  return out
}

/**
 * Windows: no folder above the data folder may be a link or junction (it would let whoever controls its target
 * put another folder at the data folder's name). A missing one is fine (the folder is created with its own ACL).
 */
function refuseLinkedAncestor(dir: string, fs: NonNullable<GuardOptions['fs']>): void {
  for (const a of ancestorsOf(dir, winPath as unknown as typeof posixPath)) {
    let st: Stats
    try {
      st = fs.lstat(a)
    } catch {
      continue
    }
    if (st.isSymbolicLink())
      throw new DataDirRefused(
        `The folder ${a} above the data folder ${dir} is a link (or junction) to somewhere else, so Servicing Desk does not use the data folder: use a data folder on a path without links.`,
      )
  }
}

function missing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/** Creates the data folder when it is missing (with its ACL or mode) and refuses one others can change. */
export async function guardDataDir(
  o: GuardOptions,
): Promise<{ created: boolean; checked: 'acl' | 'acl-unreadable' | 'posix' }> {
  return o.platform === 'win32' ? guardWindows(o) : guardPosix(o)
}

async function guardWindows(o: GuardOptions): Promise<{ created: boolean; checked: 'acl' | 'acl-unreadable' }> {
  const fs = o.fs ?? realFs
  const host = o.host
  if (!host)
    throw new DataDirRefused(
      `The data folder ${o.dir} cannot be checked without this PC's Host, so Servicing Desk does not use it.`,
    )
  let exists = true
  try {
    const st = fs.lstat(o.dir)
    if (st.isSymbolicLink() || !st.isDirectory())
      throw new DataDirRefused(
        `The data folder ${o.dir} is ${st.isSymbolicLink() ? 'a link (or junction) to somewhere else' : 'not a folder'}, so Servicing Desk does not use it: remove it as administrator and start Servicing Desk again as administrator.`,
      )
  } catch (err) {
    if (err instanceof DataDirRefused) throw err
    if (!missing(err))
      throw new DataDirRefused(
        `The data folder ${o.dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}), so Servicing Desk does not use it.`,
      )
    exists = false
  }
  refuseLinkedAncestor(o.dir, fs)
  let created = false
  if (!exists) {
    if (!o.elevated)
      throw new DataDirRefused(
        `The data folder ${o.dir} does not exist yet; start Servicing Desk once as administrator, so it creates the folder with access for SYSTEM and Administrators only.`,
      )
    try {
      fs.mkdir(o.dir)
    } catch (err) {
      throw new DataDirRefused(
        `The data folder ${o.dir} could not be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      )
    }
    for (const spec of setAclSpecs(o.dir)) {
      const r = await host.run(spec)
      if (!r.ok)
        throw new DataDirRefused(
          `The data folder ${o.dir} was created, but its access list could not be set (${spec.args.slice(1, 3).join(' ')}: exit ${r.exitCode}${firstLine(r.stderr || r.stdout)}), so Servicing Desk does not use it.`,
        )
    }
    // Anything that appeared between the creation and the ACL came from someone else.
    let entries: string[] = []
    try {
      entries = fs.readdir(o.dir)
    } catch {
      entries = []
    }
    if (entries.length)
      throw new DataDirRefused(
        `The data folder ${o.dir} was just created, but ${entries.slice(0, 3).join(', ')} appeared in it before its access list was set, so Servicing Desk does not use it: remove the folder as administrator and start again.`,
      )
    created = true
  }
  const r = await host.run(readAclSpec(o.dir))
  if (!r.ok) {
    // Not elevated and the ACL cannot even be read: the folder is closed to this account (as it should be for a
    // standard user), so nothing this process reads came from it; every write says why in one sentence, and
    // the next elevated start checks it. Elevated, an unreadable ACL is a refusal.
    if (!o.elevated) return { created, checked: 'acl-unreadable' }
    throw new DataDirRefused(
      `The access list of the data folder ${o.dir} could not be read (exit ${r.exitCode}${firstLine(r.stderr)}), so Servicing Desk does not use it.`,
    )
  }
  judgeOrRefuse(o.dir, r.stdout)
  return { created, checked: 'acl' }
}

/** Throws DataDirRefused unless `sddl` (Get-Acl's output) is an access list for SYSTEM and Administrators only. */
export function judgeOrRefuse(dir: string, sddl: string): void {
  let sd: ReturnType<typeof parseSddl>
  try {
    sd = parseSddl(sddl)
  } catch (err) {
    if (!(err instanceof SddlError)) throw err
    throw new DataDirRefused(
      `The access list of the data folder ${dir} could not be read (${err.message}), so Servicing Desk does not use it.`,
    )
  }
  const v = judgeDataDirAcl(sd)
  if (v.ok) return
  const fix = fixCommandLines(
    dir,
    v.others.filter((s) => s.startsWith('S-1-')),
  )
  throw new DataDirRefused(
    `Others can change the data folder ${dir} (${v.problems.join('; ')}), so Servicing Desk does not use it; as administrator run \`${fix[0]}\`, \`${fix[1]}\` and \`${fix[2]}\`, then start it again.`,
  )
}

function firstLine(s: string): string {
  const l = s
    .split(/\r?\n/)
    .map((x) => x.trim())
    .find(Boolean)
  return l ? `: ${l.slice(0, 200)}` : ''
}

function guardPosix(o: GuardOptions): { created: boolean; checked: 'posix' } {
  const fs = o.fs ?? realFs
  let st: Stats
  let created = false
  // lstat, never stat: the folder itself is judged, not what a link at its name points to.
  try {
    st = fs.lstat(o.dir)
  } catch (err) {
    if (!missing(err)) return { created, checked: 'posix' } // unreadable: the first write says why in one sentence
    try {
      fs.mkdir(o.dir)
    } catch {
      return { created, checked: 'posix' }
    } // e.g. under a file or read-only: the writes say so
    created = true
    try {
      st = fs.lstat(o.dir)
    } catch {
      return { created, checked: 'posix' }
    }
  }
  if (st.isSymbolicLink())
    throw new DataDirRefused(
      `The data folder ${o.dir} is a link to somewhere else, so Servicing Desk does not use it: remove the link (\`rm '${o.dir}'\`), then start it again.`,
    )
  if (!st.isDirectory()) return { created, checked: 'posix' } // a file: every write names it (atomic-write.ts)
  const uid = o.uid ?? (typeof process.geteuid === 'function' ? process.geteuid() : -1)
  const problems: string[] = []
  const fixes: string[] = []
  if (uid >= 0 && st.uid !== uid) {
    problems.push(`it belongs to user ${st.uid}, not to you (${uid})`)
    fixes.push(`chown ${uid} '${o.dir}'`)
  }
  if ((st.mode & 0o022) !== 0) {
    problems.push(
      `its group${st.mode & 0o002 ? ' and everyone' : ''} may create files in it (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')})`,
    )
    fixes.push(`chmod go-w '${o.dir}'`)
  }
  if (problems.length)
    throw new DataDirRefused(
      `Others can change the data folder ${o.dir} (${problems.join('; ')}), so Servicing Desk does not use it; run \`${fixes.join(' && ')}\`, then start it again.`,
    )
  refuseOpenAncestor(o.dir, uid, fs)
  return { created, checked: 'posix' }
}

/**
 * POSIX: every folder above the data folder's real path (links above it resolved, the folder itself never) must
 * belong to root or to us, and may be writable by others only with the sticky bit (as /tmp): otherwise another
 * account can rename the data folder away and put its own (or a link) in its place between two checks.
 */
function refuseOpenAncestor(dir: string, uid: number, fs: NonNullable<GuardOptions['fs']>): void {
  const parent = posixPath.dirname(posixPath.resolve(dir))
  let real = parent
  try {
    real = (fs.realpath ?? realFs.realpath)(parent)
  } catch {
    real = parent
  }
  for (const a of [real, ...ancestorsOf(real, posixPath)]) {
    let st: Stats
    try {
      st = fs.lstat(a)
    } catch {
      continue
    }
    const problems: string[] = []
    if (uid >= 0 && st.uid !== 0 && st.uid !== uid) problems.push(`it belongs to user ${st.uid}`)
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0)
      problems.push(
        `others may rename what is in it (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}, no sticky bit)`,
      )
    if (st.isSymbolicLink()) problems.push('it is a link')
    if (problems.length)
      throw new DataDirRefused(
        `The folder ${a} above the data folder ${dir} is not safe (${problems.join('; ')}), so Servicing Desk does not use the data folder: use a data folder under a folder only you (or root) can change.`,
      )
  }
}
