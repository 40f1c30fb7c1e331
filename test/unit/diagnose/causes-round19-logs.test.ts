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

describe('a component store check read whole', () => {
  // CheckSUR.log's format (System Update Readiness Tool, Windows 7 / Server 2008 R2): `(f)` an error found, `(fix)` one
  // repaired, then a summary. Items written here.
  const checkSur = [
    '=================================',
    'Checking System Update Readiness.',
    'Binary Version 6.1.7601.23505',
    'Package Version 26.0',
    '',
    'Checking Windows Servicing Packages',
    '(f)\tCBS MUM Corrupt\t0x800F0900\tservicing\\Packages\\Package_3_for_KB1234567~31bf3856ad364e35~amd64~~6.1.1.2.mum\t',
    '(f)\tCSI Manifest Failed Catalog Check\t0x00000000\twinsxs\\Manifests\\amd64_example-component_31bf3856ad364e35_6.1.7601.12345_none_0123456789abcdef.manifest\t',
    '',
    'Summary:',
    'Seconds executed: 312',
    ' Found 2 errors',
    '  CBS MUM Corrupt Total count: 1',
    '  CSI Manifest Failed Catalog Check Total count: 1',
  ].join('\n')

  it('errors found and not fixed are component store corruption', () => {
    expect(causeOf(checkSur).id).toBe('component-store-corruption')
    expect(analyzeText(checkSur).findings.map((f) => f.id)).toContain('cbs-payload-corrupt')
  })

  it('an item found and then fixed is not left as corruption', () => {
    const fixedToo = checkSur
      .split('\n')
      .filter((l) => !l.includes('Manifest Failed'))
      .concat([
        '(fix)\tCBS MUM Corrupt\tCBS File Replaced\tservicing\\Packages\\Package_3_for_KB1234567~31bf3856ad364e35~amd64~~6.1.1.2.mum\tfrom Cabinet: C:\\Windows\\CheckSur\\v1.0\\example.cab.',
      ])
      .join('\n')
    expect(analyzeText(fixedToo).findings.map((f) => f.id)).not.toContain('cbs-payload-corrupt')
  })

  it("the check's block pasted alone from CBS.log, `(p)` lines without a date, is read as CBS.log", () => {
    const block = [
      '(p)\tCBS Catalog Missing\t\tPackage_for_KB7654321~31bf3856ad364e35~amd64~~10.0.1.4',
      '(w)\tCBS Package Index Package Missing\t0x80070490\tExample-Package~31bf3856ad364e35~amd64~~10.0.14393.0',
    ].join('\n')
    expect(analyzeText(block).kind).toBe('cbs-log')
    expect(causeOf(block).id).toBe('component-store-corruption')
  })

  it("CSI's own count of corruptions after a scan is store corruption", () => {
    const log = [
      '2024-05-01 09:00:00, Info                  CBS    Repr: CBS Store check completes',
      '2024-05-01 09:00:01, Info                  CSI    00000042 Corruption detection complete. numCorruptions = 4, Disp = 1.',
    ].join('\n')
    expect(causeOf(log).id).toBe('component-store-corruption')
    const none = log.replace('numCorruptions = 4', 'numCorruptions = 0')
    expect(causeOf(none).id).not.toBe('component-store-corruption')
  })

  it("a CSI error with its failed expression keeps the expression's code", () => {
    const log =
      '2024-05-01 09:00:02, Error                 CSI    00000043 (F) base\\wcp\\componentstore\\store.cpp(100): Error E_UNEXPECTED originated in function Windows::COM::CExample::Run expression: ((HRESULT)0x8000FFFFL)'
    expect(analyzeText(log).facts.firstError).toMatchObject({ code: '0x8000FFFF' })
  })
})

describe('a setup log whose requirements scan failed after other errors', () => {
  // setuperr.log: a language probe fails first, then the compatibility action's requirements scan returns
  // MOSETUP_E_COMPAT_SYSREQ_CANCEL (0xC1900201, Microsoft's Setup result codes).
  const log = [
    '2024-02-01 08:00:00, Error                 MOUPG  CInstallUI::GetDefaultLanguage(2100): Result = 0x80070002',
    '2024-02-01 08:00:10, Error                 MOUPG  CDlpActionCompat::ExecuteSysReqScan(800): Result = 0xC1900201',
    '2024-02-01 08:00:10, Error                 MOUPG  CDlpTask::ExecuteAction(3300): Result = 0xC1900201',
  ].join('\n')
  it('is the requirements block, not no problem', () => {
    expect(causeOf(log).id).toMatch(/^setup-blocked/)
  })
})
