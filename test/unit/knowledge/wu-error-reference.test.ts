/** Every code of Microsoft's "Windows Update error codes by component" page is known, with its source. */
import { describe, it, expect } from 'vitest'
import reference from '../../../main/knowledge/data/wu-error-reference.json' with { type: 'json' }
import { explain } from '../../../main/knowledge/error-explain.ts'
import { codeForName } from '../../../main/knowledge/error-codes.ts'

describe("Microsoft's Windows Update error code table", () => {
  it('holds every section of the page, each code once', () => {
    const codes = (reference.codes as string[][]).map((r) => r[0])
    expect(codes.length).toBeGreaterThanOrEqual(250)
    expect(new Set(codes).size).toBe(codes.length)
    expect(new Set((reference.codes as string[][]).map((r) => r[2])).size).toBeGreaterThanOrEqual(15)
  })

  it('explain knows each code with its name, and names the page where the curated knowledge does not', () => {
    for (const [code, name] of reference.codes as string[][]) {
      const r = explain(code!)
      if (!r.ok) throw new Error(r.error)
      expect(r.value.known, code).toBe(true)
      expect(r.value.name ?? '', code).not.toBe('')
      if (r.value.sources.some((s) => s.key === 'WUREF')) expect(r.value.name).toBe(name)
      expect(codeForName(name!), name).not.toBeNull()
    }
    expect(
      explain('0x80246008').ok &&
        (explain('0x80246008') as { value: { sources: { key: string; text: string }[] } }).value.sources[0]!.text,
    ).toMatch(/windows-update-error-reference\.md/)
  })
})
