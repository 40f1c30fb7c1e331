/**
 * Pasted text in linear time: each case below was quadratic (found by feeding every analyzer long runs of
 * one character after the suite at load 13 failed on a fuzz case). Each input takes milliseconds now; the
 * bound is 2 s of CPU time (not wall time: see test/unit/cpu-time.ts), and the old code took 6–12 s on the same input. What the
 * changed patterns read is unchanged: flattened.test.ts and the corpus tests read real flattened pastes.
 */
import { describe, it, expect } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { unflattenText } from '../../../main/analyze/clean-text.ts'
import { splitTranscript } from '../../../main/analyze/transcript.ts'
import { withinCpu } from '../cpu-time.ts'
import { voiceGeneralIn } from '../../../main/knowledge/text-voice.ts'

const within = <T>(f: () => T): T => withinCpu(2000, f)

describe('linear on long runs of one character', () => {
  it('unflattenText: 40,000 blanks before a character (three line-start patterns tried every blank of the run: 6.2 s)', () => {
    expect(within(() => unflattenText(`${' '.repeat(40_000)}x`))).toBe(`${' '.repeat(40_000)}x`)
  })

  it('splitTranscript: 400 KB of `C:\\ ` on one line (each `:\\` searched back to the line start: 2.4 s at 200 KB)', () => {
    expect(within(() => splitTranscript('C:\\ '.repeat(100_000)))).toEqual([])
  })

  it("splitTranscript: 200,000 full-width '＞' after blanks on one line, and blank-only lines", () => {
    expect(within(() => splitTranscript(`   ${' ＞'.repeat(100_000)}`))).toEqual([])
    expect(
      within(() =>
        splitTranscript(`${'  \n'.repeat(50_000)}＞systeminfo\nHost Name: PC\n  ＞ver\nMicrosoft Windows`),
      ).map((s) => s.command),
    ).toEqual(['systeminfo', 'ver'])
  })

  it('analyzeText: 200,000 blanks, and 400 KB of prompts, read whole without a hang', () => {
    for (const text of [`${' '.repeat(200_000)}x`, 'PS C:\\'.repeat(100_000)])
      expect(within(() => analyzeText(text)).kind).toBeDefined()
  })

  it('analyzeText: 30,000 blank lines before a word (line-start patterns whose blanks ran on through every later line: 3–6 s)', () => {
    for (const blank of ['\n', ' \r\n', '\u00a0\n'])
      expect(within(() => analyzeText(`${blank.repeat(30_000)}x`)).kind).toBeDefined()
  })

  it("the voice of a text (knowledge/text-voice.ts): 500 KB of one sentence, of question marks, of a change's words, of Korean", () => {
    // Each sentence is read on its own, never against the whole text again (a whole-text search per sentence took 5.9 s).
    const facts = { codes: 0, kbs: 0, pairs: 0 }
    const page = (text: string) => within(() => voiceGeneralIn(text, facts))?.page ?? null
    expect(page('Many users get an error after the update. '.repeat(12_000))).toBeNull()
    expect(page('? '.repeat(250_000))).toBeNull()
    expect(page('typo .md docs/ '.repeat(40_000))).toBe('documentation or code change')
    expect(page('문제가 생기면 사용자는 '.repeat(40_000))).toBeNull()
  })
  it('the voice of a text: 500 KB of link brackets and of short heading lines (a link try ends at the next bracket)', () => {
    const facts = { codes: 0, kbs: 0, pairs: 0 }
    const page = (text: string) => within(() => voiceGeneralIn(text, facts))?.page ?? null
    expect(page('['.repeat(500_000))).toBeNull()
    expect(page('[a]('.repeat(125_000))).toBeNull()
    expect(page('[my pc](x'.repeat(55_000))).toBeNull()
    expect(page('introduction\n'.repeat(40_000))).toBeNull()
    expect(page('1. introduction\nconclusion:\n'.repeat(20_000))).toBe('explainer')
  })
  it('the voice of a text: 500 KB of sentences that each start with a code, of full stops before blanks, of citations', () => {
    // A code defined as a sentence's subject is tried where a sentence starts; its blanks and its sentence are bounded.
    const facts = { codes: 0, kbs: 0, pairs: 0 }
    const page = (text: string) => within(() => voiceGeneralIn(text, facts))?.page ?? null
    expect(page(`. error 0x80070422${' '.repeat(40)}x`.repeat(8_000))).toBeNull()
    expect(page(`.${' '.repeat(500_000)}0x80070422`)).toBeNull()
    expect(page('. -'.repeat(160_000))).toBeNull()
    // A KB cited as a source is looked for a few words after the citation's word, on its line.
    expect(page(`出典${'x'.repeat(39)}`.repeat(12_000))).toBeNull()
  })
})
