/**
 * Nothing is lost whatever the kind, and transcripts take the last state.
 * The reagentc transcript is three real outputs from one public log book, in the order they were run.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText, ANALYZE_MAX_BYTES } from '../../../main/analyze/analyze.ts'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { splitTranscript } from '../../../main/analyze/transcript.ts'
import { cleanPastedText } from '../../../main/analyze/clean-text.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { formatDiagnosis } from '../../../main/cli/commands/diagnose.ts'
import { loadFixture } from '../../fixtures/load.ts'

const codeForms = ['0x800f0922', '800f0922', '-2146498270', '2148469026', '0X800F0922']
// Our own prose around each form, and several real layouts carrying it.
const wrappers: ((c: string) => string)[] = [
  (c) => `Update failed. Error: ${c}\nDISM failed. No operation was performed.`,
  (c) => `hi, after reboot it says ${c}. any idea?`,
  (c) => `The update could not be installed (${c}).`,
  (c) => `2024-05-01 10:00:00, Error                 CBS    Failed to install [HRESULT = ${c}]`,
  (c) => `Error: ${c}\n\nThe DISM log file can be found at C:\\Windows\\Logs\\DISM\\dism.log`,
  (c) => `Windows RE status:         Enabled\nREAGENTC.EXE: failed ${c}`,
]

describe('nothing is lost', () => {
  const cases = codeForms.flatMap((form) => wrappers.map((w, i) => ({ form, i, text: w(form) })))
  it(`runs ${codeForms.length * wrappers.length} form × layout cases`, () => {
    expect(cases.length).toBe(30)
  })
  it.each(cases)('$form in layout $i lists 0x800F0922 in the JSON', ({ text }) => {
    const r = analyzeText(text)
    expect(JSON.stringify(r)).toContain('0x800F0922')
    const x = r.facts.extracted as ReturnType<typeof extractTextFacts>
    expect(x.codes.map((c) => c.code)).toContain('0x800F0922')
    expect(x.codes.find((c) => c.code === '0x800F0922')!.line).toBeGreaterThan(0)
  })

  it('reads every form with its line, decimal HRESULTs and Win32 numbers in context, KBs, builds, packages', () => {
    const x = extractTextFacts(
      [
        'first line, nothing here',
        'event: Installation Failure: error 2147942405 "Access is denied."',
        'DISM says Error: 14098',
        'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10 on 10.0.26100.1742 and KB5043080',
        'GUID {8e73986c-289e-11f0-bf53-a4d06eada308} is not a code; 0x00000000 is success',
      ].join('\n'),
    )
    expect(x.codes.map((c) => [c.code, c.line])).toEqual([
      ['0x80070005', 2],
      ['0x80073712', 3],
    ])
    expect(x.kbs.map((k) => [k.kb, k.line])).toEqual([['KB5043080', 4]])
    expect(x.builds.map((b) => b.version)).toContain('10.0.26100.1742')
    expect(x.packages.map((p) => [p.identity, p.line])).toEqual([
      ['Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10', 4],
    ])
  })

  it('an unknown kind still yields facts, a diagnosis and a sentence saying what was and was not read', () => {
    const r = analyzeText('Tried three times, Windows Update shows 0x800f0922 for KB5034441 on 19045.3803')
    expect(r.kind).toBe('unknown')
    expect(r.findings.map((f) => f.title).join()).toContain('0x800F0922')
    expect(r.warnings.join(' ')).toMatch(/Read from the text: 1 error code\(s\), 1 KB number\(s\), 1 build number\(s\)/)
    expect(r.warnings.join(' ')).toMatch(/not recognised/)
  })

  it('diagnose on such text names the code and never says "No problem found"', () => {
    for (const form of codeForms) {
      const out = diagnose({ text: `our chat message: it failed again with ${form}` })
      const printed = formatDiagnosis(out)
      expect(printed).toContain('0x800F0922')
      expect(printed).not.toContain('No problem found')
      expect(out.notes.join(' ')).toMatch(/read the error code\(s\) in it \(0x800F0922\)/)
    }
  })

  it("DISM's own version is marked as the tool's, the image version as the image's", () => {
    const x = extractTextFacts(
      'Deployment Image Servicing and Management tool\nVersion: 10.0.22621.2792\n\nImage Version: 10.0.22631.3880\n',
    )
    expect(x.builds.map((b) => [b.version, b.role])).toEqual([
      ['10.0.22621.2792', 'dism-tool'],
      ['10.0.22631.3880', 'image'],
    ])
  })

  it('refuses text over the stated limit with a sentence, without reading it', () => {
    const r = analyzeText(new Uint8Array(ANALYZE_MAX_BYTES + 1))
    expect(r.kind).toBe('unknown')
    expect(r.warnings[0]).toMatch(/at most 64 MB is analysed/)
  })
})

describe('transcripts', () => {
  const parts = [
    'reagentc/en-server2025-enabled.txt',
    'reagentc/en-disable-success.txt',
    'reagentc/en-server2025-disabled.txt',
  ].map((p) => loadFixture(p).text)
  const transcript = parts.join('')

  it('splits on prompts and reads facts.winre.status as the LAST state, saying so', () => {
    expect(splitTranscript(transcript).map((s) => s.command)).toEqual([
      'ReAgentc.exe /info',
      'ReAgentc.exe /disable',
      'ReAgentc.exe /info',
    ])
    const r = analyzeText(transcript)
    expect(r.kind).toBe('reagentc-info')
    expect((r.facts.winre as { status: string }).status).toBe('disabled')
    expect(r.warnings[0]).toMatch(/transcript of 3 commands; facts take the last state/)
    expect((r.facts.transcript as { commands: unknown[] }).commands).toHaveLength(3)
    expect(r.findings.map((f) => f.id)).toEqual(['winre-disabled'])
  })

  it('the reverse order reads "enabled"', () => {
    const r = analyzeText(parts[2]! + parts[1]! + parts[0]!)
    expect((r.facts.winre as { status: string }).status).toBe('enabled')
  })

  it('one prompt is not a transcript', () => {
    expect(splitTranscript(parts[0]!)).toEqual([])
  })
})

describe('clean-text peels quoting, fences and prefixes', () => {
  const original = loadFixture('reagentc/en-server2025-disabled.txt').text
  const variants: [string, string][] = [
    [
      'quoted',
      original
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n'),
    ],
    ['fenced', `\`\`\`\n${original}\n\`\`\``],
    [
      'bulleted',
      original
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => `* ${l}`)
        .join('\n'),
    ],
    [
      'timestamped',
      original
        .split('\n')
        .map((l, i) => `2024-05-01T10:00:${String(i).padStart(2, '0')}.1234567Z ${l}`)
        .join('\n'),
    ],
  ]
  it(`runs ${variants.length} variants`, () => expect(variants.length).toBe(4))
  it.each(variants)('%s paste reads the same WinRE status', (_n, text) => {
    expect(cleanPastedText(text).notes.length).toBeGreaterThan(0)
    expect((analyzeText(text).facts.winre as { status: string }).status).toBe('disabled')
  })
})
