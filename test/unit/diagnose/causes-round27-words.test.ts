/**
 * Causes told in words the tables lacked, in lines written here: an install or a search for updates that takes hours
 * or never ends (servicing that hangs), and Windows' own "This PC can't run Windows 11" / "doesn't meet the system
 * requirements" in the display languages Setup, Windows Update and PC Health Check show it in.
 */
import { describe, expect, it } from 'vitest'
import { firstCause } from './told-causes.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

describe('an install that takes hours, or a search for updates that never ends', () => {
  it.each([
    'The server started applying updates at restart and was stuck at 32% for several hours.',
    'Cumulative updates get stuck, or take hours to apply, on our Server 2016 VMs.',
    'Windows Update is stuck checking for updates on this Vista PC; nothing is ever found.',
    'Die Installation des kumulativen Updates hängt seit mehreren Stunden bei 45 %.',
    "La mise à jour est bloquée à 17 % pendant plusieurs heures, puis l'écran reste noir.",
    'La actualización se queda atascada en el 30 % durante varias horas.',
    '累积更新安装卡住了，等了几个小时还是 27%。',
    'Обновление зависло на 40%, висит уже несколько часов... всю ночь ждали.',
  ])('%s', (text) => {
    expect(firstCause(text)).toMatch(/^servicing-hang/)
  })

  it('hours told as effort, not as the install, are no hang', () => {
    // "spent several hours" is the person's own time: the words say nothing of how long the install ran.
    expect(firstCause('I spent several hours on this; the update fails with 0x80073712 every time.')).not.toMatch(
      /^servicing-hang/,
    )
    // Without a failure told, hours alone are no failure.
    expect(firstCause('The feature update took hours, then it finished and everything works.')).not.toMatch(
      /^servicing-hang/,
    )
  })
})

describe("Windows' own message that the PC cannot run Windows 11", () => {
  it.each([
    'Windows 11 installation error: This PC can’t run Windows 11',
    'Das Setup meldet: Dieser PC kann Windows 11 nicht ausführen.',
    "Le programme d'installation affiche « Ce PC ne peut pas exécuter Windows 11 ».",
    'この PC は、Windows 11 を実行するための最小システム要件を満たしていません と表示されます。',
    '安装时提示：这台电脑无法运行 Windows 11。',
    '安裝時顯示：這部電腦無法執行 Windows 11。',
    '설치 중에 이 PC에서는 Windows 11을 실행할 수 없습니다 라는 메시지가 나옵니다.',
    'Установщик пишет: запуск Windows 11 на этом компьютере невозможен.',
    'Instalator pokazuje: Na tym komputerze nie można uruchomić systemu Windows 11.',
    'O instalador diz que este PC não pode executar o Windows 11.',
  ])('%s', (text) => {
    expect(firstCause(text)).toMatch(/^setup-blocked/)
  })
})

describe("Windows 11's requirements told as a check that failed, or as Secure Boot that the disk's MBR layout keeps off", () => {
  it.each([
    'My 2018 desktop fails the Windows 11 check: the TPM was disabled in the firmware.',
    'The PC is not eligible for Windows 11, so the upgrade never shows up in Windows Update.',
    'Windows 11 にアップグレードできない。パーティションスタイルが GPT でなかったため、MBR から GPT に変換する必要がありました。',
    'Windows 11 へ移行できない。セキュアブートがサポートされていないと PC 正常性チェックに出ます。',
  ])('%s', (text) => {
    expect(firstCause(text)).toMatch(/^setup-blocked/)
  })

  it("told in words, the requirements get their own title and steps, not a safeguard hold's", () => {
    const f = diagnose({ text: 'My 2018 desktop fails the Windows 11 check: the TPM was disabled in the firmware.' })
      .findings[0]!
    expect(f.id).toBe('setup-blocked:hardware-requirements')
    expect(f.title).not.toMatch(/safeguard/i)
    expect(f.remedies.map((r) => r.id)).toEqual(['check-requirements', 'firmware', 'stay-or-replace'])
  })

  it('an app not made for Windows 11 is no requirement of the upgrade', () => {
    expect(firstCause('このソフトは Windows 11 に対応していません。インストールに失敗しました。')).not.toMatch(
      /^setup-blocked/,
    )
  })
})

describe('a restart that another install left pending, in Japanese', () => {
  it('Exchange setup stopped because a restart of an earlier install is pending (再起動が保留)', () => {
    expect(firstCause('以前のインストールの再起動が保留されているため、セットアップを続行できません。')).toMatch(
      /^pending-restart/,
    )
  })
})

describe("Windows' own words for a package for another image, and for a search that could not run", () => {
  it('DISM\'s "The specified package is not applicable to this image": the package is for another Windows', () => {
    expect(
      firstCause('Every time I add the Safe OS update I get "The specified package is not applicable to this image."'),
    ).toMatch(/^wrong-arch-or-branch/)
  })

  it('Windows 7\'s "Windows could not search for new updates" is a failure, never no problem', () => {
    expect(firstCause('Check for updates ends with: Windows could not search for new updates.')).not.toBe('none')
  })
})

describe('ERROR_BAD_FORMAT (0x8007000B): a program of the other bitness, as Windows documents the code', () => {
  it('the code alone, and a 32-bit DISM on a 64-bit Windows failing with it', () => {
    expect(firstCause('dism failed with 0x8007000B')).toBe('wrong-arch-or-branch:code-0x8007000B')
    expect(
      firstCause(
        'The 32-bit installer runs the 32-bit DISM, which fails: Error: 11 (0x8007000B) enabling the feature.',
      ),
    ).toMatch(/^wrong-arch-or-branch/)
  })
})

describe('an update rollup named by its number alone, as Microsoft names it, reaches its known issue', () => {
  it("update rollup 2919355 and a restart loop: the SAS controllers' known issue", () => {
    expect(
      firstCause(
        'After you install update rollup 2919355 the server cannot restart: it is in a restart loop (LSI SAS).',
      ),
    ).toBe('known-issue:kb2919355-sas-controller-restart-loop')
  })
})

describe('a restart the person had not made, told after the failure', () => {
  it.each([
    'Error "This update only applies to machines with the Windows Subsystem for Linux". — ¿Reiniciaste? — No lo había reiniciado, ¡gracias!',
    'The kernel update failed until I noticed I had not restarted after enabling the feature.',
    'WSL の更新が失敗。機能を有効にしたあと再起動していなかったのが原因でした。',
  ])('%s', (text) => {
    expect(firstCause(text)).toMatch(/^pending-restart/)
  })

  it('a PC that did not restart by itself is no restart the person forgot', () => {
    expect(firstCause("La mise à jour a échoué et le PC n'a pas redémarré tout seul.")).not.toMatch(/^pending-restart/)
  })
})

describe('slang for an update that broke the PC', () => {
  it('"borked" or "bricked" beside an update is a failure', () => {
    expect(firstCause('The new cumulative update borked my laptop.')).not.toBe('none')
    expect(firstCause('That firmware update bricked two of our tablets.')).not.toBe('none')
  })
})
