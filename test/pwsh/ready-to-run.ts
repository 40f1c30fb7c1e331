/**
 * PowerShell 7.6.9 compiled ahead of time for the tests (ReadyToRun), so each PowerShell run costs about half the CPU.
 *
 * Why: the tool package's assemblies (System.Management.Automation.dll and the rest) are IL only, so every PowerShell
 * start JITs them again: ~1.1 s wall and ~1.6 s of CPU per start here, where the tests start PowerShell hundreds of
 * times (the kill sweeps: one run per step boundary, each with its nested PowerShell for the kit's script and the
 * collector). Measured on this 2-core machine, idle: an empty script 1.08 s → 0.65 s wall (CPU 1.65 s → 0.87 s); one
 * run of x64-winre-partition-full's Fix-<host>.ps1 5.1-5.6 s → 3.6-4.3 s.
 *
 * What: a copy of the restored tool folder in `~/.cache/servicing-desk/pwsh-r2r/<version>/` (readyToRunDir) in which the assemblies PowerShell loads
 * for the scripts under test (ASSEMBLIES, listed from `[AppDomain]::CurrentDomain.GetAssemblies()` after a run that
 * uses hashes, JSON, archives, ACLs and formatting; those the tool folder does not hold, such as
 * Microsoft.Management.Infrastructure.dll from its runtimes folder, are left as they are) are replaced by crossgen2's ReadyToRun images of the SAME IL: the
 * same PowerShell, whose methods come precompiled (the runtime still JITs whatever the image does not cover, and falls
 * back to the IL wherever an image cannot be used). crossgen2 comes from NuGet the way the SDK gets it for
 * `PublishReadyToRun`: a throwaway project is restored and the SDK picks the crossgen2 package matching its runtime
 * (no version named here). `complete.json` is written last, after every image: a half-made copy is never used.
 *
 * Where crossgen2 cannot be had, the copy is not made and the tests use the tool folder as restored (slower, same
 * results): scripts/restore-powershell.ts says so in one line. `SD_TEST_PWSH_IL=1` makes the tests use the IL tool
 * even when the copy exists (to compare).
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { compileCacheDir } from '../../main/cli/compile-cache.ts'

const root = resolve(import.meta.dirname, '..', '..')

/** The assemblies compiled ahead of time: those PowerShell loads from its own folder for the scripts under test. */
export const ASSEMBLIES = [
  'pwsh.dll',
  'Microsoft.PowerShell.ConsoleHost.dll',
  'System.Management.Automation.dll',
  'Newtonsoft.Json.dll',
  'Microsoft.Management.Infrastructure.dll',
  'Microsoft.ApplicationInsights.dll',
  'Microsoft.PowerShell.Commands.Management.dll',
  'Microsoft.PowerShell.Commands.Utility.dll',
  'Microsoft.PowerShell.MarkdownRender.dll',
  'Microsoft.PowerShell.Security.dll',
]

/**
 * The folder of the ahead-of-time copy of PowerShell `version`: in this user's cache folder
 * (`$XDG_CACHE_HOME` or ~/.cache; ~/Library/Caches on macOS: main/cli/compile-cache.ts), servicing-desk/pwsh-r2r, so
 * every clone on this machine reuses one copy, as it reuses the tool itself from NuGet's cache (~/.nuget/packages) and
 * the packages from npm's. A fresh clone's first `npm test` made it again in the clone's .cache (about 70 s of both
 * cores, the longest part of the steps before the unit tests); a truly fresh machine still makes it once. Where there
 * is no such folder (Windows, where the tests use Windows PowerShell 5.1; no absolute HOME): the clone's .cache.
 * `SD_PWSH_R2R_DIR` names another folder. A copy is used only when it was made from the same tool file
 * (readyToRunDll), wherever it lies.
 */
