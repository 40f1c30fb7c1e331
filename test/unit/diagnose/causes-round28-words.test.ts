/**
 * News of an update's problem that names no KB, in lines written here: where the text tells Microsoft's own
 * acknowledgement of the problem ("Microsoft has confirmed", "a known issue"), the failure it tells is that update's
 * known issue, met on other PCs — not a failure of this PC whose cause the text leaves unnamed. Without the
 * acknowledgement, or told by a person of their own PC, it stays what it was.
 */
import { describe, expect, it } from 'vitest'
import { firstCause } from './told-causes.ts'

describe("news of an update's problem that Microsoft acknowledged, with no KB named", () => {
  it.each([
    'Microsoft has confirmed that the latest Windows 11 update breaks the Reset this PC option; users report that the recovery fails.',
    'Microsoft hat bestätigt, dass das letzte Windows-Update bei vielen Nutzern fehlschlägt. Ein Fix soll folgen.',
    "Microsoft a confirmé un bug de la dernière mise à jour de Windows 10 : l'installation échoue chez de nombreux utilisateurs.",
    'Microsoft ha confirmado un error en la última actualización de Windows 11: la instalación falla en muchos equipos.',
    'A Microsoft reconheceu oficialmente o problema: a atualização do Windows falha em vários computadores.',
  ])('%s', (text) => {
    expect(firstCause(text)).toBe('known-issue:reported')
  })

  it("news framed for its readers, Microsoft's word told in words the press uses, is still that update's issue", () => {
    // Told to readers ("users", "administrators"): once a page about failures in general, now the update's issue.
    expect(
      firstCause(
        'Microsoft acknowledges the issue: since the monthly update, many users report that installing further updates is not possible.',
      ),
    ).toBe('known-issue:reported')
    // An acknowledgement alone frames the text as news ("a Microsoft acaba de admitir"), in Portuguese.
    expect(
      firstCause(
        'A Microsoft acaba de admitir que a atualização de dezembro do Windows 11 apresenta falha no Explorador para administradores.',
      ),
    ).toBe('known-issue:reported')
  })

  it('without the acknowledgement, or told of the person’s own PC, it is no known issue', () => {
    // News of a failure with neither a KB nor Microsoft's word on it may be any PC's failure.
    expect(firstCause('Users report that the latest Windows 11 update fails to install on many PCs.')).not.toBe(
      'known-issue:reported',
    )
    // A person's own failure stays theirs, whatever Microsoft has said of others'.
    expect(
      firstCause('Microsoft has confirmed a bug, but my PC is different: the update failed again on my laptop today.'),
    ).not.toBe('known-issue:reported')
  })
})

describe('an update run that hangs, loops or halts, or that people had issues installing, told in words: a failure, never "no problem"', () => {
  it.each([
    'Our image pipeline hangs indefinitely while Windows Update runs.',
    'The setup script hangs after it installs the cumulative update, and nothing after it runs.',
    'Our build agents never finish updating overnight.',
    'The cumulative update install goes round in an endless loop.',
    'The VM template build halts on the Windows update step.',
    'Der Rechner friert ein, während das Update installiert wird.',
    'La mise à jour Windows tourne en boucle infinie après le redémarrage.',
    'Windows Update 更新后进入死循环，一直重启。',
    'Windows Update の更新プログラムをインストール中にフリーズしました。',
    "Several of our Windows 7 PCs had issues installing this month's Monthly Rollup.",
    'Wir haben Probleme beim Installieren des kumulativen Updates auf zwei Servern.',
  ])('%s', (text) => {
    expect(firstCause(text)).not.toBe('none')
  })

  it('BitLocker asking for its key after an update is a PC that does not start, whatever updated', () => {
    expect(
      firstCause(
        'Since the forced Windows update and its reboot, our escrowed BitLocker key did not unlock the laptop.',
      ),
    ).toMatch(/^failure-cause-not-named/)
    expect(
      firstCause(
        'The tablet was updating its firmware overnight; in the morning BitLocker said to enter the recovery key.',
      ),
    ).toMatch(/^failure-cause-not-named/)
  })
})

