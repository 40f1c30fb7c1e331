/**
 * A text that reports no failure of its own — an explainer, a how-to page, news of a rollback mechanism, a false
 * alert — is not "a failure, cause not named": its failure words are told only as a condition ("if the update
 * fails"), a possibility ("may fail"), on a how-to line ("How to fix …", 対処法) or as a false alert. A failure a person
 * or a log tells as its own still is one, in any words. Every sentence here was written for this test.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'

const top = (text: string) => diagnose({ text }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')
const note = (text: string) => diagnose({ text }).findings.find((f) => f.id === 'no-failure-of-its-own')

const GENERAL: [string, string][] = [
  [
    'a condition (en)',
    'If a cumulative update fails to install, Windows undoes the changes at the next restart and offers the update again later.',
  ],
  ['a possibility (en)', 'A feature update may fail to install when the system drive has too little free space.'],
  [
    'a how-to heading (en)',
    'How to fix "update failed to install" on Windows 11\nOpen Settings, run the Windows Update troubleshooter and restart.',
  ],
  [
    'a false alert (en)',
    'Windows Update erroneously reports that the update failed to install, although the update history lists it as installed.',
  ],
  [
    'a condition (de)',
    'Falls die Installation des Updates fehlschlägt, macht Windows die Änderungen beim Neustart rückgängig.',
  ],
  ['a how-to line (fr)', 'Que faire si la mise à jour a échoué ? Redémarrez le PC et relancez Windows Update.'],
  [
    'a condition (es)',
    'Si aparece «error de instalación» en la actualización, Windows revierte los cambios automáticamente.',
  ],
  [
    'a condition after the verb (ja)',
    '更新プログラムのインストールに失敗した場合は、PC を再起動してからもう一度お試しください。',
  ],
  ['a condition (zh-cn)', '如果更新安装失败，Windows 会自动撤销更改。'],
  ['a condition after the verb (ko)', '업데이트 설치 실패 경우에는 PC를 다시 시작하세요.'],
  ['a condition (ru)', 'Если не удалось установить обновление, Windows отменяет изменения при перезагрузке.'],
  ['a condition (pl)', 'Jeśli aktualizacja nie powiodła się, system cofa zmiany przy ponownym uruchomieniu.'],
]

const OWN: [string, string][] = [
  ['a person (en)', 'I tried twice last night and the update failed to install on my laptop.'],
  [
    'a person after a how-to line',
    'How to fix update errors? Asking because the update failed to install on my PC twice.',
  ],
  ['a person (de)', 'Bei mir ist die Installation gestern fehlgeschlagen, zweimal hintereinander.'],
  [
    'a log line',
    '2026-11-20 10:12:03, Info  Installation failed for the cumulative update\nIf it fails again, I will reset.',
  ],
  ['a person (ja)', '昨日の夜、更新プログラムのインストールに失敗しました。'],
]

describe('a text that reports no failure of its own', () => {
  for (const [what, text] of GENERAL)
    it(`${what}: no "failure, cause not named", a note that says why`, () => {
      expect(readTextStory(text).generalOnly).toBe(true)
      expect(top(text)).toBeUndefined()
      expect(note(text)?.severity).toBe('info')
      expect(analyzeText(text).findings.some((f) => f.id === 'failure-cause-not-named')).toBe(false)
    })
})

describe('a failure told as the text’s own is still one', () => {
  for (const [what, text] of OWN)
    it(`${what}: a failure`, () => {
      expect(readTextStory(text).generalOnly).toBe(false)
      expect(top(text)?.id).toMatch(/^failure-cause-not-named/)
      expect(note(text)).toBeUndefined()
    })
  it('a how-to page that gives a code is read by its code', () => {
    const text = 'How to fix Windows Update error 0x80070643 when the update failed to install.'
    expect(readTextStory(text).generalOnly).toBe(false)
    expect(top(text)).toBeDefined()
  })
  it("a news page that talks of a KB's failure in general still gives the KB's known issue", () => {
    const text = 'Microsoft says KB5034441 may fail to install on PCs whose recovery partition is too small.'
    expect(top(text)?.id).not.toMatch(/^failure-cause-not-named/)
    expect(top(text)).toBeDefined()
  })
})
