/**
 * More failures told in words (the thirteenth and fourteenth batches' kinds): an upgrade held back by a compatibility
 * hold or the hardware requirements, a download refused (HTTP 403), an install that runs for hours, an update the
 * PC cannot take, that rolls back or is never offered, a setup that does not load, a feature that does not work after
 * an upgrade. Each from Microsoft's documentation of the cause or ordinary speech in each display language, tested on
 * lines written here (never a capture's own lines). A failure told in words is never "No servicing problem found".
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

describe("Windows Setup's compatibility block for an app, told in each language", () => {
  // Windows Setup's compatibility screen names an app that "causes security or performance issues on Windows".
  const told: Record<string, string> = {
    en: 'The 25H2 upgrade stops and names my shell tool: it causes security or performance issues on Windows.',
    de: 'Das Upgrade auf 25H2 bricht ab: Die App verursacht Sicherheits- oder Leistungsprobleme unter Windows.',
    fr: 'La mise à niveau vers 25H2 s’arrête : l’application provoque des problèmes de sécurité ou de performances.',
    es: 'La actualización a 25H2 se detiene: la aplicación causa problemas de seguridad o rendimiento en Windows.',
    en2: 'I cannot install the 25H2 upgrade: the app causes security or performance issues on Windows. Seems this version is incompatible.',
    ja: '25H2 へのアップグレードが止まり、このアプリはセキュリティまたはパフォーマンスの問題を引き起こすと表示されます。',
    'zh-cn': '升级到 25H2 时停住了，提示这个应用会导致安全或性能问题。',
    ko: '25H2 업그레이드가 멈추고 이 앱이 보안 또는 성능 문제를 일으킨다고 나옵니다.',
    ru: 'Обновление до 25H2 останавливается: приложение вызывает проблемы с безопасностью или производительностью.',
    pl: 'Aktualizacja do 25H2 zatrzymuje się: aplikacja powoduje problemy z zabezpieczeniami lub wydajnością.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hold (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
})

describe('an upgrade not offered to a PC below the hardware requirements', () => {
  const told: Record<string, string> = {
    en: 'My desktop has no TPM and the 25H2 upgrade does not appear in Windows Update at all.',
    de: 'Mein Rechner ist ohne TPM, das Upgrade auf 25H2 erscheint nicht in Windows Update.',
    fr: 'Mon PC est sans TPM et la mise à jour 25H2 n’apparaît pas dans Windows Update.',
    es: 'Mi equipo no cumple los requisitos del sistema y la actualización a 25H2 no aparece en Windows Update.',
    pt: 'Meu computador não atende aos requisitos do sistema e a atualização 25H2 não aparece no Windows Update.',
    'zh-cn': '我的电脑不满足系统要求，25H2 更新一直没有推送。',
    ru: 'Мой компьютер не соответствует системным требованиям, и обновление 25H2 не предлагается.',
    pl: 'Mój komputer nie spełnia wymagań systemowych i aktualizacja 25H2 nie pojawia się w Windows Update.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hold (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
})

describe('a download the server refuses (HTTP 403)', () => {
  const told: Record<string, string> = {
    en: 'The media tool download failed; opening the link gives HTTP 403 Forbidden.',
    de: 'Der Download des Updates ist fehlgeschlagen, der Link liefert HTTP 403 (Forbidden).',
    fr: 'Le téléchargement de la mise à jour a échoué, le lien renvoie HTTP 403 Forbidden.',
    es: 'La descarga de la actualización falló, el enlace devuelve HTTP 403 Forbidden.',
    'zh-cn': '更新下载失败，打开链接显示 403 Forbidden。',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the source refused (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^update-source-unreachable(?::|$)/)
    })
})

describe('an install that runs for hours without finishing', () => {
  const told: Record<string, string> = {
    en: 'On my build VM the cumulative update hangs and it has been installing for hours.',
    de: 'Das kumulative Update auf meiner VM hängt seit Stunden bei der Installation.',
    fr: 'Sur ma VM, la mise à jour cumulative est bloquée depuis des heures.',
    es: 'En mi VM la actualización acumulativa se queda colgada durante horas.',
    ja: '私のVMで累積更新プログラムが何時間も止まったままです。',
    'zh-cn': '我的虚拟机上累积更新卡住了好几个小时。',
    ru: 'На моей ВМ накопительное обновление зависает на несколько часов.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hang (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^servicing-hang(?::|$)/)
    })

  it('a condition of being stuck for hours names no hang of its own', () => {
    const page = 'If the update gets stuck for hours on the restart screen, wait once more and then restart the PC.'
    expect(causeOf(page).id).not.toMatch(/^servicing-hang/)
  })
})

describe('an update the PC cannot take, that rolls back, or a setup that does not load: a failure, never none', () => {
  const told: Record<string, string> = {
    en: 'After the debloat script my 24H2 PC cant update anymore.',
    en2: 'After I edited a system file, Windows is not able to complete the updates and rolls back after the restart.',
    en3: 'Setup.exe from the 25H2 ISO does not load when I start the in-place upgrade.',
    en4: 'The feature update from 1909 to 20H2 does not work on my machine.',
    de: 'Seit dem Entfernen-Tool rollt Windows jedes Update zurück.',
    fr: 'Après l’outil de suppression, la mise à jour revient en arrière au redémarrage.',
    es: 'Después de la herramienta, la actualización se revierte al reiniciar.',
    ja: 'ツールを使った後、更新プログラムが再起動後にロールバックされます。',
    'zh-cn': '用了精简工具以后，更新重启后就回滚了。',
    ko: '홈에서 프로로 업그레이드 했는데 hyper-v가 작동이 안됩니다.',
    ru: 'После утилиты обновление после перезагрузки откатывается.',
  }
  for (const [language, text] of Object.entries(told))
    it(`is a failure, never none (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })

  it('a guide on what to do when an update rolls back reports no failure of its own', () => {
    const guide = [
      'How to fix an update that rolls back',
      'If the update rolls back after the restart, run the troubleshooter and try again.',
    ].join('\n')
    expect(causeOf(guide).id).toBe('none')
  })
})

describe("a drive told full beside an installer's code: the story's cause above the code's generic meaning", () => {
  // Windows' message for ERROR_DISK_FULL (112) in each display language, and how people say it, beside MSI's 1603.
  const told: Record<string, string> = {
    en: 'The WSL update failed with exit code 1603. The log says my C: drive is full.',
    en2: 'The installer failed (exit code 1603): There is not enough space on the disk.',
    de: 'Das Update ist mit Exitcode 1603 fehlgeschlagen: Auf dem Datenträger ist nicht genügend Speicherplatz vorhanden.',
    fr: 'La mise à jour a échoué avec le code 1603 : Espace insuffisant sur le disque.',
    es: 'La actualización falló con el código 1603: No hay suficiente espacio en el disco.',
    it: 'L’aggiornamento non è riuscito con il codice 1603: Spazio insufficiente sul disco.',
    pt: 'A atualização falhou com o código 1603: Não há espaço suficiente no disco.',
    ja: '更新がコード 1603 で失敗しました。ディスクに十分な空き領域がありません。',
    'zh-cn': '更新失败，退出代码 1603，磁盘空间不足。',
    'zh-tw': '更新失敗，結束代碼 1603，磁碟空間不足。',
    ko: '업데이트가 코드 1603으로 실패했습니다. 디스크 공간이 부족합니다.',
    ru: 'Обновление завершилось ошибкой 1603: Недостаточно места на диске.',
    pl: 'Aktualizacja nie powiodła się z kodem 1603: Za mało miejsca na dysku.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the full drive (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^low-disk-space(?::|$)/)
    })

  it('a person who says the drive has room names no full drive', () => {
    const text = 'The update failed with exit code 1603, and there is plenty of space on my C: drive.'
    expect(causeOf(text).id).not.toMatch(/^low-disk-space/)
  })
})

describe('.NET Framework 3.5 written without its dot, failing with 0x800F0922: a missing source', () => {
  // KB2734782 lists 0x800F0922 among .NET 3.5's installation errors, whose cause is a source Windows cannot reach.
  const told: Record<string, string> = {
    en: 'Net Framework 3.5 will not install on my PC, error 0x800F0922.',
    de: 'Net Framework 3.5 lässt sich auf meinem PC nicht installieren, Fehler 0x800F0922.',
    'zh-cn': '我的电脑无法安装 Net framework 3.5，错误码 0x800F0922。',
    ja: '私のPCに Net Framework 3.5 をインストールできません。エラー 0x800F0922。',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the missing source (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^feature-source-missing(?::|$)/)
    })
})

describe("0x800F0922 beside Windows Update's own record of a restart it waits for", () => {
  // WindowsUpdate.log writes this line while the RebootRequired key is set: an earlier update waits for its restart.
  it('names the pending restart above the installer code', () => {
    const text = [
      'My monthly update fails with 0x800F0922, here is the log:',
      '2026/03/02 09:10:11.1234567 1111  2222  Agent           WU client version 10.0.26100.1',
      '2026/03/02 09:10:11.2345678 1111  2222  Misc            The volatile RebootRequired key exists',
    ].join('\n')
    expect(causeOf(text).id).toMatch(/^pending-restart(?::|$)/)
  })
  it('the key told absent is no pending restart', () => {
    const text = 'My monthly update fails with 0x800F0922; the RebootRequired key does not exist.'
    expect(causeOf(text).id).not.toMatch(/^pending-restart/)
  })
})

describe("a thread where others say they have the same problem is people's own account, not a news item", () => {
  // A report, a reply addressing the reader, and a second person saying the same happens to them.
  const thread = (report: string, same: string) =>
    [report, 'You must remove the tool first; Microsoft is blocking it on the new version.', same].join('\n\n')
  const told: Record<string, string> = {
    en: thread(
      'The 25H2 upgrade stops: the tool causes security or performance issues on Windows (my copy is up to date).',
      'Same issue here, even after removing it.',
    ),
    de: thread(
      'Das Upgrade auf 25H2 stoppt: Das Tool verursacht Sicherheits- oder Leistungsprobleme, obwohl meine Version aktuell ist.',
      'Gleiches Problem, auch nach dem Entfernen.',
    ),
    fr: thread(
      'La mise à niveau 25H2 s’arrête : l’outil provoque des problèmes de sécurité ou de performances, ma version est à jour.',
      'Même problème ici, même après la suppression.',
    ),
    es: thread(
      'La actualización a 25H2 se detiene: la herramienta causa problemas de seguridad o rendimiento, mi versión está al día.',
      'Mismo problema aquí, incluso después de quitarla.',
    ),
    'zh-cn': thread('我的电脑升级到 25H2 时提示这个工具会导致安全或性能问题。', '同样的问题，卸载之后也一样。'),
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hold (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
})

describe('a language pack that will not install with a missing-source code: a feature without its source', () => {
  // Language packs come from the same sources as Features on Demand ("Features on Demand and language packs when you
  // use WSUS or Configuration Manager"): 0x800F081F while adding one is a source Windows cannot reach.
  const told: Record<string, string> = {
    en: 'Install-Language fr-FR fails on my image build with 0x800F081F.',
    en2: 'Adding the German language pack to my PC fails with 0x800F081F.',
    de: 'Das französische Sprachpaket lässt sich auf meinem PC nicht installieren, Fehler 0x800F081F.',
    fr: 'Le module linguistique allemand ne s’installe pas sur mon PC, erreur 0x800F081F.',
    es: 'El paquete de idioma no se instala en mi equipo, error 0x800F081F.',
    ja: '私のPCに言語パックをインストールできません。エラー 0x800F081F。',
    'zh-cn': '我的电脑安装语言包失败，错误 0x800F081F。',
    ko: '제 PC에 언어 팩을 설치할 수 없습니다. 오류 0x800F081F.',
    ru: 'На моём компьютере языковой пакет не устанавливается, ошибка 0x800F081F.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the missing source (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^feature-source-missing(?::|$)/)
    })
})

describe("Windows' screen applying an update's operations at restart: servicing in progress, not a restart to make", () => {
  // Windows 7 and Server 2008 R2 show "Applying update operation N of M" while the restart applies the staged work.
  const told: Record<string, string> = {
    en: 'After I forced the restart, my server shows "Applying update operation 1200 of 40000" and the number keeps rising.',
    de: 'Nach dem Neustart zeigt mein Server „Applying update operation 1200 of 40000“ und die Zahl steigt langsam.',
    'zh-cn': '我的服务器重启后显示 Applying update operation 1200 of 40000，数字一直在增加。',
  }
  for (const [language, text] of Object.entries(told))
    it(`names servicing in progress (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^servicing-in-progress(?::|$)/)
    })
})

describe("a cause told beside a code the knowledge does not hold: the story's cause speaks", () => {
  // A code with no meaning in the knowledge says less than the sentence that names the cause beside it.
  it('names Sysprep blocked by a per-user app beside an unknown code', () => {
    const text =
      'On my build VM, sysprep /generalize fails with 0x80073CF2: the browser appx is installed for the current user but not provisioned for all users.'
    expect(causeOf(text).id).toMatch(/^sysprep-failed(?::|$)/)
  })
  it('a cause told on another line than the unknown code is only context', () => {
    const text = [
      'The upgrade download stops every time with 0x80073CF2.',
      'Note: my group policies disable automatic updates, but only the automatic ones.',
    ].join('\n')
    expect(causeOf(text).id).not.toMatch(/^services-disabled/)
  })
})

describe("Windows Installer's 'another installation is already in progress' (1618) in each display language", () => {
  const told: Record<string, string> = {
    en: 'The update installer stops on my PC: Failed to grab execution mutex. System error 258.',
    de: 'Das Update bricht auf meinem PC ab: Eine andere Installation wird bereits ausgeführt.',
    fr: 'La mise à jour s’arrête sur mon PC : Une autre installation est déjà en cours.',
    es: 'La actualización se detiene en mi equipo: Ya hay otra instalación en curso.',
    it: 'L’aggiornamento si ferma sul mio PC: È già in corso un’altra installazione.',
    pt: 'A atualização para no meu computador: Outra instalação já está em andamento.',
    'zh-cn': '我的电脑上更新停止：另一个安装正在进行中。',
    'zh-tw': '我的電腦上更新停止：另一個安裝正在進行中。',
    ko: '제 PC에서 업데이트가 멈춥니다: 다른 설치가 이미 진행 중입니다.',
    ru: 'Обновление на моём компьютере останавливается: Уже выполняется другая установка.',
    pl: 'Aktualizacja na moim komputerze zatrzymuje się: Inna instalacja jest już w toku.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names another installation running (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^servicing-in-progress(?::|$)/)
    })
})

describe("Windows Setup's compatibility page ('What needs your attention') in each display language", () => {
  const told: Record<string, string> = {
    en: 'Upgrading my PC to 25H2 stops: the following things need your attention to continue.',
    de: 'Das Upgrade meines PCs auf 25H2 stoppt bei „Was Ihre Aufmerksamkeit erfordert“.',
    fr: 'La mise à niveau de mon PC vers 25H2 s’arrête sur « Ce qui nécessite votre attention ».',
    es: 'La actualización de mi PC a 25H2 se detiene en «Qué requiere tu atención».',
    pt: 'A atualização do meu PC para 25H2 para em "O que precisa da sua atenção".',
    ja: '私のPCの 25H2 へのアップグレードが「注意が必要な事項」で止まります。',
    'zh-cn': '我的电脑升级到 25H2 时停在“需要你注意的事项”。',
    ko: '제 PC의 25H2 업그레이드가 "주의가 필요한 사항"에서 멈춥니다.',
    ru: 'Обновление моего ПК до 25H2 останавливается на «Что требует вашего внимания».',
    pl: 'Aktualizacja mojego komputera do 25H2 zatrzymuje się na „Co wymaga Twojej uwagi”.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hold (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
})

describe('an update screen stuck at 100% that does not go on: a hang', () => {
  const told: Record<string, string> = {
    en: 'My laptop is stuck at 100% on the update screen and never restarts.',
    de: 'Mein Laptop hängt bei 100 % beim Update und startet nicht neu.',
    fr: 'Mon PC est bloqué à 100 % pendant la mise à jour et ne redémarre pas.',
    es: 'Mi portátil se queda atascado en el 100 % de la actualización.',
    it: 'Il mio PC è bloccato al 100% durante l’aggiornamento.',
    pt: 'Meu notebook fica travado em 100% na atualização.',
    ja: '私のPCは更新プログラムの構成が 100% で止まったままです。',
    'zh-cn': '我的电脑更新卡在100%不动了。',
    ko: '제 노트북이 업데이트 100%에서 멈춰 있습니다.',
    ru: 'Мой ноутбук зависает на 100% при обновлении.',
    pl: 'Mój laptop zawiesza się na 100% podczas aktualizacji.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hang (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^servicing-hang(?::|$)/)
    })
})

describe('an upgrade told blocked, or a PC told below Windows 11’s requirements beside a failure', () => {
  const blocked: Record<string, string> = {
    en: 'The 25H2 upgrade is blocked on my PC.',
    de: 'Das Upgrade auf 25H2 ist auf meinem PC blockiert.',
    fr: 'La mise à niveau vers 25H2 est bloquée sur mon PC.',
    es: 'La actualización a 25H2 está bloqueada en mi PC.',
    it: 'L’aggiornamento a 25H2 è bloccato sul mio PC.',
    pt: 'A atualização para 25H2 está bloqueada no meu PC.',
    ja: '私のPCでは 25H2 へのアップグレードがブロックされています。',
    'zh-cn': '我的电脑升级到 25H2 被阻止了。',
    ko: '제 PC에서 25H2 업그레이드가 차단되었습니다.',
    ru: 'Обновление до 25H2 на моём ПК заблокировано.',
    pl: 'Aktualizacja do 25H2 jest zablokowana na moim komputerze.',
  }
  for (const [language, text] of Object.entries(blocked))
    it(`names the hold (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
  const requirements: Record<string, string> = {
    en: "Windows 11 is not offered to my PC; it says this PC doesn't currently meet Windows 11 system requirements.",
    de: 'Windows 11 wird meinem PC nicht angeboten: Dieser PC erfüllt derzeit nicht die Systemanforderungen für Windows 11.',
    es: 'Windows 11 no se ofrece en mi PC: Este equipo no cumple actualmente los requisitos del sistema de Windows 11.',
    'zh-cn': '我的电脑没有推送 Windows 11，提示这台电脑当前不满足 Windows 11 系统要求。',
    pl: 'Windows 11 nie jest oferowana na moim komputerze: Ten komputer nie spełnia obecnie wymagań systemowych.',
  }
  for (const [language, text] of Object.entries(requirements))
    it(`names the requirements (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
  it('a download blocked by the firewall stays the blocked source', () => {
    const text = 'On my PC the update download is blocked by the firewall and the install failed.'
    expect(causeOf(text).id).toMatch(/^update-source-unreachable(?::|$)/)
  })
})

describe('a setup that does not start from media told damaged: the installation media', () => {
  const told: Record<string, string> = {
    en: 'Setup.exe from my USB stick does not start; the ISO file is corrupt.',
    de: 'Das Setup von meinem USB-Stick startet nicht, das Installationsmedium ist beschädigt.',
    fr: 'L’installation ne démarre pas sur mon PC, le support d’installation est endommagé.',
    es: 'La instalación no se inicia en mi PC, el medio de instalación está dañado.',
    'zh-cn': '我的电脑上安装程序无法启动，U盘里的镜像已损坏。',
    ru: 'Установка на моём ПК не запускается, установочный носитель повреждён.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the media (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-media-damaged(?::|$)/)
    })
})