export function readyToRunDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.SD_PWSH_R2R_DIR) return join(resolve(env.SD_PWSH_R2R_DIR), version)
  const user = compileCacheDir(env)
  return user ? join(user.root, 'servicing-desk', 'pwsh-r2r', version) : join(root, '.cache', 'pwsh-r2r', version)
}

interface Complete {
  version: string
  source: string
  sourceSize: number
  runtime: string
  assemblies: string[]
}

/**
 * The ahead-of-time copy's pwsh.dll, or null when it is not there, not complete, or made from another tool file than
 * `toolDll` (same path and size of the IL pwsh.dll it was made from).
 */
export function readyToRunDll(version: string, toolDll: string, dir = readyToRunDir(version)): string | null {
  if (process.env.SD_TEST_PWSH_IL) return null
  try {
    const c = JSON.parse(readFileSync(join(dir, 'complete.json'), 'utf8')) as Complete
    if (c.version !== version || c.source !== dirname(toolDll) || c.sourceSize !== statSync(toolDll).size) return null
    for (const a of c.assemblies) if (!existsSync(join(dir, a))) return null
    return join(dir, 'pwsh.dll')
  } catch {
    return null
  }
}

/** The runtime identifier crossgen2 targets here, or null where there is none to compile for. */
function rid(): { rid: string; os: string; arch: string } | null {
  const os =
    process.platform === 'linux'
      ? 'linux'
      : process.platform === 'darwin'
        ? 'osx'
        : process.platform === 'win32'
          ? 'win'
          : null
  const arch = process.arch === 'x64' ? 'x64' : process.arch === 'arm64' ? 'arm64' : null
  return os && arch ? { rid: `${os}-${arch}`, os, arch } : null
}

const nugetPackages = () => process.env.NUGET_PACKAGES || join(process.env.HOME ?? '', '.nuget', 'packages')

/** Runs `file args` and resolves with its exit code and output (no shell). */
function run(file: string, args: string[], cwd?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const p = spawn(file, args, { cwd, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
    })
    p.stderr.on('data', (d) => {
      out += d
    })
    p.on('error', (e) => done({ code: null, out: String(e) }))
    p.on('close', (code) => done({ code, out }))
  })
}

/**
 * Makes the ahead-of-time copy of the tool whose pwsh.dll is `toolDll`. Resolves with the copy's pwsh.dll, or throws
 * an Error whose message says in one sentence why it was not made (nothing half-made is left to be used).
 */
