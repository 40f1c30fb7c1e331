/** Shared shaping of log errors for analyzers: `{code, name, line, text}` with names from the knowledge. */
import { nameOfCode } from '../../knowledge/error-codes.ts'
import type { LogError } from '../../parse/cbs-log.ts'

export interface AnalyzedError {
  code: string | null
  name: string | null
  line: number
  text: string
}

export function shapeErrors(errors: readonly LogError[], max = 100): AnalyzedError[] {
  return errors
    .slice(0, max)
    .map((e) => ({ code: e.code, name: e.name ?? nameOfCode(e.code), line: e.line, text: e.text }))
}

export function describeCode(code: string | null): string {
  if (!code) return 'no code'
  const n = nameOfCode(code)
  return n ? `${code} (${n})` : code
}