describe("an update's problem told of its users, in the third person, naming the update", () => {
  it.each([
    'Nach der Installation von KB5063878 melden Nutzer einen Bluescreen beim Neustart.',
    '安装 KB5041585 后，不少用户的电脑无法启动。',
    'Sau khi cài KB5060842, nhiều người dùng gặp lỗi màn hình xanh.',
  ])('%s', (text) => {
    expect(firstCause(text)).toBe('known-issue:reported')
  })

  it('told with a code, or by the person of their own PC, it stays the failure it tells', () => {
    expect(firstCause('Nach KB5063878 melden Nutzer den Fehler 0x8007001E bei der Installation.')).not.toBe(
      'known-issue:reported',
    )
    expect(firstCause('KB5063878 failed on my laptop; other users say the same.')).not.toBe('known-issue:reported')
  })
})

describe("Microsoft's help page titled 'Fix Windows Update errors', in its translations, is a how-to", () => {
  it.each([
    '# Fix Windows Update errors\nIf an update shows an error code, run the troubleshooter and restart the PC.',
    '# 修复 Windows 更新错误\n如果更新时出现错误代码，请运行疑难解答程序，然后重启电脑。',
    '# Исправление ошибок Windows Update\nЕсли вы получаете код ошибки при загрузке обновлений, запустите средство устранения неполадок.',
    '# Windows Update のエラーを修正する\n更新プログラムのダウンロード中にエラー コードが表示された場合は、トラブルシューティング ツールを実行します。',
  ])('%s', (text) => {
    expect(firstCause(text)).toBe('none')
  })

  it('a person telling their own failure under that title still has one', () => {
    expect(firstCause('Fix Windows Update errors\nMy update failed again today.')).toBe('failure-cause-not-named')
  })
})

describe('an update installed from a remote session, which Windows does not allow (KB2773898)', () => {
  it.each([
    'We start Install-WindowsUpdate with Invoke-Command: the updates download, then the install fails.',
    'Running wusa over WinRM fails: the update is not installed, the console install works.',
    'Über WinRM schlägt die Installation des Updates fehl, lokal funktioniert sie.',
  ])('%s', (text) => {
    expect(firstCause(text)).toBe('access-blocked:remote-session')
  })

  it('remoting named with no failure, or only on a log line of its own, is not the cause', () => {
    expect(firstCause('We use Invoke-Command to list the installed updates on each server.')).not.toBe(
      'access-blocked:remote-session',
    )
    expect(
      firstCause(
        '2026-02-19 10:40:46, Info [SETUPUGC.EXE] Found run command: winrm quickconfig over winrm\n2026-02-19 10:41:00, Error [SETUPUGC.EXE] The update failed.',
      ),
    ).not.toBe('access-blocked:remote-session')
  })
})

describe('a success told of many other updates does not resolve the failure told', () => {
  it('"multiple updates have been successfully installed" beside a failed update leaves the failure standing', () => {
    for (const text of [
      'The cumulative update fails with 0x800F0983. Multiple Windows updates have been successfully installed on them before.',
      'Das kumulative Update schlägt mit 0x800F0983 fehl. Viele Updates wurden erfolgreich installiert.',
    ])
      expect(firstCause(text), text).not.toBe('none')
  })

  it('the update itself installing after the failure still resolves it', () => {
    expect(firstCause('The update failed twice. After several restarts it installed successfully.')).toBe('none')
  })
})

describe('Windows Updates in the plural are Windows servicing, beside a package manager too', () => {
  it("a script a package manager runs that installs Windows Updates is no other program's updater", () => {
    expect(
      firstCause(
        'Chocolatey runs our setup script. It then installs Windows Updates, and the Windows Updates fail every time.',
      ),
    ).toBe('failure-cause-not-named')
  })
})
