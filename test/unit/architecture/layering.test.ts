/**
 * The layering check really fails on a wrong import: we plant probe files that break each rule and run
 * dependency-cruiser over the real tree with them, as `npm test` runs it. One run (dependency-cruiser loads
 * TypeScript for every run, several seconds each): every probe must be reported with its own rule, and nothing
 * else in the tree may be.
 *
 * The config excludes `.layering-probe/` folders, so the `layering` step that `npm test` may run beside this
 * test never sees the probes; this test replaces that exclusion with `--exclude ^out/` to see them.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const root = process.cwd()
const probeDirs = new Set<string>()
function plant(dir: string, name: string, source: string): string {
  const d = join(root, dir, '.layering-probe')
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, name), source)
  probeDirs.add(d)
  return `${dir}/.layering-probe/${name}`
}

function cruise(args: string[]): { exit: number; output: string } {
  try {
    const output = execFileSync(join(root, 'node_modules/.bin/depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...args], { cwd: root, encoding: 'utf8', stdio: 'pipe' })
    return { exit: 0, output }
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string }
    return { exit: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** Each probe: where it is planted, what it imports, and the one rule that must report it. */
const PROBES = [
  { what: 'a renderer file that imports main/', dir: 'renderer', name: 'imports-main.ts', source: "import { createServices } from '../../main/services.ts'\nexport const x = createServices\n", rule: 'renderer-only-contract' },
  { what: 'a renderer file that imports a node: built-in', dir: 'renderer', name: 'imports-node.ts', source: "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n", rule: 'renderer-no-node' },
  { what: 'a domain file that imports electron', dir: 'main/machine', name: 'imports-electron.ts', source: "import { app } from 'electron'\nexport const x = app\n", rule: 'domain-no-electron' },
  { what: 'a module beside the three definitions that runs steps through the engine', dir: 'main/kit', name: 'runs-steps.ts', source: "import { runSteps } from '../../runner/engine.ts'\nexport const x = runSteps\n", rule: 'runner-is-the-one-place-that-runs-changes' },
  { what: 'the engine importing a definition', dir: 'main/runner', name: 'knows-installs.ts', source: "import { executePlan } from '../../install/executor.ts'\nexport const x = executePlan\n", rule: 'runner-below-domains' },
  { what: 'a parser that does I/O', dir: 'main/parse', name: 'does-io.ts', source: "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n", rule: 'parse-is-pure' },
]

/** The `error <rule>: <from> → <to>` lines of dependency-cruiser's err output. */
const errorLines = (output: string) => output.split('\n').map((l) => l.trim()).filter((l) => /^error \S+: /.test(l))

let withProbes: { exit: number; output: string }
let files: string[]
beforeAll(() => {
  files = PROBES.map((p) => plant(p.dir, p.name, p.source))
  withProbes = cruise(['--exclude', '^out/', 'main', 'preload', 'renderer'])
}, 120_000)
afterAll(() => { for (const d of probeDirs) rmSync(d, { recursive: true, force: true }) })

describe('layering rules', () => {
  it('fail the run when a probe breaks a rule', () => {
    expect(withProbes.exit).not.toBe(0)
  })

  let checked = 0
  for (const [i, p] of PROBES.entries()) {
    it(`fails ${p.what} (${p.rule})`, () => {
      const mine = errorLines(withProbes.output).filter((l) => l.includes(files[i]))
      expect(mine.length, withProbes.output).toBeGreaterThan(0)
      for (const l of mine) expect(l).toMatch(new RegExp(`^error ${p.rule}: ${files[i].replace(/[.]/g, '\\.')} → `))
      checked++
    })
  }

  it('passes the real tree: the probes are the only violations, and every probe was checked', () => {
    const others = errorLines(withProbes.output).filter((l) => !files.some((f) => l.includes(f)))
    expect(others).toEqual([])
    expect(errorLines(withProbes.output).length).toBe(PROBES.length)
    expect(checked).toBe(PROBES.length)
  })

  it('the config keeps the probes out of the `layering` step (so it can run beside this test), and only them', async () => {
    const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { options: { exclude: { path: string } } }
    const exclude = new RegExp(config.options.exclude.path)
    for (const f of files) expect(exclude.test(f), f).toBe(true)
    for (const f of ['renderer/app.tsx', 'main/parse/cbs-log.ts', 'main/machine/probe.ts']) expect(exclude.test(f), f).toBe(false)
  })
})
