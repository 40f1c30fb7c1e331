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
import { hangMs } from '../../load.ts'

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
    const output = execFileSync(
      join(root, 'node_modules/.bin/depcruise'),
      ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...args],
      { cwd: root, encoding: 'utf8', stdio: 'pipe' },
    )
    return { exit: 0, output }
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string }
    return { exit: e.status ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** Each probe: where it is planted, what it imports, and the one rule that must report it. */
const PROBES = [
  {
    what: 'a renderer file that imports main/',
    dir: 'renderer',
    name: 'imports-main.ts',
    source: "import { createServices } from '../../main/services.ts'\nexport const x = createServices\n",
    rule: 'renderer-only-contract',
  },
  {
    what: 'a renderer file that imports a node: built-in',
    dir: 'renderer',
    name: 'imports-node.ts',
    source: "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n",
    rule: 'renderer-no-node',
  },
  {
    what: 'a domain file that imports electron',
    dir: 'main/machine',
    name: 'imports-electron.ts',
    source: "import { app } from 'electron'\nexport const x = app\n",
    rule: 'domain-no-electron',
  },
  {
    what: 'a module beside the three definitions that runs steps through the engine',
    dir: 'main/kit',
    name: 'runs-steps.ts',
    source: "import { runSteps } from '../../runner/engine.ts'\nexport const x = runSteps\n",
    rule: 'runner-is-the-one-place-that-runs-changes',
  },
  {
    what: 'the engine importing a definition',
    dir: 'main/runner',
    name: 'knows-installs.ts',
    source: "import { executePlan } from '../../install/executor.ts'\nexport const x = executePlan\n",
    rule: 'runner-below-domains',
  },
  {
    what: 'a parser that does I/O',
    dir: 'main/parse',
    name: 'does-io.ts',
    source: "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n",
    rule: 'parse-is-pure',
  },
  // Each arrow that ran back up the floors (scripts/layer-graph.ts), and a circle.
  {
    what: 'a diagnosis file that reaches the Host',
    dir: 'main/diagnose',
    name: 'reaches-host.ts',
    source: "import type { Host } from '../../host/host.ts'\nexport type X = Host\n",
    rule: 'diagnose-not-host',
  },
  {
    what: 'knowledge that reaches the Host',
    dir: 'main/knowledge',
    name: 'reaches-host.ts',
    source: "import { copyableCommand } from '../../host/system-tools.ts'\nexport const x = copyableCommand\n",
    rule: 'knowledge-not-host',
  },
  {
    what: 'knowledge that imports the Catalog client',
    dir: 'main/knowledge',
    name: 'reads-catalog.ts',
    source: "import * as c from '../../catalog/file-name.ts'\nexport const x = c\n",
    rule: 'knowledge-not-catalog',
  },
  {
    what: 'the Host port importing the training model',
    dir: 'main/host',
    name: 'knows-training.ts',
    source: "import * as t from '../../training/store.ts'\nexport const x = t\n",
    rule: 'host-not-training',
  },
  {
    what: 'the timeline importing the diagnosis',
    dir: 'main/timeline',
    name: 'knows-diagnosis.ts',
    source: "import * as d from '../../diagnose/rule.ts'\nexport const x = d\n",
    rule: 'timeline-below-diagnosis',
  },
  {
    what: 'install importing the WinRE repair',
    dir: 'main/install',
    name: 'knows-winre.ts',
    source: "import * as w from '../../winre/winre-service.ts'\nexport const x = w\n",
    rule: 'winre-repair-above-readers',
  },
  {
    what: 'a probe importing a repair definition',
    dir: 'main/machine',
    name: 'knows-repair.ts',
    source: "import * as r from '../../repair/definitions/restore-health.ts'\nexport const x = r\n",
    rule: 'machine-below-definitions',
  },
  {
    what: 'a component importing the screens',
    dir: 'renderer/src/components',
    name: 'knows-screens.ts',
    source: "import { screens } from '../../screens/index.ts'\nexport const x = screens\n",
    rule: 'renderer-screens-on-top',
  },
  {
    what: 'two files that import each other',
    dir: 'main/parse',
    name: 'circle-a.ts',
    source: "import { b } from './circle-b.ts'\nexport const a = () => b\n",
    rule: 'no-circular',
    beside: { name: 'circle-b.ts', source: "import { a } from './circle-a.ts'\nexport const b = () => a\n" },
  },
]

/** The `error <rule>: <from> → <to>` lines of dependency-cruiser's err output. */
const errorLines = (output: string) =>
  output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^error \S+: /.test(l))

let withProbes: { exit: number; output: string }
let files: string[]
/** A probe's second file (a circle needs two); its own error lines name the same rule. */
let besides: (string | null)[]
beforeAll(() => {
  files = PROBES.map((p) => plant(p.dir, p.name, p.source))
  besides = PROBES.map((p) => ('beside' in p && p.beside ? plant(p.dir, p.beside.name, p.beside.source) : null))
  withProbes = cruise(['--exclude', '^out/', 'main', 'preload', 'renderer'])
}, hangMs(600_000))
afterAll(() => {
  for (const d of probeDirs) rmSync(d, { recursive: true, force: true })
})

describe('layering rules', () => {
  it('fail the run when a probe breaks a rule', () => {
    expect(withProbes.exit).not.toBe(0)
  })

  let checked = 0
  for (const [i, p] of PROBES.entries()) {
    it(`fails ${p.what} (${p.rule})`, () => {
      // A circle is reported once, from either of its files, over several lines (`error no-circular: a.ts →`).
      const own = [files[i], besides[i]].filter((f): f is string => f !== null)
      const mine = errorLines(withProbes.output).filter((l) => own.some((f) => l.includes(f)))
      expect(mine.length, withProbes.output).toBeGreaterThan(0)
      for (const l of mine)
        expect(l).toMatch(new RegExp(`^error ${p.rule}: (${own.map((f) => f.replace(/[.]/g, '\\.')).join('|')}) →`))
      checked++
    })
  }

  it('passes the real tree: the probes are the only violations, and every probe was checked', () => {
    const planted = [...files, ...besides.filter((f): f is string => f !== null)]
    const others = errorLines(withProbes.output).filter((l) => !planted.some((f) => l.includes(f)))
    expect(others).toEqual([])
    expect(errorLines(withProbes.output).length).toBe(PROBES.length)
    expect(checked).toBe(PROBES.length)
  })

  it('the config keeps the probes out of the `layering` step (so it can run beside this test), and only them', async () => {
    const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as {
      options: { exclude: { path: string } }
    }
    const exclude = new RegExp(config.options.exclude.path)
    for (const f of files) expect(exclude.test(f), f).toBe(true)
    for (const f of ['renderer/app.tsx', 'main/parse/cbs-log.ts', 'main/machine/probe.ts'])
      expect(exclude.test(f), f).toBe(false)
  })
})
