/**
 * Benchmark: pasted text analysed by `analyzeText`, in a fresh child process per case so
 * peak RSS is the analysis's own. Cases: 50 MB of newlines, a 50 MB CBS-style log, the same log
 * flattened into one line (newlines lost), and 100 MB (over the 64 MB limit: must be refused, never a crash).
 * Targets: under 2 s and under 300 MB peak RSS for 50 MB. Each time is printed with its ratio against a
 * baseline measured in the same run on the same file: Node reading the file, decoding it and counting its
 * lines (the least any analysis must do), with `wc -l` for reference. Prints numbers; asserts nothing.
 */
import { writeFileSync, mkdtempSync, rmSync, readFileSync } from 'node:fs'
import { tmpdir, loadavg, cpus } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'

const MB = 1024 * 1024
const mode = process.argv[2]

if (mode === '--analyze' || mode === '--baseline') {
  const file = process.argv[3]!
  const t0 = performance.now()
  let summary = ''
  if (mode === '--baseline') {
    const text = new TextDecoder().decode(readFileSync(file))
    let lines = 1
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++
    summary = `${lines} lines`
  } else {
    const { analyzeText } = await import('../../main/analyze/analyze.ts')
    // The Buffer is passed as it is (a Uint8Array): a copy would add its size to the peak.
    const r = analyzeText(readFileSync(file))
    const codes = (r.facts.extracted as { codes?: { code: string }[] } | undefined)?.codes?.map((c) => c.code) ?? []
    summary = `kind ${r.kind}, codes ${codes.slice(0, 3).join(' ') || 'none'}${r.warnings[0] ? `; "${r.warnings[0].slice(0, 90)}"` : ''}`
  }
  const ms = performance.now() - t0
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, summary }))
  process.exit(0)
}

function cbsText(bytes: number): string {
  const routine = [
    'Info                  CBS    Exec: Processing complete, session(Corrective): 31012345_1234567890 [HRESULT = 0x00000000 - S_OK]',
    'Info                  CSI    00000012 Performing 1 operations as follows:',
    'Info                  CBS    Appl: detect Parent, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10, Parent: Microsoft-Windows-Client-Features-Package~31bf3856ad364e35~amd64~~10.0.26100.1742',
    'Info                  CBS    Plan: Package: Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1150.1.5, Skipping applicable state',
  ]
  const parts: string[] = []
  let n = 0
  for (let i = 0; n < bytes; i++) {
    const l = `2024-05-01 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}, ${i % 50_000 === 49_999 ? 'Error                 CBS    Failed to install [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]' : routine[i % routine.length]}`
    parts.push(l)
    n += l.length + 1
  }
  return parts.join('\n')
}

const dir = mkdtempSync(join(tmpdir(), 'sd-paste-bench-'))
try {
  const sizeMb = 50
  const cbs = cbsText(sizeMb * MB)
  const cases: { name: string; file: string }[] = [
    { name: `${sizeMb} MB of newlines`, file: join(dir, 'newlines.txt') },
    { name: `${sizeMb} MB CBS-style log`, file: join(dir, 'cbs.txt') },
    { name: `${sizeMb} MB flattened (one line)`, file: join(dir, 'flat.txt') },
    { name: '100 MB (over the limit)', file: join(dir, 'big.txt') },
  ]
  writeFileSync(cases[0]!.file, '\n'.repeat(sizeMb * MB))
  writeFileSync(cases[1]!.file, cbs)
  writeFileSync(cases[2]!.file, cbs.replace(/\n/g, ' '))
  writeFileSync(cases[3]!.file, `${cbs}\n${cbs}`)
  process.stdout.write(
    `paste: machine load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (ratios compare runs made under the same load)\n`,
  )
  const child = (flag: string, file: string) => {
    const r = spawnSync(process.execPath, [process.argv[1]!, flag, file], { encoding: 'utf8', maxBuffer: 16 * MB })
    if (r.status !== 0)
      return {
        ms: NaN,
        maxRssMb: NaN,
        summary: `CRASHED (exit ${r.status}, ${r.signal ?? ''}): ${r.stderr.slice(-300)}`,
      }
    return JSON.parse(r.stdout) as { ms: number; maxRssMb: number; summary: string }
  }
  for (const c of cases) {
    const t0 = performance.now()
    spawnSync('wc', ['-l', c.file])
    const wc = performance.now() - t0
    const base = child('--baseline', c.file)
    const run = child('--analyze', c.file)
    const ratio = run.ms / base.ms
    const okTime = run.ms < 2000 ? 'OK' : 'OVER'
    const okMem = run.maxRssMb < 300 ? 'OK' : 'OVER'
    process.stdout.write(
      `${[
        `paste: ${c.name}: analyse ${(run.ms / 1000).toFixed(2)} s (target < 2 s) ${okTime}, peak RSS ${run.maxRssMb.toFixed(0)} MB (target < 300) ${okMem}`,
        `paste:   baseline (Node reads, decodes, counts lines) ${(base.ms / 1000).toFixed(2)} s, peak ${base.maxRssMb.toFixed(0)} MB; ratio ${ratio.toFixed(2)}x; wc -l ${(wc / 1000).toFixed(2)} s`,
        `paste:   ${run.summary}`,
      ].join('\n')}\n`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
