/**
 * What the browser tests need to know from outside the UI: the training machines and, as the oracle,
 * the cause the diagnosis engine ranks first — asked of the CLI with the same data folder the preview
 * serves, so both see the same training-machine state.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process'
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

type Answer = { code: number | null; stdout: string; stderr: string }
type Host = {
  child: ChildProcess
  pending: Map<number, { ok: (a: Answer[]) => void; fail: (e: Error) => void }>
  next: number
  exited: Promise<void>
}
let host: Host | null = null

/** This worker's CLI host (test/e2e/cli-host.ts), forked on first use. */
function cliHost(): Host {
  if (host) return host
  const child = fork('test/e2e/cli-host.ts', [], {
    env: cliEnv(),
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const h: Host = {
    child,
    pending: new Map(),
    next: 0,
    exited: new Promise((done) => child.once('exit', () => done())),
  }
  child.on('message', (m: { id: number; answers?: Answer[]; error?: string }) => {
    const p = h.pending.get(m.id)
    h.pending.delete(m.id)
    if (m.answers) p?.ok(m.answers)
    else p?.fail(new Error(`the CLI host failed: ${m.error}`))
  })
  child.once('exit', (code, signal) => {
    if (host === h) host = null
    for (const p of h.pending.values()) p.fail(new Error(`the CLI host ended (exit ${code}, ${signal ?? 'no signal'})`))
    h.pending.clear()
  })
  host = h
  return h
}

/**
 * Ends this worker's CLI host and waits for it, so its CPU is counted with the worker's (a process never waited for
 * is missing from the run's CPU figure: scripts/step-cpu.ts). A spec that asks through the host calls it in afterAll.
 */
export async function closeCliHost(): Promise<void> {
  const h = host
  if (!h) return
  host = null
  if (h.child.connected) h.child.disconnect()
  await h.exited
}

/** argv lists run by this worker's CLI host in the test's data folder, one after another: each one's exit code and output. */
function hostRun(asks: string[][]): Promise<Answer[]> {
  const h = cliHost()
  const id = h.next++
  return new Promise((ok, fail) => {
    h.pending.set(id, { ok, fail })
    h.child.send({ id, home: projectHome(), asks })
  })
}

/** `servicing-desk <argv>` in this worker's CLI host: its exit code and output (a non-zero exit is not an error here). */
export async function cliRun(argv: string[]): Promise<Answer> {
  return (await hostRun([argv]))[0]!
}

/** `servicing-desk <argv>` in this worker's CLI host: its stdout; a non-zero exit fails with its stderr. */
export async function cliOut(argv: string[]): Promise<string> {
  const a = await cliRun(argv)
  if (a.code !== 0) throw new Error(`servicing-desk ${argv.join(' ')}: exit ${a.code}\n${a.stderr.slice(0, 2000)}`)
  return a.stdout
}

/**
 * Questions to the CLI about the state now, asked in this worker's one CLI process (test/e2e/cli-host.ts), one after
 * another in the order given: each answer's stdout by the question's name. A question the CLI answers with a non-zero
 * exit code fails.
 */
export async function askCli<K extends string>(questions: Record<K, string[]>): Promise<Record<K, string>> {
  const names = Object.keys(questions) as K[]
  const answers = await hostRun(names.map((n) => questions[n]))
  return Object.fromEntries(
    names.map((n, i) => {
      const a = answers[i]!
      if (a.code !== 0)
        throw new Error(`servicing-desk ${questions[n].join(' ')}: exit ${a.code}\n${a.stderr.slice(0, 2000)}`)
      return [n, a.stdout]
    }),
  ) as Record<K, string>
}
