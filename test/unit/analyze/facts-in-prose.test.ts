/**
 * Facts as people write them in issues, forums and blogs, in many languages, on sentences of our own: codes in prose,
 * KBs in every spelling, builds after a build word; and the numbers that only look like facts (other programs'
 * versions, dates, sizes, IP addresses, hashes) are not read as facts.
 */
import { describe, expect, it } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const read = (t: string) => {
  const x = extractTextFacts(t)
  return { codes: x.codes.map((c) => c.code), kbs: x.kbs.map((k) => k.kb), builds: x.builds.map((b) => b.version) }
}

describe('codes in prose, in any language', () => {
  it.each([
    ['The update failed with error code 0x80073712 again.', '0x80073712'],
    ['Установка не удалась, код ошибки 0x80070002.', '0x80070002'],
    ['更新に失敗しました。エラー コード 0x800f0922', '0x800F0922'],
    ['安裝失敗，錯誤碼 0x8024402c', '0x8024402C'],
    ['Windows Update service is disabled (0x80070422)', '0x80070422'],
    ['The install stopped at 0x80070643- then rolled back', '0x80070643'],
    ['Error: 0x800f081f.', '0x800F081F'],
    ['La actualización falla con el error 0x80070643', '0x80070643'],
    ['Aktualizacja nie powiodła się, kod błędu: 0x80070643', '0x80070643'],
    ['업데이트 설치 실패 - 오류 0x80070643', '0x80070643'],
    ['Güncelleştirme 0x80070643 hatasıyla başarısız oldu', '0x80070643'],
    ['![error 0x800f0922](shot.png)', '0x800F0922'],
    ['Installation result: -2146498530', '0x800F081E'],
    ['Install returned 2149842967 for the update', '0x80240017'],
    ['msiexec ended with error 1603', '0x80070643'],
  ])('%s', (t, code) => {
    expect(read(t).codes).toEqual([code])
  })

  it('a code glued to the next sentence when a page lost its line breaks is read', () => {
    expect(read('The status after the restart was 0x800f0922The log then said').codes).toEqual(['0x800F0922'])
    expect(read('Per-user registry step failed 0x80070002CSI lines show more').codes).toEqual(['0x80070002'])
    // The letters after it would all be hex digits: the number cannot be told apart, so nothing is read.
    expect(read('value 0x80070002ABCD here').codes).toEqual([])
  })

  it("Windows Installer's exit code (a Win32 error, 1601-1650, 1641, 3010) is read after the words for exit code", () => {
    expect(read('msiexec exit code 1603').codes).toEqual(['0x80070643'])
    expect(read('ExitCode: 1618').codes).toEqual(['0x80070652'])
    expect(read('Rückgabecode 1603, 終了コード 1603, код возврата 1603').codes).toEqual(['0x80070643'])
    // Any other exit code is the program's own number, not a Win32 error.
    expect(read('the script ended with exit code 1, return code 2, ExitCode: 255').codes).toEqual([])
  })
  it('a code glued to the word "error" or "code" before it is read; glued to another word it is not', () => {
    expect(read('Installation failure with error0x80070643, Fehlercode0x800F0922').codes).toEqual([
      '0x80070643',
      '0x800F0922',
    ])
    expect(read('token id0x800f0922 and hash0x80070643').codes).toEqual([])
  })
  it('a code written as a C literal with its L suffix is read', () => {
    expect(read('hr = ((HRESULT)0x80070002L); returned 0x800F0922L.').codes).toEqual(['0x80070002', '0x800F0922'])
  })
  it('a code typed with one zero too many is read as the known code it stands for', () => {
    expect(read('インストールがエラー(0x800070643)で失敗しました').codes).toEqual(['0x80070643'])
    expect(read('KB5034441 fails with 0x8000f0922 every night').codes).toEqual(['0x800F0922'])
    // Nine digits that no single doubled zero turns into a known code stay unread.
    expect(read('token 0x812345678 in the dump').codes).toEqual([])
  })
})

