/**
 * Human text cites sources by name, never by our internal keys: every code's explanation, every finding on
 * every training machine and every WinRE repair step. Keys stay in the data (sources[].key, remedies[].id).
 * Remedy commands carry no file-name placeholder (`<sha1>`, `<update>`).
 */
import { describe, it, expect } from 'vitest'
import { allErrorCodes } from '../../../main/knowledge/error-codes.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import { humanizeCitations, sourceName } from '../../../main/knowledge/citations.ts'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'

/** [S21], [MS], [S37b], [HDR], R0…R10, "see 1.4", "§4". */
const KEY = /\[(?:S\d{1,2}b?|MS|HDR|3P[^\]]*)\]|(?<!\d )\bR\d{1,2}\b|\bsee \d+\.\d+|§\s?\d/

describe('citations in human text', () => {
  it('maps keys to names and drops pointers into our notes', () => {
    expect(humanizeCitations('never the cumulative update [S21].')).toBe(
      'never the cumulative update (source: “Update Windows installation media with Dynamic Update”).',
    )
    expect(humanizeCitations('R0 (identify the installer); R8')).toBe(
      '“Read the servicing logs first” (identify the installer); “Clear stuck servicing state”',
    )
    expect(humanizeCitations('Not primarily a connectivity error (see 1.4).')).toBe(
      'Not primarily a connectivity error.',
    )
    expect(humanizeCitations('a [MS] b')).toBe(
      'a (source: Titles of Microsoft support articles in MicrosoftDocs/SupportArticles-docs) b',
    )
    // Not keys: the R2 of a Windows name, log tags and unknown brackets are left alone.
    expect(
      humanizeCitations('a prerequisite (KB2919355 on 8.1/2012 R2) goes first on Windows Server 2008 R2; R2'),
    ).toBe(
      'a prerequisite (KB2919355 on 8.1/2012 R2) goes first on Windows Server 2008 R2; “Free space on the system drive”',
    )
    expect(humanizeCitations('[INFO] x [HRESULT = 0x1] Array[0]')).toBe('[INFO] x [HRESULT = 0x1] Array[0]')
    expect(sourceName('S19')).toBe('“Checkpoint cumulative updates and Microsoft Update Catalog usage”')
  })

  it('no explanation of any known code carries a key', () => {
    const codes = allErrorCodes()
    expect(codes.length).toBeGreaterThan(80)
    for (const c of codes) {
      const r = explain(c.code)
      if (!r.ok) throw new Error(r.error)
      const text = [
        r.value.meaning,
        r.value.remedyText,
        ...r.value.causes,
        ...r.value.remedies.flatMap((x) => [x.title, x.text]),
      ].join('\n')
      expect(text, c.code).not.toMatch(KEY)
      for (const s of r.value.sources) expect(s.text, `${c.code} source ${s.key}`).not.toBe(s.key)
    }
  })

  it('no finding and no WinRE repair step on any training machine carries a key', async () => {
    const services = createServices({ dataDir: tempDirSync('sd-citations-'), platform: 'linux' })
    for (const m of services.listTrainingMachines().machines) {
      const machine = { kind: 'training' as const, name: m.name }
      const d = await services.diagnose({ machine })
      for (const f of d.findings) {
        const text = [f.title, ...f.causes, ...f.remedies.flatMap((x) => [x.title, x.text])].join('\n')
        expect(text, `${m.name} ${f.id}`).not.toMatch(KEY)
        // Remedy commands name real files: no <sha1>/<update> placeholder, no path of this (Linux) computer.
        // (The generic remedies' parameters a person supplies — <source>, <name> — are not covered yet.)
        for (const c of f.remedies.flatMap((x) => x.commands)) {
          expect(c, `${m.name} ${f.id}`).not.toMatch(/<sha1>|<update>|kbNNNNNNN|\/tmp\/|\/home\//i)
        }
      }
      const { repair } = await services.winre.report(machine)
      const text = [
        ...repair.steps.map((s) => s.explanation),
        ...repair.warnings,
        ...repair.notes,
        ...repair.manual.map((x) => x.detail),
      ].join('\n')
      expect(text, `${m.name} WinRE repair`).not.toMatch(KEY)
    }
  })
})
