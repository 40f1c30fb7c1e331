/**
 * Microsoft's documented known issues of the 2024 and 2025 Windows updates that make an update fail, roll back, or
 * leave the PC unable to start or recover (release health, the KB pages, or a public page quoting them): each is a
 * row of the known-issue table that `diagnose` reaches from a short pasted text where its KB meets one of its codes
 * or, for an issue that has no code, the words that describe it. Each row's source keeps a captured excerpt in
 * test/fixtures/known-issues/, and the row's `quote` (the sentence that states it), KB, codes and fixing KB are in it.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { errorCodeEntry } from '../../../main/knowledge/error-codes.ts'
import {
  knownIssues,
  knownIssueSources,
  symptomWordIn,
  matchKnownIssues,
  type IssueFacts,
  type KnownIssue,
} from '../../../main/knowledge/known-issues.ts'
import { issueFacts } from './issue-facts.ts'

const ROOT = join(import.meta.dirname, '../../..')
/** The rows of the 2024–2025 sweep: the ones whose source keeps a capture under test/fixtures/known-issues/. */
const captureOf = (row: KnownIssue): string | null => {
  const m = /(test\/fixtures\/known-issues\/[\w.-]+\.txt)/.exec(knownIssueSources()[row.source] ?? '')
  return m ? readFileSync(join(ROOT, m[1]!), 'utf8') : null
}
const swept = knownIssues().filter((r) => captureOf(r) !== null)
const kbsOf = (r: KnownIssue) => [...(r.kb ? [r.kb] : []), ...(r.affects.kbs ?? [])]

/**
 * A page's words as the row quotes them: runs of white space as one space, typographic quotes and apostrophes as
 * straight ones, no space before a full stop or comma (a page's ". This" after markup).
 */
const typographic = (t: string) =>
  t
    .replace(/\s+/g, ' ')
    .replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/ ([.,])/g, '$1')
/**
 * Updates pages name by what they are, not their number: Windows 7 SP1 is KB976932, the System Update Readiness Tool
 * (CheckSUR) KB947821 (Microsoft's own names for them).
 */
const KB_NAMES: Record<string, RegExp> = {
  KB976932: /Service Pack 1|\bSP1\b/,
  KB947821: /System Update Readiness Tool|checksur/i,
}
/** A KB as pages write it: "KB2993651", "KB 2993651", "MSKB 3159398", the number alone ("Patch 2823324"), or its name. */
const hasKb = (text: string, kb: string) =>
  new RegExp(`(?<![\\d])${kb.replace(/^KB/i, '')}(?![\\d])`).test(text) || KB_NAMES[kb]?.test(text) === true

/** A stop code as people write it: 0x0000018B is "0x18B". */
const shortCode = (c: string) => (/^0x0000/.test(c) ? `0x${c.slice(2).replace(/^0+/, '')}` : c)
/** Stop codes pages name by their bug check name only (Microsoft's Bug Check Code Reference). */
const STOP_NAMES: Record<string, RegExp> = {
  '0x0000007B': /inaccessible[ _]boot[ _]device/i,
  '0x000000D1': /driver[ _]irql[ _]not[ _]less[ _]or[ _]equal/i,
  '0x00000050': /page[ _]fault[ _]in[ _]nonpaged[ _]area/i,
}
/** A code in a capture: as written, in its short form, a stop code by its name or its hex digits alone ("D1, FC"). */
const hasCode = (text: string, c: string) => {
  const lower = text.toLowerCase()
  if (lower.includes(c.toLowerCase()) || lower.includes(shortCode(c).toLowerCase())) return true
  if (!/^0x0000/.test(c)) return false
  return STOP_NAMES[c]?.test(text) === true || new RegExp(`\\b${shortCode(c).slice(2)}\\b`, 'i').test(text)
}