describe('KBs in every spelling', () => {
  it.each([
    ['Please install KB 5034441 first', ['KB5034441']],
    ['kb5034441 failed', ['KB5034441']],
    ['KB-5034441 will not install', ['KB5034441']],
    ['KB5034441/KB5034439/KB5034440 all fail', ['KB5034441', 'KB5034439', 'KB5034440']],
    ['KB5034441,KB5034439, KB5034440', ['KB5034441', 'KB5034439', 'KB5034440']],
    ['Cumulative update (KB5043080) fails', ['KB5043080']],
    ['Security update 5034441 failed to install', ['KB5034441']],
    ['I removed the hotfix 2823324 and rebooted', ['KB2823324']],
    // Microsoft's own articles name an update rollup by its number alone.
    ['After you install update rollup 2919355 the computer restarts in a loop', ['KB2919355']],
    ['Das Sicherheitsupdate mit der Nummer 2823324 blockiert den Start', ['KB2823324']],
    ['Le correctif 5034441 échoue au redémarrage', ['KB5034441']],
    ['La mise à jour 5034441 échoue', ['KB5034441']],
    ['La actualización 5034441 falla', ['KB5034441']],
    ["L'aggiornamento 5034441 non si installa", ['KB5034441']],
    ['A atualização 5034441 não instala', ['KB5034441']],
    ['Обновление 5034441 не устанавливается', ['KB5034441']],
    ['更新プログラム 5034441 がインストールできない', ['KB5034441']],
    ['Обновление КВ5034441 не ставится (KB typed in Cyrillic letters)', ['KB5034441']],
  ])('%s', (t, kbs) => {
    expect(read(t).kbs).toEqual(kbs)
  })
  it('the numbers of a list that a KB opens are KBs too', () => {
    expect(read('Kumulative Updates 5046617 und 5044284 scheitern').kbs).toEqual(['KB5046617', 'KB5044284'])
    expect(read('KB5046617, 5044284 et 5043080 échouent').kbs).toEqual(['KB5046617', 'KB5044284', 'KB5043080'])
    expect(read('KB5046617/5044284 fail; KB:5043080 too').kbs).toEqual(['KB5046617', 'KB5044284', 'KB5043080'])
    // A number further on, or after other words, is not in the list.
    expect(read('KB5046617 failed on 1234567 machines, ticket 7654321').kbs).toEqual(['KB5046617'])
  })
  it('a six- or seven-digit number after other words is no KB', () => {
    expect(
      read(
        'Downloaded 5034441 bytes, ticket 5034441, order number 2823324, updated 1234567 rows, page 1234567; see update #234567 and Oracle patch 3456789',
      ).kbs,
    ).toEqual([])
  })
})

describe('builds in any language', () => {
  it.each([
    ['Build 26100.2033 here', '26100.2033'],
    ['OS build 22631.4460', '22631.4460'],
    ['版本 22H2 (OS 内部版本 19045.3803)', '19045.3803'],
    ['Версия 10.0.19045.5247', '10.0.19045.5247'],
    ['ビルド 22631.4602', '22631.4602'],
    ['10.0.17763.6189', '10.0.17763.6189'],
    ['it came back on 19045.5371 after reboot', '19045.5371'],
    ['Windows 10 Build 19045', '19045'],
    ['the Insider Preview build 22504 listed it', '22504'],
    ['Windows 11 バージョン 23H2 (ビルド 22631)', '22631'],
    ['Windows 11 版本 23H2（内部版本 22631）', '22631'],
    ['Windows 10 Pro, сборка 19045', '19045'],
    ['Windows 11 Pro, compilación 22631', '22631'],
    ['Windows 7 SP1, version 6.1.7601', '6.1.7601'],
    ['CurrentBuildNumber: 22631', '22631'],
    ['CurrentBuild    REG_SZ    19045', '19045'],
    ['OS Version = 6.1.7600, SP = 0.0', '6.1.7600'],
    ['Windows 8.1 9600.19785', '9600.19785'],
  ])('%s', (t, build) => {
    expect(read(t).builds).toEqual([build])
  })
})

describe('numbers that only look like facts', () => {
  it("other programs' versions, dates, sizes and addresses are no build", () => {
    expect(
      read(
        'Chrome 131.0.6778.86, .NET Framework 4.8.09037, driver 31.0.101.5186 dated 2024.01.15, on 12.11.2024; ' +
          'gateway 192.168.10.240; the file is 26100.5 MB, the image 19045.3 GB; build tools 17.12.35527 and build 123',
      ).builds,
    ).toEqual([])
  })
  it("another program's build number is no Windows build unless it is one Windows shipped or the line names Windows", () => {
    expect(read('Jenkins build 12345 failed, CI build 20241 passed').builds).toEqual([])
    expect(read('CI build 19045 passed').builds).toEqual(['19045'])
  })
  it('amounts with cents and percentages are no build', () => {
    expect(read('Total: 15000.00 and 26100.05, progress 19045.5%').builds).toEqual([])
  })
  it('a code typed with the letter O for its zero is read', () => {
    expect(read('Fehler Ox80070643 beim Update, then OX800F0922').codes).toEqual(['0x80070643', '0x800F0922'])
    expect(read('Box8e73986c and Ox12345678').codes).toEqual([])
  })
  it("an unsigned decimal is a code only in Microsoft's HRESULT layout, or when the knowledge holds it", () => {
    expect(read('counter 2868903936, serial 3489660929, result 2149842967, then 3221226505').codes).toEqual([
      '0x80240017',
      '0xC0000409',
    ])
  })
  it('a size in bytes and a short commit hash are no code', () => {
    expect(read('The volume has 3221225472 bytes free; fixed in commit 8e73986c and c9ab12ef').codes).toEqual([])
  })
  it('a known code written bare is still read', () => {
    expect(read('WU says 8024402c and setup says c1900101').codes).toEqual(['0x8024402C', '0xC1900101'])
  })
})

