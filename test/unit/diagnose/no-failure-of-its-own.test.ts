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

/**
 * A text about failures in general shows it in its shape, not only in the mood of each failure word: a guide lists its
 * fixes as numbered methods addressed to the reader ("Method 1", "Methode 2", 方法1, 방법 2, "Soluzione 1"), a news item
 * tells what Microsoft confirmed or what users report — with no first-person report and no log line of a run.
 */
const GUIDE: [string, string][] = [
  [
    'numbered methods (en)',
    'The update failed to install.\nMethod 1: Run the Windows Update troubleshooter.\nMethod 2: Reset the Windows Update components.',
  ],
  [
    'numbered methods (de)',
    'Das Update ist fehlgeschlagen.\nMethode 1: Problembehandlung ausführen.\nMethode 2: Update-Cache leeren.',
  ],
  [
    'numbered methods (it)',
    'Aggiornamento non riuscito.\nSoluzione 1: riavviare il PC.\nSoluzione 2: eseguire lo strumento di risoluzione dei problemi.',
  ],
  [
    'numbered methods (ja)',
    '更新プログラムのインストールに失敗しました。\n方法1：PCを再起動します。\n方法2：トラブルシューティングツールを実行します。',
  ],
  [
    'numbered methods (ko)',
    '업데이트 설치에 실패했습니다.\n방법 1: PC를 다시 시작합니다.\n방법 2: 문제 해결사를 실행합니다.',
  ],
  ['numbered methods (zh-cn)', '更新安装失败。\n方法1：重新启动电脑。\n方法2：运行疑难解答。'],
  [
    'news framing on a page that names itself (en)',
    'In this article: users report that updates failed to install on some PCs, and what Microsoft says about it.',
  ],
  [
    'news framing on a page that names itself (fr)',
    'Dans cet article : des utilisateurs signalent que des mises à jour ont échoué.',
  ],
]

const OWN_WITH_STEPS: [string, string][] = [
  [
    'a person who tried numbered methods (en)',
    'The update failed to install on my laptop.\nMethod 1: ran the troubleshooter, no luck.\nMethod 2: reset the components, still failing.',
  ],
  [
    'a person who tried numbered methods (de)',
    'Bei mir ist das Update fehlgeschlagen.\nMethode 1: Problembehandlung, ohne Erfolg.\nMethode 2: Cache geleert.',
  ],
  [
    'a person who read the news (en)',
    'Microsoft has confirmed an issue, but on my PC the update failed to install twice.',
  ],
]

describe('a text shaped as a guide or a news item reports no failure of its own', () => {
  for (const [what, text] of GUIDE)
    it(`${what}: no "failure, cause not named"`, () => {
      expect(readTextStory(text).generalOnly).toBe(true)
      expect(top(text)).toBeUndefined()
    })
  it("news of a problem Microsoft acknowledged is that update's reported issue, not this PC's failure", () => {
    expect(top('Dans cet article : Microsoft a confirmé que des mises à jour ont échoué.')?.id).toBe(
      'known-issue:reported',
    )
  })
  for (const [what, text] of OWN_WITH_STEPS)
    it(`${what}: still a failure`, () => {
      expect(readTextStory(text).generalOnly).toBe(false)
      expect(top(text)?.id).toMatch(/^failure-cause-not-named/)
    })
})

describe('a guide that speaks of itself, and news of one KB', () => {
  it('a guide that names itself to its reader (es): no failure of its own', () => {
    const text =
      'En esta guía verás por qué falla la actualización de Windows. Las razones más frecuentes: poco espacio y archivos dañados.'
    expect(readTextStory(text).generalOnly).toBe(true)
    expect(top(text)).toBeUndefined()
  })
  it('an FAQ page (ja): no failure of its own', () => {
    const text = '更新プログラムのインストールの失敗 よくある質問\nログの確認方法を紹介します。'
    expect(readTextStory(text).generalOnly).toBe(true)
  })
  it('news of one update’s problem stays that update’s matter, not a text without a failure', () => {
    expect(readTextStory('Microsoft has confirmed that KB5999001 failed to install on some PCs.').generalOnly).toBe(
      false,
    )
  })
})

describe('a page that only names itself', () => {
  it('"in this article" alone is no guide: a blog post telling one failure says it too', () => {
    const text = 'In this article: the update failed to install on the office PC yesterday evening.'
    expect(readTextStory(text).generalOnly).toBe(false)
    expect(top(text)?.id).toMatch(/^failure-cause-not-named/)
  })
  it('"in this article" with numbered fixes is a guide', () => {
    const text =
      'In this article we look at why the update failed to install.\nMethod 1: Restart the PC.\nMethod 2: Free some space.'
    expect(readTextStory(text).generalOnly).toBe(true)
  })
})

describe('Sysprep refusing an app installed for one user, told in words', () => {
  // Microsoft's documented message for it: "Package … was installed for a user, but not provisioned for all users".
  it('the documented message in a sentence names the cause', () => {
    const text =
      'Sysprep stops on our build VM: it says Fabrikam.Viewer_2.0.1.0_x64__abcd1234efgh was installed for a user, but not provisioned for all users.'
    expect(top(text)?.id).toBe('sysprep-failed')
  })
  it('Sysprep’s validation message after removing a built-in app names the cause', () => {
    const text =
      'Sysprep was not able to validate your Windows installation after a built-in Store app was removed for one account.'
    expect(top(text)?.id).toBe('sysprep-failed')
  })
})
