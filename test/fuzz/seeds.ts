/**
 * Seed corpus for the fuzz targets: real captured fixtures (`test/fixtures/<dir>/`, without their
 * `# source:` line) and the training machines' answers in Windows' real output formats.
 *
 * Fixture folders are read when asked, so a fixture another engineer adds later joins the corpus
 * without a change here. Seeds are cached per process.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trainingProfiles } from '../../main/training/profiles/index.ts'
import { trainingCommands } from '../../main/training/commands.ts'
import type { CommandSpec } from '../../main/host/host.ts'

const fixturesRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')
const cache = new Map<string, string[]>()

/** Every text fixture in `test/fixtures/<dir>/` (recursively), without its first `# source:` line. */
export function fixtureSeeds(dir: string): string[] {
  const key = `fixture:${dir}`
  const hit = cache.get(key)
  if (hit) return hit
  const out: string[] = []
  const walk = (d: string) => {
    if (!existsSync(d)) return
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) {
        walk(p)
        continue
      }
      if (name.endsWith('.source') || name.endsWith('.ts')) continue
      const text = readFileSync(p).toString('utf8')
      out.push(text.startsWith('# source:') ? text.slice(text.indexOf('\n') + 1) : text)
    }
  }
  walk(join(fixturesRoot, dir))
  cache.set(key, out)
  return out
}

/** Names of every fixture folder that exists now. */
export function fixtureDirs(): string[] {
  return existsSync(fixturesRoot)
    ? readdirSync(fixturesRoot)
        .filter((n) => statSync(join(fixturesRoot, n)).isDirectory())
        .sort()
    : []
}

/**
 * The stdout of one training command (by CommandSpec name) on every training profile: the same
 * formats the probes parse on a real PC (PowerShell JSON, reg query, manage-bde).
 */
export async function trainingSeeds(commandName: string): Promise<string[]> {
  const key = `training:${commandName}`
  const hit = cache.get(key)
  if (hit) return hit
  const render = trainingCommands[commandName]
  const out: string[] = []
  if (render) {
    for (const state of trainingProfiles) {
      const spec: CommandSpec = {
        name: commandName,
        file: 'powershell.exe',
        args: [],
        timeoutMs: 60_000,
      } as CommandSpec
      try {
        const r = await render({ state: structuredClone(state), spec, options: {} })
        if (r.stdout) out.push(r.stdout)
      } catch {
        /* a renderer that needs a richer spec simply gives no seed */
      }
    }
  }
  cache.set(key, out)
  return out
}

/** All seeds named by a target: `fixture:<dir>` or `training:<command>` entries. */
export async function loadSeeds(names: readonly string[]): Promise<string[]> {
  const all: string[] = []
  for (const n of names) {
    if (n.startsWith('fixture:')) all.push(...fixtureSeeds(n.slice('fixture:'.length)))
    else if (n.startsWith('training:')) all.push(...(await trainingSeeds(n.slice('training:'.length))))
    else throw new Error(`unknown seed source '${n}'`)
  }
  return all
}
