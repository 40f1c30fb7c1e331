/**
 * News of a named update's problem: a text that names a KB, is framed as a news item ("Microsoft has confirmed",
 * "laut Microsoft", 微软确认) and tells no failure of its own PC (no first-person words, log line or command) reports
 * that update's issue on others' PCs. Where nothing names a cause it is answered as that update's reported problem,
 * with the update's known issues to read, never as "a failure, cause not named" of this PC. Lines written here, never
 * a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { causes, eachIs } from './told-causes.ts'

describe("news of a named update's problem is that update's reported issue", () => {
  causes(
    {
      en: 'Microsoft has confirmed that the September update KB5099991 fails to install on some devices and leaves them on a black screen after the restart. Users report that the rollback takes up to an hour.',
      de: 'Laut Microsoft führt das Update KB5099992 bei einigen Nutzern zu Bluescreens beim Start; betroffen sind PCs mit älteren Treibern.',
      fr: "Microsoft a confirmé que la mise à jour KB5099993 échoue sur certains PC avec Windows 11 : l'installation s'arrête à 35 % puis revient en arrière.",
      es: 'Según Microsoft, la actualización KB5099994 deja algunos equipos sin arrancar: se quedan en la pantalla de recuperación de BitLocker.',
      it: "Secondo Microsoft, l'aggiornamento KB5099995 non si installa su alcuni PC e torna indietro al riavvio.",
      pt: 'A Microsoft confirmou que a atualização KB5099996 falha ao instalar em alguns computadores com o Windows 11.',
      ja: 'マイクロソフトは確認した。KB5099997 の更新プログラムが一部の PC でインストールに失敗する。',
      'zh-CN': '微软确认，KB5099998 更新在部分设备上安装失败，并回滚到之前的版本。',
    },
    'known-issue:reported',
  )

  it('names the update, reads as a warning with no repair, and sends the reader to its known issues and then to their own record', () => {
    const text =
      'Microsoft has confirmed that KB5099991 and KB5099990 fail to install on some devices.\nThe company is working on a fix.'
    const top = diagnose({ text }).findings[0]!
    expect(top.id).toBe('known-issue:reported')
    expect(top.title).toContain('KB5099991, KB5099990')
    expect(top.kbs).toEqual(['KB5099991', 'KB5099990'])
    expect(top.severity).toBe('warning')
    expect(top.repair).toBeNull()
    expect(top.remedies.map((r) => r.id)).toEqual(['read-known-issues', 'collect-own-record'])
    expect(top.evidence[0]!.excerpt).toMatch(/^line 1: Microsoft has confirmed/)
  })
})

describe('what is not news of an update keeps its own reading', () => {
  it('a person telling their own failure beside the news: a failure, cause not named', () => {
    eachIs(
      [
        'I installed KB5099991 last night and it failed to install. Microsoft has confirmed similar reports, but nothing helps on my PC.',
        'Bei mir schlägt KB5099992 seit Tagen fehl. Laut Microsoft ist das bekannt, ich habe aber keinen Fehlercode.',
      ],
      'failure-cause-not-named',
    )
  })

  it("news that names no update and tells no word of Microsoft's on it: its own no-boot reading", () => {
    eachIs(
      [
        'Users report that a monthly update fails to install on some devices and leaves them on a black screen after the restart.',
      ],
      'failure-cause-not-named:no-boot',
    )
    // Microsoft's acknowledgement makes it that update's known issue, named or not.
    eachIs(
      [
        'Microsoft has confirmed that a monthly update fails to install on some devices and leaves them on a black screen after the restart.',
      ],
      'known-issue:reported',
    )
  })

  it("an update Servicing Desk's table holds a known issue for: the table's reading", () => {
    eachIs(
      [
        'Microsoft has confirmed that KB5034441 fails to install with 0x80070643 on some devices whose recovery partition is too small.',
      ],
      'winre-partition-too-small',
    )
  })

  it('news of a failure told only as a possibility: no failure of its own', () => {
    eachIs(['According to Microsoft, if KB5099991 fails to install, users can try again after a restart.'], 'none')
  })
})
