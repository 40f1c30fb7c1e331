/**
 * Benchmark: `analyze FILE --json` of 64 MB (the most analyze reads) of each input kind, peak RSS per
 * kind from `/usr/bin/time`, against two baselines measured in the same run: the CLI analysing a 1 KB file (start-up
 * and module loading) and the CLI reading the 64 MB file and stopping (`--kind none`: not a kind, so it only reads
 * and refuses; what the input costs before any parser). Each input is a real capture (test/fixtures, its first line,
 * the source, left out) repeated to 64 MB less one byte. Target: every kind under 300 MB peak. Prints numbers;
 * asserts nothing.
 *
 * `npm run bench -- analyze-kinds` (all kinds), `npm run bench -- analyze-kinds --only=wu-event,cbs-log`;
 * `--keep=DIR` writes each kind's `--json` output to DIR/<kind>.json (to compare the output before and after a change).
 *
 * Measured 2026-11-25 (2 cores shared, load 10-16), peak MB, before the memory round's changes / after:
 * wu-event 484 / 289, hotfix-list 356 / 281, dism-packages 325 / 226, cbs-log 304 / 280, os-info 295 / 240,
 * reagentc-info 294 / 228, dism-output 274 / 225, setupdiag 268 / 226, setup-log 239 / 224, dism-log 238 / 226,
 * dism-image-info 228 / 225; baselines: 1 KB 95-99, reading 64 MB 214-303. Where it went: the --json text as one
 * string (now written in pieces), the input's bytes kept until a full collection (now released once decoded), and
 * the whole result as JSON and its upper-case copy to find codes the reader missed (now token by token). What is
 * left for wu-event and cbs-log is the text itself: a capture with one character past Latin-1 (Get-WinEvent's `…`)
 * is held as two bytes per character, 128 MB for 64 MB, beside the 64 MB of bytes while it is decoded.
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir, loadavg, cpus } from 'node:os'
import { join, resolve } from 'node:path'

const MB = 1024 * 1024
const SIZE = 64 * MB - 1
const root = join(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'sd-kinds-bench-'))
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : null
/** `--name=value` (as `npm run bench` passes it on), or `--name value` when the script is run directly. */
const arg = (name: string) => {
  const eq = process.argv.find((a) => a.startsWith(`${name}=`))
  if (eq) return eq.slice(name.length + 1)
  const i = process.argv.indexOf(name)
  return i === -1 ? undefined : process.argv[i + 1]
}
const keep = arg('--keep') ? resolve(arg('--keep')!) : undefined
const only = arg('--only')?.split(',')

/** Kind → the real capture repeated (test/fixtures/…). */
const KINDS: Array<[string, string]> = [
  ['wu-event', 'wu-event/get-winevent-format-table.txt'],
  ['cbs-log', 'cbs-log/0x800f0922-scheduled-task.log'],
  ['dism-packages', 'dism-packages/en-gb-list-fod-dismtools220.txt'],
  ['os-info', 'systeminfo/es-win10-1809-redacted.txt'],
  ['dism-log', 'dism-log/0x80070002-analyze-store.log'],
  ['setup-log', 'setup-log/setupact-wimmount.log'],
  ['setupdiag', 'setupdiag/offline-dism-provider.txt'],
  ['hotfix-list', 'hotfix/wmic-qfe-list-brief-wufuc92.txt'],
  ['reagentc-info', 'reagentc/en-24h2-with-version.txt'],
  ['dism-output', 'dism-output/restorehealth-source-missing.txt'],
  ['dism-image-info', 'dism-image-info/en-wiminfo-server2016-packer34.txt'],
]

/** The capture without its first line (the source), repeated to `bytes` (cut at the last whole line). */
function repeatFixture(rel: string, bytes: number, out: string): void {
  const text = readFileSync(join(root, 'test/fixtures', rel), 'utf8')
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/\n?$/, '\n')
  const chunk = Buffer.from(text.repeat(Math.max(1, Math.floor(MB / Buffer.byteLength(text)))))
  const fd = openSync(out, 'w')
  let n = 0
  for (; n + chunk.length <= bytes; n += chunk.length) writeSync(fd, chunk)
  const rest = chunk.subarray(0, bytes - n)
  const cut = rest.lastIndexOf(0x0a)
  if (cut >= 0) writeSync(fd, rest.subarray(0, cut + 1))
  closeSync(fd)
}

/** Runs `sh -c CMD` and returns its peak RSS in MB (null without /usr/bin/time), wall seconds and exit code. */
function measure(label: string, shell: string): number | null {
  const env = { ...process.env, SERVICING_DESK_HOME: join(dir, 'home') }
  const cmd = time ? `${time} -f '%e %M %x' sh -c ${JSON.stringify(shell)}` : shell
  const t0 = performance.now()
  const r = spawnSync('sh', ['-c', cmd], { cwd: root, env, encoding: 'utf8', maxBuffer: 256 * MB })
  const wall = (performance.now() - t0) / 1000
  const m = /^([\d.]+) (\d+) (\d+)$/.exec(r.stderr.trim().split('\n').pop() ?? '')
  const peak = m ? Number(m[2]) / 1024 : null
  process.stdout.write(
    `${label.padEnd(44)} ${m ? `${m[1]} s, peak ${peak!.toFixed(0)} MB, exit ${m[3]}` : `${wall.toFixed(2)} s, exit ${r.status}`}`,
  )
  return peak
}

try {
  const node = JSON.stringify(process.execPath)
  const cli = (f: string, kind: string, out = '/dev/null') =>
    `${node} main/cli/bin.ts analyze ${f} --kind ${kind} --json > ${out}`
  if (keep) mkdirSync(keep, { recursive: true })
  process.stdout.write(`load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; inputs of ${SIZE} bytes\n`)
  const small = join(dir, 'small.txt')
  repeatFixture(KINDS[0]![1], 1024, small)
  const base = measure('baseline: analyze 1 KB (wu-event)', cli(small, 'wu-event'))
  process.stdout.write('\n')
  let worst = 0
  for (const [kind, rel] of KINDS) {
    if (only && !only.includes(kind)) continue
    const f = join(dir, `${kind}.txt`)
    repeatFixture(rel, SIZE, f)
    const read = measure(`baseline: read 64 MB, no kind (${kind})`, cli(f, 'none'))
    process.stdout.write('\n')
    const peak = measure(`analyze 64 MB --kind ${kind}`, cli(f, kind, keep ? join(keep, `${kind}.json`) : '/dev/null'))
    if (peak !== null) {
      worst = Math.max(worst, peak)
      process.stdout.write(
        `  ${base ? `${(peak / base).toFixed(1)}x the 1 KB baseline` : ''}${read ? `, +${(peak - read).toFixed(0)} MB over reading it` : ''}${peak >= 300 ? '  OVER 300 MB' : ''}`,
      )
    }
    process.stdout.write('\n')
    rmSync(f, { force: true })
  }
  if (time) process.stdout.write(`worst peak ${worst.toFixed(0)} MB (target: under 300 MB)\n`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
