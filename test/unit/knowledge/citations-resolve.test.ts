/**
 * Which text each source key resolves to (main/knowledge/citations.ts), for every key of every data file: the first
 * definition in the order WinRE targets, servicing chains, the error codes' sources (with the WU reference page and
 * Microsoft's tables), known issues. citations.ts reads each file's table only when a look-up first reaches
 * it (`explain` no longer reads the servicing chains at import); this pins that the answers stay those of
 * the one table it used to build at import. The expected table is built here from the JSON files themselves.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { errorCodeSources } from '../../../main/knowledge/error-codes.ts'
import { humanizeCitations, sourceName, sourceText } from '../../../main/knowledge/citations.ts'

const DATA = join(import.meta.dirname, '../../../main/knowledge/data')
const sourcesOf = (name: string) =>
  (JSON.parse(readFileSync(join(DATA, `${name}.json`), 'utf8')) as { sources: Record<string, string> }).sources
const winre = sourcesOf('winre-targets')
const chains = sourcesOf('servicing-chains')
const issues = sourcesOf('known-issues')

/** The table as citations.ts built it at import before it was built on first use: a key keeps its first definition. */
function expectedTable(): Map<string, string> {
  const table = new Map<string, string>()
  for (const src of [winre, chains, errorCodeSources(), issues]) {
    for (const [k, v] of Object.entries(src)) if (!table.has(k)) table.set(k, v)
  }
  return table
}

describe('source keys resolve as the one table did', () => {
  it('every key of every data file gives its first definition, as text and as a name', () => {
    const table = expectedTable()
    expect(table.size).toBeGreaterThan(100)
    for (const [key, text] of table) {
      expect(sourceText(key), key).toBe(text)
      expect(humanizeCitations(`x [${key}]`), key).toBe(`x (source: ${sourceName(key)})`)
    }
  })

  it("a key two files define with different texts keeps the earlier file's (WinRE, then chains, then error codes)", () => {
    // The keys where the order decides (checked against the data: each pair's texts differ).
    expect(winre.S22).not.toBe(errorCodeSources().S22)
    expect(sourceText('S22')).toBe(winre.S22)
    expect(sourceText('S25')).toBe(winre.S25)
    expect(sourceText('MS-26H2')).toBe(winre['MS-26H2'])
    for (const key of ['S20', 'S42', 'S45', 'MS-KB5086672']) {
      expect(chains[key], key).not.toBe(errorCodeSources()[key])
      expect(sourceText(key), key).toBe(chains[key])
    }
    expect(sourceName('S20')).toBe('“Add-WindowsPackage”')
    expect(sourceText('KI-5034441')).toBe(issues['KI-5034441'])
  })

  it("an unknown key, or one only an object's prototype has, resolves to nothing", () => {
    for (const key of ['S999', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(sourceText(key), key).toBeNull()
      expect(sourceName(key), key).toBeNull()
    }
    expect(humanizeCitations('a [S999] b [toString]')).toBe('a [S999] b [toString]')
  })
})
