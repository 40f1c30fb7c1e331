/**
 * Runs @doyensec/electronegativity on the built app (what `out/` ships: not out/cli, not the source maps) and fails on any HIGH finding, on any
 * MEDIUM finding that SECURITY.md does not explain, and on any file the scanner could not parse.
 *
 * Why through tools/electronegativity/scan.cjs and not the CLI's CSV: the CLI exits 0 whatever it finds
 * (shared/reference/toolchain.md §5), and its CSV writer races the header against the rows (the header
 * overwrote the first row here), while its SARIF has no severity. Why fail on parse errors: a file it
 * cannot parse is a file it silently does not check (class `#private` fields did that).
 * Writes `.ci-out/electronegativity.json` and a readable `.ci-out/electronegativity.csv`.
 *
 * Installs tools/electronegativity on first use (scripts/ensure-tools.ts).
 *
 * Usage: node scripts/check-electronegativity.ts (after `npx electron-vite build`)
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { ensureTool } from './ensure-tools.ts'

const root = resolve(import.meta.dirname, '..')

export interface Finding {
  id: string
  severity: string
  confidence: string
  file: string
  line: number
  column: number
  sample: string
  description: string
  manualReview: boolean
}

export interface ScanResult {
  errors: { file: string; message: string; tolerable: boolean }[]
  issues: Finding[]
}

/** MEDIUM checks explained in SECURITY.md: ids in backticks in its "electronegativity" section. Pure. */
export function explainedMediums(securityMd: string): Set<string> {
  const section = securityMd.split(/^## /m).find((s) => /^electronegativity/i.test(s)) ?? ''
  return new Set([...section.matchAll(/`([A-Z0-9_]+_CHECK)`/g)].map((m) => m[1]))
}

/** The reasons to fail. Pure. */
export function judge(result: ScanResult, explained: ReadonlySet<string>): string[] {
  const problems: string[] = result.errors.map((e) => `could not scan ${e.file}: ${e.message}`)
  for (const f of result.issues) {
    const sev = String(f.severity).toUpperCase()
    if (sev === 'HIGH')
      problems.push(`HIGH ${f.id} at ${f.file}:${f.line} — ${f.description} (${f.sample.slice(0, 120)})`)
    else if (sev === 'MEDIUM' && !explained.has(f.id))
      problems.push(`MEDIUM ${f.id} at ${f.file}:${f.line} is not explained in SECURITY.md`)
  }
  return problems
}

function csvField(v: unknown): string {
  return `"${String(v).replace(/"/g, '""')}"`
}

function main(): number {
  const tool = join(root, 'tools/electronegativity')
  if (!ensureTool('electronegativity')) {
    console.error('electronegativity: tools/electronegativity could not be installed.')
    return 1
  }
  if (!existsSync(join(root, 'out/main/index.js'))) {
    console.error('electronegativity: out/ is missing; run `npx electron-vite build` first.')
    return 1
  }
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'))
    .version as string
  // What the app ships of out/ (electron-builder.yml `files`): not out/cli (the command line, built for Node and never
  // packed) nor the source maps. The scanner is given a copy of those files: scanning out/ whole read the CLI bundle too,
  // twice the size of the app's code (measured: 12.7 s of CPU for out/, 7.4 s for this copy, the same findings).
  const input = mkdtempSync(join(tmpdir(), 'sd-electronegativity-'))
  let run: SpawnSyncReturns<string>
  try {
    const out = join(root, 'out')
    cpSync(out, input, {
      recursive: true,
      filter: (src) => src !== join(out, 'cli') && !src.startsWith(join(out, 'cli') + sep) && !src.endsWith('.map'),
    })
    run = spawnSync(process.execPath, [join(tool, 'scan.cjs'), input, electronVersion], {
      cwd: tool,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    })
  } finally {
    rmSync(input, { recursive: true, force: true })
  }
  if (run.status !== 0) {
    console.error(`electronegativity: the scanner failed (exit ${run.status}): ${(run.stderr ?? '').slice(0, 2000)}`)
    return 1
  }
  const result = JSON.parse(run.stdout) as ScanResult
  mkdirSync(join(root, '.ci-out'), { recursive: true })
  writeFileSync(join(root, '.ci-out/electronegativity.json'), JSON.stringify(result, null, 2))
  writeFileSync(
    join(root, '.ci-out/electronegativity.csv'),
    `${[
      'id,severity,confidence,file,location,sample,description',
      ...result.issues.map((f) =>
        [f.id, f.severity, f.confidence, f.file, `${f.line}:${f.column}`, f.sample, f.description]
          .map(csvField)
          .join(','),
      ),
    ].join('\n')}\n`,
  )
  for (const f of result.issues) console.log(`electronegativity: ${f.severity} ${f.id} ${f.file}:${f.line}`)
  const problems = judge(result, explainedMediums(readFileSync(join(root, 'SECURITY.md'), 'utf8')))
  const count = (s: string) => result.issues.filter((f) => String(f.severity).toUpperCase() === s).length
  console.log(
    `electronegativity: ${count('HIGH')} HIGH, ${count('MEDIUM')} MEDIUM, ${count('LOW')} LOW, ${count('INFORMATIONAL')} informational, ${result.errors.length} parse error(s)`,
  )
  for (const p of problems) console.error(`electronegativity: ${p}`)
  if (problems.length) {
    console.error('electronegativity: FAILED')
    return 1
  }
  console.log('electronegativity: ok (no HIGH; every MEDIUM explained in SECURITY.md; every file parsed)')
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exit(main())
