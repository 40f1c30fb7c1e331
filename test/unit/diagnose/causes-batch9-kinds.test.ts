/**
 * Kinds of cause the ninth causes batch missed, each rule from Microsoft's documentation or Windows' own output
 * format, tested on lines written here in that format (never the capture's own lines).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

describe('a setup run the user cancelled', () => {
  it("is setup-cancelled even when the cancel's own chain (0x800704D3 request aborted, 0xC18001xx task cancels) comes first", () => {
    // setuperr.log's MOUPG form: the page aborted, the download task cancelled, the run's result ERROR_CANCELLED.
    const text = [
      '2025-02-03 09:09:02, Error                 MOUPG  CSetupManager::LoadLanguageResources(1203): Result = 0x80070002',
      '2025-02-03 09:10:11, Error                 MOUPG  CInstallUI::ShowPage(1039): Result = 0x800704D3',
      '2025-02-03 09:10:11, Error                 MOUPG  CSetupManager::ExecuteDownloadMode(8753): Result = 0x800704D3',
      '2025-02-03 09:10:30, Error                 MOUPG  CDlpTask::Cancel(982): Result = 0xC1800104',
      '2025-02-03 09:10:30, Error                 MOUPG  CSetupManager::Execute(295): Result = 0x800704C7',
      '2025-02-03 09:10:30, Error                 MOUPG  CSetupHost::Execute(433): Result = 0x800704C7',
    ].join('\n')
    const { findings } = diagnose({ text })
    expect(findings.map((f) => f.id)).toContain('setup-cancelled')
    expect(causeOf(text).id).toBe('none')
  })

  it('a Setup failure code (0xC19…) before the cancel is still the feature-update failure', () => {
    const text = [
      '2025-02-03 09:10:11, Error                 MOUPG  CSetupManager::ExecuteInstallMode(836): Result = 0xC1900101',
      '2025-02-03 09:10:30, Error                 MOUPG  CSetupHost::Execute(433): Result = 0x800704C7',
    ].join('\n')
    expect(causeOf(text).id).toBe('feature-update-failed')
  })
})

describe('a restart flag the log answers with no', () => {
  it("DISM.log's 'Reboot required=no' after a failed command is no pending restart; the command's code is the finding", () => {
    // DISM.log's form: a mount refused with E_INVALIDARG (an /Index the image does not hold), the session closed.
    const text = [
      '2025-04-01 08:00:00, Info                  DISM   DISM.EXE: Executing command line: Dism  /Mount-Image /ImageFile:D:\\x\\install.wim /Index:7 /MountDir:C:\\mnt',
      '2025-04-01 08:00:01, Error                 DISM   DISM Imaging Provider: PID=100 TID=200 CGenericImagingManager::InternalCmdMount(hr:0x80070057)',
      '2025-04-01 08:00:01, Info                  DISM   DISM.EXE: Image session has been closed. Reboot required=no.',
    ].join('\n')
    const cause = causeOf(text).id
    expect(cause).not.toBe('pending-restart')
    expect(cause).toBe('known-code:0x80070057')
  })

  it('the same flag answered yes, or a log that says a restart is required, still is', async () => {
    const { outcomeWordsIn } = await import('../../../main/knowledge/outcome-words.ts')
    expect(outcomeWordsIn('Image session has been closed. Reboot required=no.').hits.pending ?? []).toEqual([])
    expect(outcomeWordsIn('Reboot required = False').hits.pending ?? []).toEqual([])
    expect((outcomeWordsIn('Reboot required=no. Later: Reboot required=yes.').hits.pending ?? []).length).toBe(1)
    expect((outcomeWordsIn('A reboot required to finish the install.').hits.pending ?? []).length).toBe(1)
  })
})

describe('a connection error WindowsUpdate.log retries past', () => {
  const retried = [
    '2025/05/06 10:00:00.0000000 1000  2000  WebServices     *FAILED* [8024402C] Web service call.',
    '2025/05/06 10:00:00.0000100 1000  2000  WebServices     Error 0x8024402c is considered transient',
    '2025/05/06 10:00:02.0000000 1000  2000  WebServices     WebService call failed during NwsCallWithRetries with a transient error. Retrying after waiting 2000 msecs.',
  ]
  const scanned =
    '2025/05/06 10:01:00.0000000 1000  2100  Agent           * END * Finding updates CallerId = UpdateOrchestrator, Id = 4, Exit code = 0x00000000'
  const download = [
    '2025/05/06 11:00:00.0000000 1000  2200  Agent           *FAILED* [8007000E] wuauengcore.dll, downloadmanager.cpp @700',
    '2025/05/06 11:00:00.0000100 1000  2200  DownloadManager *FAILED* [8007000E] Method failed [CAgentDownloadManager::GetUpdateProgress:100]',
  ]
  it('is not "update source unreachable" when the scan then ends with exit code 0; the later failure is the finding', () => {
    expect(causeOf([...retried, scanned, ...download].join('\n')).id).toBe('known-code:0x8007000E')
  })
  it('without the successful scan after it, it still is', () => {
    expect(causeOf([...retried, ...download].join('\n')).id).toBe('update-source-unreachable')
    expect(causeOf([scanned, ...retried].join('\n')).id).toBe('update-source-unreachable')
  })
})

describe('a safeguard (compatibility) hold told in words', () => {
  it('is the documented block, in each language the table holds it', () => {
    for (const t of [
      'Windows 11 24H2 is not offered to my laptop: Microsoft has a safeguard hold on its audio driver.',
      'Microsoft applied a compatibility hold to devices with this Wi-Fi card.',
      "L'aggiornamento non arriva: c'è un blocco di protezione per questa scheda audio.",
      'Microsoft hat eine Kompatibilitätssperre für diese Geräte eingerichtet.',
      'Aktualizacja nie jest oferowana, bo Microsoft nałożył blokadę zgodności na ten sterownik.',
      'Microsoft ha aplicado un bloqueo de compatibilidad a estos equipos.',
      'Setup stopped on the screen "What needs your attention" and names my VPN client.',
      // Windows' Italian wording of the same screen ("Cosa richiede la tua attenzione").
      'Il programma di installazione si ferma su «Cosa richiede la tua attenzione» e indica il mio client VPN.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'setup-blocked'])
  })
  it('is a warning, not an error: nothing on the PC failed', () => {
    const f = diagnose({ text: 'Microsoft has a safeguard hold on this PC for the 24H2 update.' }).findings.find(
      (x) => x.id === 'setup-blocked',
    )
    expect(f?.severity).toBe('warning')
  })
})

describe("0x80070643 beside the recovery partition named in the text's own language", () => {
  it('is the recovery partition too small for the WinRE update (Arabic, Spanish, Polish, Russian, Korean)', () => {
    for (const t of [
      'فشل تثبيت التحديث بالخطأ 0x80070643 لأن قسم الاسترداد لا يحتوي على مساحة كافية.',
      'La actualización falla con 0x80070643: la partición de recuperación no tiene espacio suficiente.',
      'Aktualizacja kończy się błędem 0x80070643, partycja odzyskiwania jest za mała.',
      'Обновление не устанавливается с ошибкой 0x80070643: мало места в разделе восстановления.',
      '업데이트가 0x80070643 오류로 실패합니다. 복구 파티션 공간이 부족합니다.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'winre-partition-too-small'])
  })
})

describe("the Appx provider leaving out a bundle's resource package", () => {
  it('is no "not applicable" failure when the provisioning completes', () => {
    const text = [
      '2025-06-01 09:00:00, Info                  DISM   DISM.EXE: Executing command line: Dism /Online /Add-ProvisionedAppxPackage /PackagePath:C:\\pkg\\Contoso.App.msixbundle /SkipLicense',
      "2025-06-01 09:00:05, Info                  DISM   DISM Appx Provider: PID=10 TID=20 PackageSource::IsPackageApplicable [Msg] - Package 'Contoso.App_1.0.0.0_neutral_split.scale-200_abcdefghijklm' excluded as not applicable. - CAppxManager::InformationLoggingCallback",
      '2025-06-01 09:00:30, Info                  DISM   DISM.EXE: Image session has been closed. Reboot required=no.',
      '2025-06-01 09:00:30, Info                  DISM   DISM.EXE: <----- Ending Dism.exe session ----->',
    ].join('\n')
    expect(causeOf(text).id).not.toBe('wrong-arch-or-branch')
  })
})

describe('a failure beside Windows Update told disabled or turned off', () => {
  it('is a Windows Update service disabled (0x80070422 when the service cannot start), not a cause left unnamed', () => {
    for (const t of [
      'I used a privacy tool to disable Windows Update and now checking for updates just gives an error.',
      'After the debloat script turned off Windows Update, the Store fails to download apps and updates fail.',
      'We disabled automatic updates by policy; since then the monthly update failed to install even when started by hand.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'services-disabled'])
  })
  it('a page on how to turn updates off, with no failure of its own, is no failure', () => {
    const t = 'How to disable Windows Update in Windows 11: open Services, find Windows Update and set it to Disabled.'
    expect(causeOf(t).id).toBe('none')
  })
})

describe('updates told turned off beside a code', () => {
  it("are context: the code's own finding speaks", () => {
    const t =
      'The media tool stops with error 0xC8000409 while it downloads. Our group policy is set to disable automatic updates, if that matters.'
    expect(causeOf(t).id).not.toBe('services-disabled')
  })
})
