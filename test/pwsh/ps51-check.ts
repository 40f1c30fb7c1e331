/**
 * The Windows PowerShell 5.1 check (ps51-check.ps1), for the tests: every script handed in is parsed by PowerShell's
 * own parser and walked against the one rule list — in ONE PowerShell process for all of them (its start-up is
 * ~1 s; each script then takes milliseconds).
 *
 * PowerShell 7 (the pinned tool) is preferred even on Windows: its parser knows the 7-only syntax and names the
 * rule; Windows PowerShell 5.1 meets the same scripts as parse errors, which fail as well.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { findPowerShell, pwshToolCommand, requirePowerShell, type PowerShellCommand } from './pwsh.ts'

export const CHECKER = resolve(import.meta.dirname, 'ps51-check.ps1')

export interface ScriptToCheck {
  /** Where the script comes from, for the message (`Fix-W11-CORRUPT.ps1 (corrupt-store)`). */
  name: string
  /** The script: a string (as shown or sent), or the bytes of the file as the app writes it. */
  text: string | Buffer
  /** True for a script file as written (the BOM rule applies); false for text shown to copy or sent encoded. */
  file: boolean
  /** Only these rules (a command line shown to copy: it may be Command Prompt's, so only the program rules apply). */
  only?: string[]
}

export interface Finding {
  name: string
  rule: string
  line: number
  text: string
  message: string
}
export interface Rule {
  id: string
  message: string
}

/** The PowerShell that runs the check: the 7.6.9 tool when restored, else the one the tests have. */
export function checkerPowerShell(): PowerShellCommand | null {
  const tool = pwshToolCommand()
  if (tool) return { ...tool, version: 'tool' }
  return findPowerShell() ?? requirePowerShell()
}

function run(ps: PowerShellCommand, args: string[]): string {
  const r = spawnSync(ps.file, [...ps.prefix, '-NoProfile', '-NonInteractive', '-File', CHECKER, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      ...ps.env,
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      POWERSHELL_TELEMETRY_OPTOUT: '1',
      POWERSHELL_UPDATECHECK: 'Off',
    },
  })
  if (r.status !== 0) throw new Error(`the 5.1 check did not run (exit ${r.status}): ${r.stderr || r.stdout}`)
  return r.stdout
}

/** The rule list, as the checker holds it. */
export function ps51Rules(ps: PowerShellCommand): Rule[] {
  return JSON.parse(run(ps, ['-ListRules'])) as Rule[]
}

/**
 * Every finding in every script (an empty list: all of them keep every rule), in the scripts' order. A script handed
 * in more than once (the same bytes, kind and rules: each fix package carries the same collector, the same kit
 * script) is checked once; its findings are named for each of its names.
 */
export function checkScripts(ps: PowerShellCommand, scripts: readonly ScriptToCheck[]): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), 'sd-ps51-'))
  try {
    const keyOf = (s: ScriptToCheck) =>
      `${s.file}\n${(s.only ?? []).join(',')}\n${createHash('sha256').update(s.text).digest('hex')}`
    // Each script checked is named by its place in the list here (two scripts may share a name); findings are renamed below.
    const first = new Map<string, string>()
    const list: { name: string; path: string; file: boolean; only: string[] }[] = []
    for (const s of scripts) {
      const key = keyOf(s)
      if (first.has(key)) continue
      const id = String(list.length)
      first.set(key, id)
      const path = join(dir, `${id}.ps1`)
      writeFileSync(path, s.text)
      list.push({ name: id, path, file: s.file, only: s.only ?? [] })
    }
    const listFile = join(dir, 'list.json')
    writeFileSync(listFile, JSON.stringify(list))
    const out = run(ps, ['-ListFile', listFile]).trim()
    const parsed = JSON.parse(out || '[]') as Finding[] | Finding
    const found = Array.isArray(parsed) ? parsed : [parsed]
    return scripts.flatMap((s) =>
      found.filter((f) => f.name === first.get(keyOf(s))).map((f) => ({ ...f, name: s.name })),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The rules about the programs a command line starts, for command lines shown to copy. */
export const PROGRAM_RULES = ['bare-program', 'bare-program-text', 'system32-literal']

/** Findings as lines a person reads in a failed test. */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.name}:${f.line}: [${f.rule}] ${f.text} — ${f.message}`)
}