export async function makeReadyToRun(version: string, toolDll: string): Promise<string> {
  const made = readyToRunDll(version, toolDll)
  if (made) return made
  const target = rid()
  if (!target) throw new Error(`no crossgen2 for ${process.platform}-${process.arch}`)
  const dir = readyToRunDir(version)
  const work = `${dir}.making-${process.pid}`
  const probe = join(dirname(dir), `crossgen-restore-${process.pid}`)
  rmSync(work, { recursive: true, force: true })
  try {
    // The SDK restores the crossgen2 package that matches its runtime for a ReadyToRun publish. The folders made here
    // are this user's only (0700): the copy is code the tests run.
    mkdirSync(probe, { recursive: true, mode: 0o700 })
    writeFileSync(
      join(probe, 'crossgen-restore.csproj'),
      [
        '<Project Sdk="Microsoft.NET.Sdk">',
        '  <PropertyGroup>',
        '    <TargetFramework>net10.0</TargetFramework>',
        `    <RuntimeIdentifier>${target.rid}</RuntimeIdentifier>`,
        '    <PublishReadyToRun>true</PublishReadyToRun>',
        '    <SelfContained>false</SelfContained>',
        '  </PropertyGroup>',
        '</Project>',
        '',
      ].join('\n'),
    )
    const restore = await run('dotnet', ['restore', join(probe, 'crossgen-restore.csproj')], probe)
    const name = `microsoft.netcore.app.crossgen2.${target.rid}`
    if (restore.code !== 0)
      throw new Error(
        `dotnet restore of crossgen2 failed (exit ${restore.code}): ${restore.out.trim().split('\n').slice(-2).join(' ')}`,
      )
    const cgVersion = crossgenVersionFromAssets(readFileSync(join(probe, 'obj', 'project.assets.json'), 'utf8'), name)
    if (!cgVersion) throw new Error('the restore named no crossgen2 package')
    const tools = join(nugetPackages(), name, cgVersion.toLowerCase(), 'tools')
    const crossgen = join(tools, process.platform === 'win32' ? 'crossgen2.exe' : 'crossgen2')
    if (!existsSync(crossgen)) throw new Error(`crossgen2 is not at ${crossgen}`)
    const framework = runtimeFolder(cgVersion)
    if (!framework)
      throw new Error(
        `no Microsoft.NETCore.App ${cgVersion.split('.').slice(0, 2).join('.')} runtime to compile against`,
      )
    const source = dirname(toolDll)
    cpSync(source, work, { recursive: true })
    // Two at a time: this machine has two cores, and crossgen2 keeps about one busy.
    const present = ASSEMBLIES.filter((a) => existsSync(join(source, a)))
    const queue = [...present]
    const failures: string[] = []
    const worker = async () => {
      for (let a = queue.shift(); a; a = queue.shift()) {
        const r = await run(crossgen, [
          '-r',
          `${framework.path}/`,
          '-r',
          `${source}/`,
          '--targetos',
          target.os,
          '--targetarch',
          target.arch,
          '-O',
          join(source, a),
          '-o',
          join(work, a),
        ])
        if (r.code !== 0) failures.push(`${a} (exit ${r.code}): ${r.out.trim().split('\n').slice(-1)[0] ?? ''}`)
      }
    }
    await Promise.all([worker(), worker()])
    if (failures.length) throw new Error(`crossgen2 failed on ${failures.join('; ')}`)
    const complete: Complete = {
      version,
      source,
      sourceSize: statSync(toolDll).size,
      runtime: framework.version,
      assemblies: present,
    }
    writeFileSync(join(work, 'complete.json'), JSON.stringify(complete, null, 2))
    rmSync(dir, { recursive: true, force: true })
    renameSync(work, dir)
    return join(dir, 'pwsh.dll')
  } finally {
    rmSync(work, { recursive: true, force: true })
    rmSync(probe, { recursive: true, force: true })
  }
}

/**
 * The crossgen2 pack's version from a restore's project.assets.json: the SDK lists it among the project's
 * `downloadDependencies` with an exact range (`"version": "[10.0.12, 10.0.12]"`), not as a library.
 */
export function crossgenVersionFromAssets(assetsText: string, name: string): string | null {
  const assets = JSON.parse(assetsText) as {
    project?: { frameworks?: Record<string, { downloadDependencies?: { name?: string; version?: string }[] }> }
  }
  for (const fw of Object.values(assets.project?.frameworks ?? {})) {
    for (const d of fw.downloadDependencies ?? []) {
      if (d.name?.toLowerCase() !== name.toLowerCase()) continue
      const m = /^\[\s*([0-9][^,\s\]]*)\s*(?:,\s*\1\s*)?\]$/.exec(d.version ?? '')
      if (m) return m[1]!
    }
  }
  return null
}

/** The installed Microsoft.NETCore.App runtime of the same major.minor as crossgen2, newest first. */
function runtimeFolder(crossgenVersion: string): { version: string; path: string } | null {
  const r = spawnSync('dotnet', ['--list-runtimes'], { encoding: 'utf8' })
  if (r.status !== 0) return null
  const want = crossgenVersion.split('.').slice(0, 2).join('.')
  const found = [...r.stdout.matchAll(/^Microsoft\.NETCore\.App (\S+) \[([^\]]+)\]$/gm)]
    .map((m) => ({ version: m[1]!, path: join(m[2]!, m[1]!) }))
    .filter((x) => x.version.startsWith(`${want}.`) && existsSync(x.path))
  return found.sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }))[0] ?? null
}
