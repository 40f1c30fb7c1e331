/**
 * Benchmark: what a test's PowerShell costs. One fix package (x64-component-store-corrupt: its repairs,
 * the kit's install and its restart, the collector for the after file; Fix-<host>.ps1 twice with Install-Kit.ps1 and
 * Collect-ServicingFacts.ps1 nested) run through its restart on the emulated PC (test/pwsh/harness.ts), with the
 * tests' PowerShell (test/pwsh/pwsh.ts: .NET's tiered compilation without call counting, PWSH_TOOL_ENV) against the
 * baseline of the same PowerShell with .NET's defaults, rounds interleaved in the same run. Prints the CPU the
 * PowerShell processes and their stand-ins used (the bench's children: /proc/self/stat cutime + cstime, Linux) and
 * the wall time, each variant's median and the ratio to the baseline. Asserts nothing.
 *
 *   npm run bench -- pwsh-runs [--rounds N] [--try=NAME=VALUE,…]
 *   (default 3 rounds of each; --try adds a third variant: the tests' environment and those variables, for trying a
 *   .NET setting before it goes into PWSH_TOOL_ENV)
 *
 * Measured at its making (2026-11-26, load 1.1-1.7): 3 rounds, .NET's defaults 14.59 s of CPU and 9.97 s wall
 * (medians), the tests' 10.37 s and 8.71 s: 0.71x the CPU, 0.87x the wall; 4 rounds a few minutes later, 10.53 s and
 * 7.94 s against 8.82 s and 7.37 s: 0.84x and 0.93x. Tried with --try and not kept: DOTNET_TieredPGO=0 on top (0.83x
 * where the tests' was 0.84x, within the rounds' spread), DOTNET_GCgen0size=0x4000000 (0.69x where it was 0.67x).
 * Kept since: DOTNET_JITMinOpts=1 (2026-11-27, load 26-32, 2 rounds, `--try=DOTNET_JITMinOpts=0` giving the tests'
 * without it): 9.99 and 8.35 s of CPU with it, 10.33 and 11.28 s without (.NET's defaults 21.83 and 19.86 s).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createServices } from '../../main/services.ts'
import { buildPackage, runToEnd } from '../unit/pwsh/fix-run-helpers.ts'
import { startEmulatedPc } from '../pwsh/harness.ts'
import { closeWorkers } from '../pwsh/worker-pool.ts'
import { pwshToolCommand, PWSH_TOOL_ENV, type PowerShellCommand } from '../pwsh/pwsh.ts'
import { reapedChildrenCpu as childrenCpu } from './thread-times.ts'

const machine = 'x64-component-store-corrupt'
const at = process.argv.indexOf('--rounds')
const rounds = at > 0 ? Number(process.argv[at + 1]) : 3
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a whole number of rounds, 1 or more')

// One argument (`--try=…`): npm run bench takes a bare word for the name of a bench to run.
const tried = process.argv.find((a) => a.startsWith('--try='))?.slice('--try='.length) ?? null
if (tried !== null && !/^[A-Za-z_][A-Za-z0-9_]*=[^,]*(,[A-Za-z_][A-Za-z0-9_]*=[^,]*)*$/.test(tried))
  throw new Error(`--try takes NAME=VALUE pairs separated by commas, not ${JSON.stringify(tried)}`)

const ours = pwshToolCommand()
if (!ours) {
  process.stdout.write(
    'pwsh-runs: no PowerShell tool here (dotnet tool restore, or run npm test once); nothing measured\n',
  )
  process.exit(0)
}
const variants: { name: string; ps: PowerShellCommand }[] = [
  { name: `.NET's defaults (baseline)`, ps: { ...ours, env: {} } },
  {
    name: `the tests' (${Object.entries(PWSH_TOOL_ENV)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')})`,
    ps: ours,
  },
  ...(tried
    ? [
        {
          name: `the tests' and ${tried}`,
          ps: {
            ...ours,
            env: {
              ...ours.env,
              ...Object.fromEntries(
                tried.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
              ),
            },
          },
        },
      ]
    : []),
]

const dir = mkdtempSync(join(tmpdir(), 'sd-bench-pwsh-'))
try {
  const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
  const p = await buildPackage(services, dir, machine)
  const seen = new Map<string, { cpu: number[]; wall: number[]; runs: number }>(
    variants.map((v) => [v.name, { cpu: [], wall: [], runs: 0 }]),
  )
  process.stdout.write(
    `pwsh-runs: the fix package of ${machine} through its restart, ${rounds} round(s) of each variant, interleaved; load ${loadavg()[0]!.toFixed(1)} at the start\n`,
  )
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const pc = await startEmulatedPc({ machine, powershell: v.ps })
      pc.knowSpecs(p.specs)
      const pkg = pc.localPath('C:\\Users\\Public\\FixPackage')
      cpSync(p.dir, pkg, { recursive: true })
      const cpu0 = childrenCpu()
      const t0 = performance.now()
      const { runs } = await runToEnd(pc, join(pkg, p.scriptName))
      const wall = (performance.now() - t0) / 1000
      // The round's warm PowerShell processes (test/pwsh/worker-pool.ts) ended and reaped, so their CPU is counted.
      await closeWorkers()
      const cpu1 = childrenCpu()
      await pc.close()
      const last = runs[runs.length - 1]!
      if (last.exitCode !== 0)
        throw new Error(`${v.name}: the package ended with exit ${last.exitCode}: ${last.stdout.slice(-500)}`)
      const s = seen.get(v.name)!
      s.wall.push(wall)
      if (cpu0 !== null && cpu1 !== null) s.cpu.push(cpu1 - cpu0)
      s.runs = runs.length
      process.stdout.write(
        `  round ${r + 1}, ${v.name}: ${cpu0 !== null && cpu1 !== null ? `${(cpu1 - cpu0).toFixed(2)} s of CPU, ` : ''}${wall.toFixed(2)} s wall\n`,
      )
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length ? s[Math.floor(s.length / 2)]! : NaN
  }
  const base = seen.get(variants[0]!.name)!
  process.stdout.write(`\n${'variant'.padEnd(48)}CPU s (median)  x baseline   wall s (median)  x baseline\n`)
  for (const v of variants) {
    const s = seen.get(v.name)!
    process.stdout.write(
      `${v.name.padEnd(48).slice(0, 48)}${median(s.cpu).toFixed(2).padStart(14)}${(median(s.cpu) / median(base.cpu)).toFixed(2).padStart(11)}x${median(s.wall).toFixed(2).padStart(17)}${(median(s.wall) / median(base.wall)).toFixed(2).padStart(11)}x\n`,
    )
  }
  process.stdout.write(
    `load ${loadavg()[0]!.toFixed(1)} at the end (CPU seconds move less with the load than wall seconds; both variants ran under the same)\n`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
