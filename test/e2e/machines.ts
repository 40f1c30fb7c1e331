/**
 * What the browser tests need to know from outside the UI: the training machines and, as the oracle,
 * the cause the diagnosis engine ranks first — asked of the CLI with the same data folder the preview
 * serves, so both see the same training-machine state.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from '@playwright/test'
import { CLI } from '../cli-script.ts'

export const e2eHome = process.env.E2E_HOME ?? '.cache/e2e-home'

/**
 * The data folder of the preview server the running test talks to: each Playwright project has its own server and
 * folder (playwright.config.ts): `surfaces` serves `<E2E_HOME>-surfaces`, the others e2eHome (the layout project only
 * reads the machines' list). Outside a test (a spec's top level) e2eHome.
 */
export function projectHome(): string {
  let project = ''
  try {
    project = test.info().project.name
  } catch {
    /* not inside a test */
  }
  return project === 'surfaces' ? `${e2eHome}-surfaces` : e2eHome
}

/**
 * The environment of a CLI child: the tests' data folder, and under `npm test` the cache of type-stripped sources the
 * unit tests' children use too (scripts/ts-strip-cache.mjs, given as SD_TS_CACHE_IMPORT: about half of each CLI
 * start). Only the children load it: Playwright loads the specs through its own transform.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const hook = process.env.SD_TS_CACHE_IMPORT
  const nodeOptions =
    hook && process.env.SD_TS_CACHE
      ? [process.env.NODE_OPTIONS, `--import=${hook}`].filter(Boolean).join(' ')
      : process.env.NODE_OPTIONS
  return {
    ...process.env,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    SERVICING_DESK_HOME: projectHome(),
    ...extra,
  }
}

function cli(args: string[]): unknown {
  const out = execFileSync(process.execPath, [CLI, ...args], {
    env: cliEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return JSON.parse(out)
}

/**
 * The training machines as the run starts (the specs build their tests from it at their top level). Asked of the CLI
 * once a run: the answer is kept in the environment, which Playwright's runner (it loads every spec first) hands to
 * its workers, so a worker loading the same spec does not ask again (four specs list the machines: eight CLI starts
 * a run, now one).
 */
export function trainingMachines(): { name: string; title: string }[] {
  type Listed = { home: string; machines: { name: string; title: string }[] }
  try {
    const kept = JSON.parse(process.env.SD_E2E_MACHINES ?? '') as Listed
    if (kept.home === e2eHome && Array.isArray(kept.machines)) return kept.machines
  } catch {
    /* not asked yet in this run */
  }
  const machines = (cli(['machines', '--json']) as { machines: { name: string; title: string }[] }).machines
  process.env.SD_E2E_MACHINES = JSON.stringify({ home: e2eHome, machines } satisfies Listed)
  return machines
}

/** The diagnosis's first finding for a training machine (or a snapshot file), or null when it finds nothing. */
export function firstCause(
  machine: string,
  via: '--machine' | '--snapshot' = '--machine',
): { id: string; title: string } | null {
  const out = cli(['diagnose', via, machine, '--json']) as {
    findings: { id: string; title: string; severity: string }[]
  }
  // The first problem: a note (info) is never the most likely cause.
  const first = out.findings.find((f) => f.severity !== 'info')
  return first ? { id: first.id, title: first.title } : null
}

/** Writes a training machine's snapshot file, as `scan --out` does on a PC. */
export function writeSnapshot(machine: string, file: string): void {
  execFileSync(process.execPath, [CLI, 'scan', '--machine', machine, '--out', file, '--json'], {
    env: cliEnv(),
    stdio: 'ignore',
  })
}

/** Puts a training machine back to its starting state through the CLI (test set-up and clean-up; the UI has Start over). */
export function resetMachine(machine: string): void {
  execFileSync(process.execPath, [CLI, 'machines', '--reset', machine], { env: cliEnv(), stdio: 'ignore' })
}

/**
 * Questions to the CLI about the state now, asked in ONE CLI process (test/e2e/cli-batch.ts), one after another in the
 * order given: each answer's stdout by the question's name. A question the CLI answers with a non-zero exit code fails.
 */
export async function askCli<K extends string>(questions: Record<K, string[]>): Promise<Record<K, string>> {
  const names = Object.keys(questions) as K[]
  const dir = mkdtempSync(join(tmpdir(), 'sd-cli-batch-'))
  try {
    const out = join(dir, 'answers.json')
    await promisify(execFile)(
      process.execPath,
      ['test/e2e/cli-batch.ts', out, JSON.stringify(names.map((n) => questions[n]))],
      { env: cliEnv(), maxBuffer: 64 * 1024 * 1024 },
    )
    const answers = JSON.parse(readFileSync(out, 'utf8')) as { code: number | null; stdout: string; stderr: string }[]
    return Object.fromEntries(
      names.map((n, i) => {
        const a = answers[i]!
        if (a.code !== 0)
          throw new Error(`servicing-desk ${questions[n].join(' ')}: exit ${a.code}\n${a.stderr.slice(0, 2000)}`)
        return [n, a.stdout]
      }),
    ) as Record<K, string>
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
