/**
 * Benchmark: `npm start` on a fresh clone until the first screen is interactive in a browser (target ≤ 10 s on a
 * 2-core machine), then a second `npm start` in the same clone with nothing changed.
 *
 *   npm run bench -- first-screen [--ref REF] [--keep]
 *
 * The clone is `git clone` of this repository (at REF, default HEAD: what is committed) into a temporary folder,
 * with node_modules hard-linked in (`cp -al`), as a newcomer's fresh clone after `npm ci`. The clock starts when
 * `npm start` is spawned and stops when headless Chromium (test/e2e/chromium-path.ts) shows the first screen with
 * its Check buttons enabled (the machine list came over the bridge), at the address `npm start` printed. The
 * baseline, in the same run: Node starting and exiting (`node -e 0`), the floor of any start. Prints numbers;
 * asserts nothing (benchmarks are not tests).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { chromiumArgs, chromiumExecutable } from '../e2e/chromium-path.ts'

const root = resolve(import.meta.dirname, '../..')
const args = process.argv.slice(2)
const ref = args.includes('--ref') ? args[args.indexOf('--ref') + 1] : 'HEAD'
const keep = args.includes('--keep')

const clone = mkdtempSync(join(tmpdir(), 'sd-first-screen-'))
const home = mkdtempSync(join(tmpdir(), 'sd-first-screen-home-'))
execFileSync('git', ['clone', '-q', root, clone], { stdio: 'inherit' })
execFileSync('git', ['-C', clone, 'checkout', '-q', ref], { stdio: 'inherit' })
execFileSync('cp', ['-al', join(root, 'node_modules'), clone])
const commit = execFileSync('git', ['-C', clone, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()

const browser: Browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs })

interface Start {
  urlMs: number
  screenMs: number
  lines: string[]
}

/** One `npm start` in the clone: ms until it printed the address, and until the first screen was interactive. */
async function start(): Promise<Start> {
  const t0 = performance.now()
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: clone,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // No browser is opened for a person (no opener on PATH); the address is read from stdout.
    env: { ...process.env, SERVICING_DESK_HOME: home, BROWSER: 'none' },
  })
  const lines: string[] = []
  let buf = ''
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no address after 120 s:\n${lines.join('\n')}`)), 120_000)
    const onData = (d: Buffer) => {
      buf += d.toString('utf8')
      const parts = buf.split('\n')
      buf = parts.pop() ?? ''
      for (const l of parts) {
        lines.push(`${((performance.now() - t0) / 1000).toFixed(1)}s ${l}`)
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*token=[0-9a-f]+)/.exec(l)
        if (m) {
          clearTimeout(timer)
          ok(m[1])
        }
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`npm start ended (${code}) before printing an address:\n${lines.join('\n')}`))
    })
  })
  const urlMs = performance.now() - t0
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 })
  await page.waitForFunction(
    () => {
      const b = document.querySelector<HTMLButtonElement>('[data-testid^="check-"]')
      return Boolean(b && !b.disabled)
    },
    undefined,
    { polling: 100, timeout: 120_000 },
  )
  const screenMs = performance.now() - t0
  await ctx.close()
  child.removeAllListeners('exit')
  try {
    process.kill(-child.pid!, 'SIGTERM')
  } catch {
    /* gone */
  }
  await new Promise((r) => setTimeout(r, 500))
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    /* gone */
  }
  return { urlMs, screenMs, lines }
}

const t = performance.now()
execFileSync(process.execPath, ['-e', '0'])
const nodeMs = performance.now() - t

const fresh = await start()
const again = await start()
await browser.close()
if (!keep) rmSync(clone, { recursive: true, force: true })
rmSync(home, { recursive: true, force: true })

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const out = process.stdout
out.write(`(commit ${commit}, load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)\n`)
out.write(`baseline: node -e 0                         ${s(nodeMs)}\n`)
out.write(
  `npm start, fresh clone: address printed     ${s(fresh.urlMs)}, first screen interactive ${s(fresh.screenMs)} (target ≤ 10 s: ${fresh.screenMs <= 10_000 ? 'met' : 'not met'})\n`,
)
out.write(
  `npm start again, nothing changed:           ${s(again.urlMs)}, first screen interactive ${s(again.screenMs)}\n`,
)
out.write(`what the fresh start printed:\n${fresh.lines.map((l) => `  ${l}`).join('\n')}\n`)
if (keep) out.write(`clone kept at ${clone}\n`)
