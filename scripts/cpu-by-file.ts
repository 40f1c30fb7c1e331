#!/usr/bin/env node
/**
 * `node scripts/cpu-by-file.ts LOG [N]`: the unit test files that cost the most CPU, from the log the unit tests write
 * when SD_CPU_LOG names a file (test/unit/setup-cpu-log.ts): each file's CPU seconds (its worker's own and its child
 * processes'), its wall seconds, the N costliest (default 40) and the total. For finding what the suite's CPU goes to:
 * `SD_CPU_LOG=/tmp/cpu.log npm test` (or `vitest run`), then this. `--timeline` adds, per 20 s of the run, the files
 * running and the cores they kept busy (scripts/cpu-timeline.ts): where the run left a core idle.
 */
import { readFileSync } from 'node:fs'
import { timeline } from './cpu-timeline.ts'

const showTimeline = process.argv.includes('--timeline')
const [file, n = '40'] = process.argv.slice(2).filter((a) => a !== '--timeline')
if (!file) {
  process.stderr.write('usage: node scripts/cpu-by-file.ts LOG [N] [--timeline]\n')
  process.exit(2)
}
interface Line {
  file: string
  self: number
  children: number | null
  wall: number
  start?: number
}
const rows: Line[] = []
for (const [i, text] of readFileSync(file, 'utf8').split('\n').entries()) {
  if (!text.trim()) continue
  try {
    rows.push(JSON.parse(text) as Line)
  } catch {
    process.stderr.write(`${file}:${i + 1}: not a JSON line, skipped\n`)
  }
}
const cpu = (r: Line) => r.self + (r.children ?? 0)
rows.sort((a, b) => cpu(b) - cpu(a))
const f = (x: number) => x.toFixed(1).padStart(7)
process.stdout.write(
  `${'CPU s'.padStart(7)} ${'self'.padStart(7)} ${'child'.padStart(7)} ${'wall s'.padStart(7)}  file\n`,
)
for (const r of rows.slice(0, Number(n)))
  process.stdout.write(`${f(cpu(r))} ${f(r.self)} ${f(r.children ?? 0)} ${f(r.wall)}  ${r.file}\n`)
const sum = (g: (r: Line) => number) => rows.reduce((s, r) => s + g(r), 0)
process.stdout.write(
  `${f(sum(cpu))} ${f(sum((r) => r.self))} ${f(sum((r) => r.children ?? 0))} ${f(sum((r) => r.wall))}  all ${rows.length} files\n`,
)
if (showTimeline) {
  const slices = timeline(rows, 20)
  if (!slices.length)
    process.stdout.write('no time line: the log has no start times (written before they were logged)\n')
  for (const x of slices)
    process.stdout.write(
      `${`${Math.round(x.from)}-${Math.round(x.to)} s`.padStart(11)}: ${x.files.toFixed(1)} files running, ${x.cores.toFixed(2)} cores busy with them\n`,
    )
}
