/**
 * Logs read whole, and numbers that are not codes: a Windows event's number (the Secure Boot certificate update's
 * TPM-WMI events 1795-1808, any number written after an event word) is never read as a Win32 error, and a setup run
 * whose own action was suspended is told as suspended, not as a failed feature update. Lines written here from the
 * documented log formats and Windows' wording in each language (never a capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { causeOf } from '../analyze/corpus-checks.ts'

const codes = (text: string) => extractTextFacts(text).codes.map((c) => c.code)

describe('an event number is not a Win32 error code', () => {
  const events: Record<string, string> = {
    en: 'The System log shows Event ID 1801 every day, error 1801 again this morning.',
    en2: 'After the January update I still get the Event error 1796 on two of the guests.',
    ja: 'システム ログに イベント ID 1808、エラー 1808 が記録されています。',
    ja2: 'イベントビューアーに「エラー 1801 (TPM-WMI)」が出ています。',
    de: 'Im Systemprotokoll steht Ereignis-ID 1795, Fehler 1795.',
    fr: "L'événement 1796, erreur 1796, revient à chaque démarrage.",
    es: 'Aparece el evento 1801, error 1801, en cada arranque.',
    'zh-cn': '系统日志里有事件 ID 1801，错误 1801。',
    ko: '시스템 로그에 이벤트 ID 1801, 오류 코드 1801 이 기록됩니다.',
    ru: 'В журнале событие 1808, ошибка 1808.',
    secureBoot: 'The Secure Boot certificate update did not finish on our servers, error code 1801 on most of them.',
  }
  for (const [lang, text] of Object.entries(events))
    it(`${lang}: no code from the event's number`, () => {
      expect(codes(text)).toEqual([])
    })

  it('a place called Event Viewer or the event log does not make a number an event', () => {
    expect(codes('Event Viewer: MsiInstaller error 1603 while the update installed.')).toEqual(['0x80070643'])
    expect(codes("Dans l'Observateur d'événements : erreur 1603.")).toEqual(['0x80070643'])
    expect(codes('Ereignisanzeige: Fehler 1603 beim Update.')).toEqual(['0x80070643'])
    expect(codes('イベントビューアー: エラー 1603')).toEqual(['0x80070643'])
  })

  it('outside a Secure Boot text and without an event word, the number stays an error', () => {
    expect(codes('The installer stopped with error 1801.')).toEqual(['0x80070709'])
  })
})

describe('a setup run whose own action was suspended', () => {
  // setuperr.log's format: date, severity, component, message; MOUPG's download/install action reports the suspend,
  // then each caller up the stack logs the same result on its own Error line.
  const log = [
    '2025-03-02 10:00:01, Error                 MOUPG  CDlpActionImpl<class CDlpErrorImpl<class IMoSetupDlpAction> >::Suspend(1253): Result = 0xC1800104',
    '2025-03-02 10:00:01, Error                 MOUPG  CSetupManager::ExecuteInstallMode(800): Result = 0x800705BB',
    '2025-03-02 10:00:01, Error                 MOUPG  CSetupManager::Execute(280): Result = 0x800705BB',
    '2025-03-02 10:00:01, Error                 MOUPG  CSetupHost::Execute(410): Result = 0x800705BB',
  ].join('\n')

  it('is read as suspended by the setup log reader', () => {
    const r = analyzeText(log)
    expect(r.findings.map((f) => f.id)).toContain('setup-cancelled')
    expect(r.findings.map((f) => f.id)).not.toContain('setup-error')
  })

  it('is answered setup-cancelled, not a failed feature update', () => {
    expect(causeOf(log).id).toBe('setup-cancelled')
  })

  it('a run that failed without a suspend is still a failure', () => {
    const failed = log.replace('::Suspend(1253)', '::Execute(1253)')
    expect(causeOf(failed).id).not.toBe('setup-cancelled')
  })
})