describe('builds told in the forms update titles and reports use', () => {
  it("Windows Update's title gives the OS build in parentheses after the KB, whatever its revision", () => {
    expect(read('Title: 2027-02 Cumulative Update (KB5120999) (26100.24001)').builds).toEqual(['26100.24001'])
    expect(read('Mise à jour de sécurité 2027-02 (KB5120999) (20348.31002) installée').builds).toEqual(['20348.31002'])
    expect(read('KB5120999 (OS Build 26100.24001) fails; KB5120998 (Betriebssystembuild 22631.20417)').builds).toEqual([
      '26100.24001',
      '22631.20417',
    ])
    expect(read('更新プログラム (KB5120999) (26100.24001) のインストールに失敗').builds).toEqual(['26100.24001'])
    expect(read("L'aggiornamento KB5120999 (build del sistema operativo 26100.24001) non si installa").builds).toEqual([
      '26100.24001',
    ])
  })
  it("an Office build with a high revision stays unread, even next to a KB that is not the title's", () => {
    expect(read('Office Version 2405 (Build 17628.20144), KB5002700 17628.20144 too').builds).toEqual([])
  })
  it('a Windows name, then a build number alone in parentheses', () => {
    expect(read('Cannot update Win11 ARM preview (22635) on the beta').builds).toEqual(['22635'])
    expect(read('Windows 10 22H2 (19045) se bloquea al 61 %').builds).toEqual(['19045'])
    expect(read('Windows 11 Insider Preview (27842) で更新が止まる').builds).toEqual(['27842'])
    expect(read('Windows Server 2022 (20348) — Update hängt bei 0 %').builds).toEqual(['20348'])
  })
  it('a number in parentheses is no build without a Windows name before it, or with a unit inside', () => {
    expect(read('Firefox (22635) crashed; Windows 11 (16384 MB RAM); Windows 10 ($19999)').builds).toEqual([])
  })
  it('a released build number written alone after a Windows name on its line', () => {
    expect(read('booting win11 uupdump/22000 arm64, it reboots').builds).toEqual(['22000'])
    expect(read('Windows 10 19045 x64 bleibt bei 0x80070643 stehen').builds).toEqual(['19045'])
    expect(read('Windows 11 24H2 26100 arm64 : la mise à jour échoue').builds).toEqual(['26100'])
  })
  it('a number alone is no build when it is not a released one, or a sentence mark cuts it from the Windows name', () => {
    expect(read('Windows 11 uupdump/22598 arm64; Windows 10. 19045 files were copied').builds).toEqual([])
    expect(read('Windows 11 ISO is 22000 MB, and Windows 10 laptops cost 19045 €').builds).toEqual([])
    // Reached through another candidate (a number that could be a KB after it): the same rules hold.
    expect(read('Windows 11 uupdump/22598 5034441 and Windows 11 (22635 5034441)').builds).toEqual([])
  })
  it('after a build word, an Insider build near a Windows build the text already gave is read on a line of its own', () => {
    expect(read('Windows 11 ARM64 Build 22454 will not boot.\n\nBuild 22468 works fine.').builds).toEqual([
      '22454',
      '22468',
    ])
    expect(read('Windows 11 сборка 22454 не загружается.\nСборка 22468 работает.').builds).toEqual(['22454', '22468'])
    expect(read('Windows 11 ビルド 25905 で失敗。\nビルド 25915 では成功。').builds).toEqual(['25905', '25915'])
  })
  it("a CI job's build number stays unread after a Windows build far from it, and before any Windows build", () => {
    expect(read('Build 22468 works fine.\nWindows 11 Build 22454 fails.').builds).toEqual(['22454'])
    expect(read('Windows 11 Build 22454 fails.\nJenkins build 12345 passed, build 29001 too').builds).toEqual(['22454'])
  })

  it("Microsoft's image file names give the build: an ISO named by its build lab stamp, an Insider Preview image", () => {
    expect(
      read('Monté 26100.1742.240906-0331.ge_release_svc_refresh_CLIENTCONSUMER_RET_x64FRE_fr-fr.iso, puis échec')
        .builds,
    ).toEqual(['26100.1742'])
    expect(read('Von 22621.1.220506-1250.ni_release_CLIENT_CONSUMER_x64FRE_de-de.iso installiert').builds).toEqual([
      '22621.1',
    ])
    expect(read('imagen Windows11_InsiderPreview_Client_ARM64_es-es_22635.VHDX y falla').builds).toEqual(['22635'])
    expect(read('Windows10_InsiderPreview_EnterpriseVL_x64_en-us_19041.iso').builds).toEqual(['19041'])
  })
  it('other names with numbers in them are no build', () => {
    expect(
      read(
        'backup_22635.VHDX, MyApp_Preview_x64_22635.iso, tool-12.3.240906-0331, 26100.1742.2409-0331, 19041.5.123456.7, 10100.2.240906-0331 and 31.0.101.5186',
      ).builds,
    ).toEqual([])
  })
})
