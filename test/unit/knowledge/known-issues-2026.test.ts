/**
 * The known-issue table holds every 2026 known issue Microsoft acknowledged for a serviced branch, those with no error
 * code included (a Remote Desktop sign-in that fails, a PC that restarts instead of shutting down, a Microsoft account
 * sign-in that fails, a BitLocker recovery prompt), and `diagnose` reaches each: a code-less row when a text names its
 * KB and tells its symptom in words. Plus the older rows texts in the corpora need (KB4532693's temporary profile,
 * KB5043145's restarts and blue screens, Windows 7's 0x8000FFFF without KB3177467). Each row's KBs and fix are stated
 * by the source it cites.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import {
  knownIssueSources,
  knownIssues,
  matchKnownIssues,
  symptomWordIn,
} from '../../../main/knowledge/known-issues.ts'
import { knownUpdate } from '../../../main/knowledge/servicing-chains.ts'

const row = (id: string) => {
  const r = knownIssues().find((x) => x.id === id)
  if (!r) throw new Error(`no row ${id}`)
  return r
}
const findingIds = (text: string) =>
  diagnose({ text })
    .findings.map((f) => f.id)
    .filter((id) => id.startsWith('known-issue:'))

const CODELESS_2026 = [
  'kb5074109-remote-desktop-sign-in',
  'kb5073724-remote-desktop-sign-in',
  'kb5073379-remote-desktop-sign-in',
  'kb5073455-secure-launch-shutdown',
  'kb5074109-cloud-files-outlook-pst',
  'kb5079473-microsoft-account-sign-in',
  'kb5083769-bitlocker-recovery-pcr7',
  'kb5082052-bitlocker-recovery-pcr7',
  'kb5082063-bitlocker-recovery-pcr7',
]

describe('2026 known issues without an error code are rows of the table', () => {
  it.each(CODELESS_2026)(
    '%s: no code, symptom words, its KB a 2026 update of its branches, its source names KB and fix',
    (id) => {
      const r = row(id)
      expect(r.affects.codes).toEqual([])
      expect(r.affects.symptomWords?.length).toBeGreaterThan(2)
      const u = knownUpdate(r.kb!)
      expect(u?.released.startsWith('2026-'), r.kb!).toBe(true)
      for (const b of r.affects.branchIds) expect(u!.branchIds, `${r.kb} ${b}`).toContain(b)
      const src = knownIssueSources()[r.source]!
      expect(src).toContain(r.kb!)
      expect(src).toMatch(/https:\/\//)
      if (r.resolutionKb) {
        expect(src).toContain(r.resolutionKb)
        // The fix is a later update of the same branch.
        const fix = knownUpdate(r.resolutionKb)
        expect(fix && fix.released > u!.released, r.resolutionKb).toBe(true)
      }
    },
  )

  it('every row names its KB and its fix in the source it cites (older rows too)', () => {
    // A KB as the source writes it: "KB5034441", "KB 3177467" or the page's address (help/5034441).
    const names = (src: string, kb: string) => new RegExp(`(?:KB ?|help/)${kb.slice(2)}\\b`).test(src)
    for (const r of knownIssues()) {
      const src = knownIssueSources()[r.source]!
      for (const kb of [...(r.kb ? [r.kb] : []), ...(r.affects.kbs ?? []), ...(r.resolutionKb ? [r.resolutionKb] : [])])
        expect(names(src, kb), `${r.id}: ${kb}`).toBe(true)
    }
  })

  it('the facts as the sources state them', () => {
    expect(row('kb5074109-remote-desktop-sign-in')).toMatchObject({ resolutionKb: 'KB5077744' })
    expect(row('kb5073724-remote-desktop-sign-in')).toMatchObject({ resolutionKb: 'KB5077796' })
    expect(row('kb5073379-remote-desktop-sign-in')).toMatchObject({ resolutionKb: 'KB5077793' })
    expect(row('kb5073455-secure-launch-shutdown')).toMatchObject({
      resolutionKb: 'KB5077797',
      workaround: 'Shut down from an elevated Command Prompt with: shutdown /s /t 0',
    })
    expect(row('kb5073455-secure-launch-shutdown').affects.condition).toMatch(/Secure Launch/)
    expect(row('kb5074109-cloud-files-outlook-pst')).toMatchObject({ resolutionKb: 'KB5078127' })
    expect(row('kb5079473-microsoft-account-sign-in')).toMatchObject({ resolutionKb: 'KB5085516' })
    expect(row('kb5079473-microsoft-account-sign-in').symptom).toMatch(/No Internet/)
    for (const id of ['kb5083769', 'kb5082052', 'kb5082063'])
      expect(row(`${id}-bitlocker-recovery-pcr7`).affects.condition).toMatch(/PCR7/)
    expect(row('kb5043145-restarts-blue-screen-usb')).toMatchObject({ kir: true, resolutionKb: null })
    expect(row('win7-2018-rollups-ssu-0x8000ffff')).toMatchObject({
      kb: 'KB4457144',
      resolutionKb: 'KB3177467',
      prerequisite: true,
      affects: { codes: ['0x8000FFFF'], kbs: ['KB4457145', 'KB4343894'] },
    })
  })
})

describe('diagnose reaches a code-less row when its KB and its symptom words meet', () => {
  const told: [string, string][] = [
    [
      'kb5074109-remote-desktop-sign-in',
      'Since KB5074109 the Windows App fails at the credential prompt for our Windows 365 PCs.',
    ],
    ['kb5073724-remote-desktop-sign-in', 'After KB5073724 nobody can sign in over Remote Desktop.'],
    ['kb5073379-remote-desktop-sign-in', 'Our Server 2025 hosts got KB5073379 and RDP logons fail now.'],
    ['kb5073455-secure-launch-shutdown', 'After KB5073455 the laptop restarts instead of shutting down.'],
    ['kb5074109-cloud-files-outlook-pst', 'Outlook hangs since KB5074109; my PST file is in OneDrive.'],
    ['kb5079473-microsoft-account-sign-in', 'KB5079473 installed, now Teams says no internet when I sign in.'],
    ['kb5083769-bitlocker-recovery-pcr7', 'The PC asked for the BitLocker recovery key after KB5083769.'],
    ['kb5082052-bitlocker-recovery-pcr7', 'After KB5082052 a BitLocker screen wants the recovery key.'],
    ['kb5082063-bitlocker-recovery-pcr7', 'KB5082063 put the server into BitLocker recovery.'],
    ['kb5043145-restarts-blue-screen-usb', 'KB5043145 gives me a blue screen and my USB mouse is dead.'],
    ['kb4532693-temporary-profile', 'After KB4532693 Windows logged me in with a temporary profile.'],
  ]
  it.each(told)('%s', (id, text) => {
    expect(findingIds(text)).toContain(`known-issue:${id}`)
  })

  it('in other languages too: the symptom words are the words people use', () => {
    expect(findingIds('Nach KB5073455 startet der PC neu statt herunterzufahren.')).toContain(
      'known-issue:kb5073455-secure-launch-shutdown',
    )
    expect(findingIds('Depois da KB5043145 o PC mostra tela azul.')).toContain(
      'known-issue:kb5043145-restarts-blue-screen-usb',
    )
    expect(findingIds('KB5083769 のあと BitLocker の回復キーを求められた。')).toContain(
      'known-issue:kb5083769-bitlocker-recovery-pcr7',
    )
  })

  it('the KB without the symptom, or the symptom beside another KB, is not the row', () => {
    expect(findingIds('KB5073455 installed fine yesterday.')).not.toContain(
      'known-issue:kb5073455-secure-launch-shutdown',
    )
    expect(findingIds('After KB5077181 the laptop restarts instead of shutting down.')).not.toContain(
      'known-issue:kb5073455-secure-launch-shutdown',
    )
    // A word inside another word is not the word: "usb" is not in "busbar".
    expect(symptomWordIn('the busbar', ['usb'])).toBeNull()
    expect(symptomWordIn('USB-Stick', ['usb'])).toBe('usb')
  })

  it('a symptom told in words is weaker than a code: confidence 0.85 (0.75 with a condition Servicing Desk cannot read)', () => {
    const f = diagnose({ text: 'After KB5079473 I cannot sign in to OneDrive: no internet, it says.' }).findings.find(
      (x) => x.id === 'known-issue:kb5079473-microsoft-account-sign-in',
    )
    expect(f?.confidence).toBe(0.85)
    expect(f?.causes).toContain('The text names KB5079473 and tells the issue\'s symptom ("sign in").')
    expect(f!.remedies[0]!.title).toBe('Install KB5085516 instead')
    const g = diagnose({ text: 'After KB5073455 the PC will not shut down, it restarts.' }).findings.find(
      (x) => x.id === 'known-issue:kb5073455-secure-launch-shutdown',
    )
    expect(g?.confidence).toBe(0.75)
    expect(g!.remedies[0]!.text).toMatch(
      /Until then: Shut down from an elevated Command Prompt with: shutdown \/s \/t 0/,
    )
  })

  it('a symptom told in words with no failed install and no code is an error, not critical; told beside a failure, critical', () => {
    const sev = (text: string, id: string) => diagnose({ text }).findings.find((x) => x.id === id)?.severity
    expect(
      sev(
        'After KB5073455 the laptop restarts instead of shutting down.',
        'known-issue:kb5073455-secure-launch-shutdown',
      ),
    ).toBe('error')
    expect(
      sev('After KB4532693 Windows logged me in with a temporary profile.', 'known-issue:kb4532693-temporary-profile'),
    ).toBe('error')
    expect(
      sev(
        'KB5043145 failed to install and the PC restarted with a blue screen.',
        'known-issue:kb5043145-restarts-blue-screen-usb',
      ),
    ).toBe('critical')
  })

  it('on a PC: the KB installed and the symptom typed meets the row on its branch only; the fix installed says so', () => {
    const base = { branchId: 'win11-23h2', failedKbs: [], codes: [], typedCode: null, winreVersion: null }
    const text = 'It restarts instead of shutting down.'
    const [m] = matchKnownIssues({ ...base, installedKbs: ['KB5073455'], text })
    expect(m).toMatchObject({ issue: { id: 'kb5073455-secure-launch-shutdown' }, via: 'symptom', resolved: false })
    expect(matchKnownIssues({ ...base, branchId: 'win11-24h2', installedKbs: ['KB5073455'], text })).toEqual([])
    expect(matchKnownIssues({ ...base, installedKbs: ['KB5073455', 'KB5077797'], text })[0]?.resolved).toBe(true)
  })
})

describe("Windows 7's 0x8000FFFF: the rollups' known issue, KB3177467 first", () => {
  it('a rollup that failed with 0x8000FFFF, or a text naming KB3177467 beside the code, is that row', () => {
    const base = { branchId: null, codes: [], typedCode: null, winreVersion: null, installedKbs: [] }
    for (const kb of ['KB4457144', 'KB4457145', 'KB4343894'])
      expect(matchKnownIssues({ ...base, failedKbs: [kb], codes: ['0x8000FFFF'] })[0]).toMatchObject({
        issue: { id: 'win7-2018-rollups-ssu-0x8000ffff' },
        strength: 'strong',
      })
    expect(
      matchKnownIssues({ ...base, failedKbs: [], namedKbs: ['KB3177467'], codes: ['0x8000FFFF'] })[0]?.why[0],
    ).toBe('The text names KB3177467, the update Microsoft says must come first, beside 0x8000FFFF.')
    // KB3177467 already installed: the code has another cause; KB3177467 without the code is no failure of this kind.
    expect(
      matchKnownIssues({
        ...base,
        failedKbs: [],
        namedKbs: ['KB3177467'],
        installedKbs: ['KB3177467'],
        codes: ['0x8000FFFF'],
      }),
    ).toEqual([])
    expect(matchKnownIssues({ ...base, failedKbs: [], namedKbs: ['KB3177467'] })).toEqual([])
    expect(
      findingIds(
        'This update may fail to install with error 0x8000FFFF. Before installing this update, install KB3177467.',
      ),
    ).toContain('known-issue:win7-2018-rollups-ssu-0x8000ffff')
  })
})

describe("KB5021233's blue screen 0xC000021A (hidparse.sys), Microsoft's Windows 10 known issue of December 2022", () => {
  it('the row, reached by a text naming the KB and the stop code; its fix KB5022282 and the WinRE copy of hidparse.sys', () => {
    const r = row('kb5021233-hidparse-0xc000021a')
    expect(r).toMatchObject({ kb: 'KB5021233', resolutionKb: 'KB5022282', affects: { codes: ['0xC000021A'] } })
    expect(r.workaround).toContain(
      'xcopy C:\\windows\\system32\\drivers\\hidparse.sys C:\\windows\\system32\\hidparse.sys',
    )
    expect(findingIds('After KB5021233 the PC fails to boot: blue screen 0xc000021a.')).toContain(
      'known-issue:kb5021233-hidparse-0xc000021a',
    )
  })
})

describe("a known issue's finding cites its source's address", () => {
  it('without the sentence punctuation around it, and with a parenthesis the address itself holds', async () => {
    const { citedUrl } = await import('../../../main/diagnose/rules/known-issues.ts')
    expect(citedUrl('fixed (https://windowsforum.com/threads/x.397632/latest); the workaround')).toBe(
      'https://windowsforum.com/threads/x.397632/latest',
    )
    expect(citedUrl('see https://learn.microsoft.com/en-us/previous-versions/aa386098(v=vs.85).')).toBe(
      'https://learn.microsoft.com/en-us/previous-versions/aa386098(v=vs.85)',
    )
    for (const r of knownIssues()) {
      const url = citedUrl(knownIssueSources()[r.source] ?? r.source)
      expect(url, r.id).toMatch(/^https:\/\/\S+[\w/)]$/)
    }
  })
})