describe('2024–2025 known issues: a row for each, with its source captured', () => {
  it('the sweep holds the rows it names (the 2019–2026 sweep adds its own: known-issues-sweep.test.ts)', () => {
    expect(swept.map((r) => r.id).sort()).toEqual(
      expect.arrayContaining([
        'kb5031356-0x8007000d',
        'kb5039302-restart-loop',
        'kb5041585-sbat-dual-boot',
        'kb5068966-hotpatch-reinstall-loop',
        'kb5012170-secure-boot-dbx-0x800f0922',
        'kb5022842-vmware-secure-boot-no-start',
        'kb5041580-sbat-dual-boot',
        'kb5044284-server-2025-unexpected-upgrade',
        'kb5044284-24h2-media-no-updates',
        'kb5040427-bitlocker-recovery',
        'kb5040442-bitlocker-recovery',
        'kb5055523-secure-kernel-error',
        'kb5055528-wsus-24h2-0x80240069',
        'kb5057588-winre-false-error-server2022',
        'kb5058379-bitlocker-intel-txt',
        'kb5058405-acpi-0xc0000098',
        'kb5060842-easy-anti-cheat',
        'kb5063709-reset-fails',
        'kb5063875-reset-fails',
        'kb5066835-winre-usb-input',
      ]),
    )
  })

  it.each(swept.map((r) => [r.id, r] as const))(
    '%s: its quote, KBs, codes and fixing KB are in the capture',
    (_id, r) => {
      const text = captureOf(r)!
      const flat = typographic(text)
      // A row resting on Microsoft's words quotes them; one whose source retells the issue (verified false) may not.
      if (r.verified) expect(r.quote, r.id).toBeTruthy()
      // A quote of two sentences the page has apart is written with "…" between them: each part is on the page.
      for (const part of typographic(r.quote ?? '')
        .split(/\s*…\s*/)
        .filter(Boolean))
        expect(flat, 'quote').toContain(part.replace(/[.,;:]$/, ''))
      for (const kb of kbsOf(r)) expect(hasKb(text, kb), kb).toBe(true)
      if (r.resolutionKb) expect(hasKb(text, r.resolutionKb), r.resolutionKb).toBe(true)
      for (const c of r.affects.codes) expect(hasCode(text, c), c).toBe(true)
      expect(r.verified === true || r.verified === false).toBe(true)
    },
  )

  it('every row has a source that resolves to an address a person can open', () => {
    for (const r of knownIssues()) {
      expect(knownIssueSources()[r.source], r.id).toBeTruthy()
      expect(knownIssueSources()[r.source], r.id).toMatch(/https?:\/\//)
    }
  })

  it('every code of every row is known to explain (a stop code aside); a row without a code has words to meet', () => {
    for (const r of swept) {
      for (const c of r.affects.codes) if (!/^0x0000/.test(c)) expect(errorCodeEntry(c), `${r.id} ${c}`).not.toBeNull()
      if (r.affects.codes.length === 0 || r.affects.codes.every((c) => /^0x0000/.test(c)))
        expect(r.affects.symptomWords?.length, r.id).toBeGreaterThan(0)
    }
  })
})

/** A short text a person would paste: the KB, then the code or the words, as a failure after installing it. */
function shortText(kb: string, what: string): string {
  return `After installing ${kb} the PC failed: ${what}. It happens again after every restart.`
}

/**
 * A row's own symptom words, with each shared list it names ("@restart-loop") stood for by that list's first word:
 * every word of a shared list is checked once, against one row, by known-issue-symptom-sets.test.ts.
 */
const rawTable = JSON.parse(readFileSync(join(ROOT, 'main/knowledge/data/known-issues.json'), 'utf8')) as {
  symptomSets: Record<string, string[]>
  issues: { id: string; affects: { symptomWords?: string[] } }[]
}
const ownWords = (id: string): string[] =>
  (rawTable.issues.find((r) => r.id === id)?.affects.symptomWords ?? []).map((w) =>
    w.startsWith('@') ? rawTable.symptomSets[w.slice(1)]![0]! : w,
  )

describe('diagnose reaches each row from a short text where its KB and code (or words) meet', () => {
  const cases = swept.flatMap((r) =>
    kbsOf(r).flatMap((kb) => [
      ...r.affects.codes.filter((c) => !/^0x0000/.test(c)).map((c) => [r.id, kb, c] as const),
      ...ownWords(r.id).map((w) => [r.id, kb, w] as const),
    ]),
  )

  it.each(cases)('%s: %s with "%s"', (id, kb, what) => {
    const d = diagnose({ text: shortText(kb, what) })
    const f = d.findings.find((x) => x.id === `known-issue:${id}`)
    expect(f, d.findings.map((x) => x.id).join(', ')).toBeDefined()
    const row = knownIssues().find((r) => r.id === id)!
    // A condition the app cannot read (a virtual machine, Intel TXT, a dual-boot PC) lowers a match by words to 0.75.
    expect(f!.confidence).toBeGreaterThanOrEqual(row.affects.condition ? 0.75 : 0.8)
    if (row.resolutionKb) expect(f!.remedies[0]!.text).toContain(row.resolutionKb)
  })

  it('the words alone, without the KB, meet no row; an issue after install is not its update failing to install', () => {
    expect(
      diagnose({ text: 'The PC shows SECURE_KERNEL_ERROR after a restart.' }).findings.some((f) =>
        f.id.startsWith('known-issue:'),
      ),
    ).toBe(false)
    // An issue that shows after the update installed is no cause of that update failing to install: without its
    // code or words the failed update meets none of those rows (a reboot loop while installing KB5066835 is not its
    // WinRE input issue).
    const installedRows = swept.filter((r) => r.affects.installed)
    for (const r of installedRows)
      for (const kb of kbsOf(r))
        expect(
          diagnose({ text: `${kb} failed to install and the PC is stuck in a loop while installing it.` }).findings.map(
            (f) => f.id,
          ),
          `${r.id} ${kb}`,
        ).not.toContain(`known-issue:${r.id}`)
  })

  it('KB5055523 then SECURE_KERNEL_ERROR (0x18B): the April 2025 blue screen, mitigated by a Known Issue Rollback', () => {
    const [f] = diagnose({
      text: 'Since KB5055523 was installed, Windows 11 24H2 crashes on restart with a blue screen SECURE_KERNEL_ERROR.',
    }).findings
    expect(f!.id).toBe('known-issue:kb5055523-secure-kernel-error')
    expect(f!.remedies[0]!.text).toMatch(/Known Issue Rollback/)
  })

  it('KB5066835 then no USB keyboard in WinRE: install KB5070773', () => {
    const d = diagnose({
      text: 'After KB5066835 my USB keyboard and mouse do not work in the Windows Recovery Environment.',
    })
    const f = d.findings.find((x) => x.id === 'known-issue:kb5066835-winre-usb-input')
    expect(f).toBeDefined()
    expect(f!.remedies[0]!.title).toMatch(/KB5070773/)
    // The evidence says which text named the KB beside which words.
    expect(f!.evidence).toContainEqual({ source: 'pasted text', excerpt: 'KB5066835 named beside "usb keyboard"' })
  })
})

describe('matchKnownIssues: further KBs and symptom words', () => {
  const facts = issueFacts
  const ids = (f: IssueFacts) => matchKnownIssues(f).map((m) => `${m.issue.id} ${m.kb} ${m.strength}`)

  it('a KB of `kbs` meets the row as its `kb` does, and the match names the KB that met', () => {
    expect(ids(facts({ installedKbs: ['KB5053656'], typedCode: '0x0000018B' }))).toEqual([
      'kb5055523-secure-kernel-error KB5053656 strong',
    ])
  })

  it('words meet only beside the KB (named, failed or installed), on an affected or unknown branch', () => {
    const words = { text: 'In the recovery screen my USB keyboard does nothing.' }
    expect(ids(facts(words))).toEqual([])
    expect(ids(facts({ ...words, namedKbs: ['KB5066835'] }))).toEqual(['kb5066835-winre-usb-input KB5066835 strong'])
    expect(ids(facts({ ...words, installedKbs: ['KB5066835'] }))).toEqual([
      'kb5066835-winre-usb-input KB5066835 strong',
    ])
    expect(ids(facts({ ...words, namedKbs: ['KB5066835'], branchId: 'win10-22h2' }))).toEqual([])
    expect(ids(facts({ namedKbs: ['KB5066835'] }))).toEqual([])
  })

  it('symptom words are read in any case, and only whole phrases', () => {
    const row = (id: string) => knownIssues().find((r) => r.id === id)!
    expect(
      symptomWordIn('Blue screen: SECURE_KERNEL_ERROR', row('kb5055523-secure-kernel-error').affects.symptomWords!),
    ).toBe('secure_kernel_error')
    expect(symptomWordIn('the keyboard works', row('kb5066835-winre-usb-input').affects.symptomWords!)).toBeNull()
  })
})
