/**
 * Failures told in words, and the causes their sentences name (the twelfth batch's kinds), each from Microsoft's
 * documentation of the cause or Windows' own message in each display language, tested on lines written here (never a
 * capture's own lines). A failure told in words is never "No servicing problem found".
 */
import { describe, expect, it } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { causeOf } from '../analyze/corpus-checks.ts'

const errorFinding = (text: string) =>
  analyzeText(text).findings.some((f) => f.severity === 'error' || f.severity === 'critical')

describe('an update that downloads but never installs, is never downloaded, not applied, or cannot be enabled', () => {
  // A person's own report in each language, with no code and none of the older failure words.
  const told: Record<string, string> = {
    en: 'On my server the monthly cumulative update keeps downloading but not installing, every night.',
    en2: 'Since August my laptop is not downloading the cumulative update at all, only the Defender ones.',
    en3: 'I ran the script that adds the 2023 certificate, but the new KEK is not applied on my machine.',
    de: 'Auf meinem Rechner wird das kumulative Update seit Wochen nicht heruntergeladen.',
    fr: 'Sur mon PC, la mise à jour cumulative ne se télécharge pas depuis septembre.',
    es: 'En mi equipo la actualización acumulativa no se descarga desde hace semanas.',
    it: 'Sul mio PC l’aggiornamento cumulativo non viene scaricato da settimane.',
    pt: 'No meu computador a atualização cumulativa não é baixada há semanas.',
    ja: '私のPCでは累積更新プログラムがダウンロードされない状態が続いています。',
    'zh-cn': '我的电脑上累积更新一直无法下载，试了好几天。',
    'zh-tw': '我的電腦上累積更新一直無法下載，試了好幾天。',
    ko: '제 PC에서 누적 업데이트가 다운로드되지 않습니다.',
    ru: 'На моём компьютере накопительное обновление не скачивается уже неделю.',
    pl: 'Na moim komputerze aktualizacja zbiorcza nie pobiera się od tygodnia.',
  }
  for (const [language, text] of Object.entries(told))
    it(`is a failure, never none (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
      expect(errorFinding(text)).toBe(true)
    })

  it('a guide that says what to do when an update is not downloading reports no failure of its own', () => {
    const guide = [
      'How to fix Windows Update not downloading updates',
      'If the update is not downloading, restart the PC and run the troubleshooter.',
    ].join('\n')
    expect(causeOf(guide).id).toBe('none')
  })
})

describe("Windows' message for a disabled service (1058), in each display language", () => {
  // System Error Codes: 1058 ERROR_SERVICE_DISABLED, as each display language's Windows words it.
  const told: Record<string, string> = {
    en: 'Scanning for updates stopped. The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.',
    de: 'Die Suche brach ab: Der Dienst kann nicht gestartet werden, da er deaktiviert ist oder ihm keine aktivierten Geräte zugeordnet sind.',
    fr: 'La recherche s’arrête : Le service ne peut pas être démarré parce qu’il est désactivé ou qu’aucun périphérique activé ne lui est associé.',
    es: 'La búsqueda se detiene: No se puede iniciar el servicio porque está deshabilitado o porque no tiene dispositivos habilitados asociados.',
    'zh-cn': '扫描更新时提示：无法启动服务，原因可能是已被禁用或与其相关联的设备没有启动。',
    ja: '更新の確認で止まります。サービスを開始できません。サービスが無効になっているか、関連付けられた有効なデバイスがありません。',
    ru: 'Поиск обновлений прерывается: Служба не может быть запущена, так как она отключена или с ней не связаны включенные устройства.',
    pl: 'Wyszukiwanie przerywa się: Nie można uruchomić usługi, ponieważ jest ona wyłączona lub nie ma skojarzonych z nią włączonych urządzeń.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names a disabled service (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^services-disabled(?::|$)/)
    })
})

describe('the Windows Update service gone or refusing to be enabled', () => {
  const told: Record<string, string> = {
    en: 'After the tweak tool, the Windows Update service cannot be enabled again and the update search fails.',
    de: 'Nach dem Tool lässt sich der Windows Update-Dienst nicht mehr aktivieren, die Suche nach Updates schlägt fehl.',
    fr: 'Après l’outil, le service Windows Update ne peut pas être activé et la recherche de mises à jour a échoué.',
    'zh-cn': '用了优化工具以后，wuauserv 服务无法启用，更新失败。',
  }
  for (const [language, text] of Object.entries(told))
    it(`names a disabled service (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^services-disabled(?::|$)/)
    })
})

describe("Windows' message for a file that is not there (ERROR_FILE_NOT_FOUND), beside a failure told", () => {
  const told: Record<string, string> = {
    en: 'The update check fails every time: The system cannot find the file specified.',
    de: 'Die Updatesuche schlägt fehl: Das System kann die angegebene Datei nicht finden.',
    fr: 'La recherche de mises à jour a échoué : Le fichier spécifié est introuvable.',
    es: 'La actualización falló: El sistema no puede encontrar el archivo especificado.',
    it: 'L’aggiornamento non è riuscito: Impossibile trovare il file specificato.',
    ja: '更新に失敗しました。指定されたファイルが見つかりません。',
    'zh-cn': '点了更新以后更新失败，提示系统找不到指定的文件。',
    'zh-tw': '按下更新後更新失敗，顯示系統找不到指定的檔案。',
    ko: '업데이트 실패: 지정된 파일을 찾을 수 없습니다.',
    ru: 'Не удалось установить обновление: Не удается найти указанный файл.',
    pl: 'Aktualizacja nie powiodła się: Nie można odnaleźć określonego pliku.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names a file not found (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^file-not-found(?::|$)/)
    })
})

describe('the Windows Modules Installer (the servicing stack) must be updated first', () => {
  // Microsoft: "The Windows Modules Installer must be updated before you can install this package" (an MSU that needs
  // a newer servicing stack).
  const told: Record<string, string> = {
    en: 'Installing the rollup stops with: the Windows Modules Installer must be updated before you can install this package.',
    de: 'Die Installation bricht ab: Der Windows-Modulinstaller muss aktualisiert werden, bevor Sie dieses Paket installieren können.',
    fr: 'L’installation s’arrête : le programme d’installation pour les modules Windows doit être mis à jour avant d’installer ce package.',
    es: 'La instalación se detiene: el Instalador de módulos de Windows debe actualizarse antes de instalar este paquete.',
    'zh-cn': '安装月度汇总时提示：必须先更新 Windows 模块安装程序，然后才能安装此程序包。',
    ja: 'インストールが止まり、このパッケージをインストールする前に Windows モジュール インストーラーを更新する必要があります、と表示されます。',
  }
  for (const [language, text] of Object.entries(told))
    it(`names a servicing stack to install first (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^servicing-stack-required(?::|$)/)
    })
})

describe('the Windows Update servers out of reach', () => {
  const told: Record<string, string> = {
    en: 'sfc and DISM RestoreHealth failed on my PC: they say they cannot connect to the Windows Update server.',
    de: 'DISM schlägt fehl, weil keine Verbindung zum Windows Update-Server hergestellt werden kann.',
    fr: 'DISM a échoué : impossible de se connecter au serveur Windows Update.',
    'zh-cn': 'DISM 修复失败，提示无法连接到 Windows Update 服务器。',
    ru: 'DISM не удалось выполнить восстановление: не удается подключиться к серверу Windows Update.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the update source unreachable (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^update-source-unreachable(?::|$)/)
    })
})

describe('a restart the package asks for (exit code 3010) or a package left staged', () => {
  it('DISM that returns 3010 in a build step is a pending restart', () => {
    const told = [
      'The build step fails:',
      "The command 'cmd /S /C dism /Online /Add-Package /PackagePath:C:\\x\\some.cab /NoRestart' returned a non-zero code: 3010",
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^pending-restart(?::|$)/)
  })
  it('a capability left in the pending state is a pending restart', () => {
    const told =
      'In the image build the capability stays in the Install Pending state after Add-Capability, and nothing more happens.'
    expect(causeOf(told).id).toMatch(/^pending-restart(?::|$)/)
    expect(errorFinding(told)).toBe(true)
  })
  it("Server Manager's restart warning beside a hang is a pending restart", () => {
    const told = [
      'Add-WindowsFeature SomeRole',
      'WARNING: You must restart this server to finish the installation process.',
      'After the restart, Get-WindowsFeature hangs at 40% forever.',
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^pending-restart(?::|$)/)
  })
})

describe('a package that applies only to another product, edition or version', () => {
  it("an installer's own 'only applies to' message is a package that does not apply", () => {
    const told =
      'Running the package shows "This update only applies to machines with Some Component installed" and it will not install.'
    expect(causeOf(told).id).toMatch(/^wrong-arch-or-branch(?::|$)/)
    expect(errorFinding(told)).toBe(true)
  })
  it('DISM\'s "Feature name is unknown" written without the name is a feature this edition lacks', () => {
    const told = 'Enabling the features on Windows Server throws: Feature name is unknown'
    expect(causeOf(told).id).toMatch(/^wrong-arch-or-branch(?::|$)/)
  })
})

describe('a Feature on Demand named by its capability (RSAT, OpenSSH) and its source', () => {
  // Features on Demand and language packs with WSUS: RSAT and OpenSSH are Features on Demand; a WSUS client asks WSUS
  // for them and WSUS does not carry them (0x800F0954), and an offline source needs every cab of the feature.
  it('RSAT tools that fail to install from a source without their wow64 cab files: the source is missing', () => {
    const told = [
      'Adding the RSAT tools from the offline folder, several of them failed to install.',
      'The folder was copied without the wow64 cab files; with them it worked.',
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^feature-source-missing(?::|$)/)
  })
  it('OpenSSH Server failing with 0x800F0954 on a WSUS client is a feature source WSUS does not carry', () => {
    const told = 'Add-WindowsCapability for OpenSSH.Server on our WSUS-managed Server 2022 fails with 0x800f0954.'
    const plain = 'Installing OpenSSH Server on our WSUS-managed Server 2022 fails with 0x800f0954.'
    expect(causeOf(told).id).toMatch(/^feature-source-missing(?::|$)/)
    expect(causeOf(plain).id).toMatch(/^feature-source-missing(?::|$)/)
  })
})

describe('Windows Update blocked by a firewall, a proxy or the hosts file, in each display language', () => {
  const told: Record<string, string> = {
    en: 'Checking for updates fails every time; the tool says Windows Update may be blocked by your firewall or proxy server.',
    de: 'Die Updatesuche schlägt fehl, Windows Update wird von der Firewall blockiert.',
    fr: 'La recherche de mises à jour a échoué : Windows Update est bloqué par le pare-feu.',
    es: 'La búsqueda de actualizaciones falló: Windows Update está bloqueado por el firewall.',
    it: 'La ricerca degli aggiornamenti non è riuscita: Windows Update è bloccato dal firewall.',
    pt: 'A pesquisa de atualizações falhou: o Windows Update está bloqueado pelo firewall.',
    ja: '更新プログラムのインストールに失敗しました。Windows Update がファイアウォールでブロックされています。',
    'zh-cn': '更新失败，Windows Update 被防火墙阻止了。',
    'zh-tw': '更新失敗，Windows Update 被防火牆封鎖了。',
    ko: '업데이트 실패: Windows Update가 방화벽에 의해 차단되었습니다.',
    ru: 'Обновления больше не устанавливаются: Windows Update заблокирован брандмауэром.',
    pl: 'Aktualizacja nie powiodła się: Windows Update jest zablokowany przez zaporę.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the update source unreachable (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^update-source-unreachable(?::|$)/)
    })
})

describe('RestoreHealth that keeps asking for a source: the store needs a repair source', () => {
  const told: Record<string, string> = {
    en: 'Running DISM /Online /Cleanup-Image /RestoreHealth fails and asks for the source files every time.',
    de: 'DISM /RestoreHealth schlägt fehl und verlangt eine Quelle, egal welche ich angebe.',
    fr: 'DISM /RestoreHealth échoue et demande une source à chaque fois.',
    es: 'DISM /RestoreHealth falla y pide una fuente cada vez.',
    ru: 'DISM /RestoreHealth завершается ошибкой и требует источник.',
    pl: 'DISM /RestoreHealth kończy się błędem i wymaga źródła.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the store's repair (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^component-store-corruption(?::|$)/)
    })
})

describe('installation media that leaves the device unresponsive, or a release the device is not compatible with', () => {
  it('a device that becomes unresponsive when booted from the installation media is a failure, never none', () => {
    const told =
      'Booting this tablet from the new ARM64 installation media, it becomes unresponsive: no keyboard, no touchpad.'
    expect(causeOf(told).id).not.toBe('none')
    expect(errorFinding(told)).toBe(true)
  })
  it('a release the device is not compatible with is a build that does not apply to it', () => {
    const told = [
      'The USB installer boots, shows the logo and then loops; it never gets to Windows Setup.',
      'On this processor the 25H2 release is not compatible, only the image shipped with the device works.',
    ].join('\n')
    expect(causeOf(told).id).toMatch(/^wrong-arch-or-branch(?::|$)/)
  })
})

describe('the causes the words name are titled in plain words (no code in front; it stays on the technical line)', () => {
  it.each([
    ['file-not-found', 'The update search failed: The system cannot find the file specified.'],
    ['wu-components', 'Resetting Windows Update failed because wuauserv cannot be stopped.'],
  ])('%s', (id, text) => {
    const f = diagnose({ text }).findings.find((x) => x.id === id)
    expect(f).toBeDefined()
    expect(f!.title).not.toMatch(/0x[0-9a-f]{4,8}|ERROR_/i)
    // A title of its own, not the reason repeated.
    expect(f!.title.toLowerCase()).not.toBe(f!.causes[0]!.toLowerCase().replace(/\.$/, ''))
  })
})

describe('words of a cause that count only beside a failure, in analyze as in diagnose', () => {
  it.each([
    'Before you start, check whether the Windows Update service is disabled; the script then resets the components.',
    'Tip: turn off Windows Update while you game, then turn it back on.',
  ])('a text that tells no failure has no error finding: %s', (text) => {
    expect(errorFinding(text)).toBe(false)
    expect(causeOf(text).id).toBe('none')
  })
})

describe("a success told of other or earlier updates is not the failed update's resolution", () => {
  const told: Record<string, string> = {
    en: 'The security update fails to download with error 0x800f0805. All updates before the end of support were successfully installed.',
    de: 'Das Sicherheitsupdate schlägt mit 0x800f0805 fehl. Alle früheren Updates wurden erfolgreich installiert.',
    fr: 'La mise à jour de sécurité échoue avec 0x800f0805. Toutes les mises à jour précédentes ont été installées avec succès.',
    es: 'La actualización de seguridad falla con 0x800f0805. Todas las actualizaciones anteriores se instalaron correctamente.',
  }
  for (const [language, text] of Object.entries(told))
    it(`the failure stays (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })
  it('the same update told installed after its failure is still resolved', () => {
    const text = 'The security update failed with 0x800f0805. After a restart it was successfully installed.'
    expect(causeOf(text).id).toBe('none')
  })
})

describe("the August 2025 reset known issue told with Windows' localized name of Reset this PC", () => {
  const told: Record<string, string> = {
    de: 'Seit KB5063875 bricht „Diesen PC zurücksetzen“ bei mir ab und macht alles rückgängig.',
    fr: 'Depuis KB5063875, « Réinitialiser ce PC » échoue et annule tout sur mon portable.',
    es: 'Desde KB5063875, Restablecer este PC falla en mi equipo y deshace los cambios.',
    it: 'Dopo KB5063875 la funzione Reimposta il PC non va a buon fine sul mio portatile.',
    ja: 'KB5063875 の後、この PC をリセットが失敗して元に戻ります。',
    'zh-cn': '装了 KB5063875 之后，重置此电脑失败了，又回滚了。',
    ru: 'После KB5063875 не удалось вернуть компьютер в исходное состояние: откат изменений.',
    pl: 'Po KB5063875 opcja Resetuj ten komputer nie powiodła się i cofa zmiany.',
    en: 'After KB5063875 the Reset & Recovery options fail on my laptop and roll back.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the known issue (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^known-issue(?::|$)/)
    })
})

describe('0x8007019E, the Windows Subsystem for Linux not enabled, is in the knowledge', () => {
  it('is explained by its meaning, not as a code the knowledge does not hold', () => {
    const text = 'Starting the distribution fails: WslRegisterDistribution failed with error: 0x8007019e'
    const f = diagnose({ text }).findings.find((x) => x.id === 'code-0x8007019E')
    expect(f).toBeDefined()
    expect(f!.title).toMatch(/Windows Subsystem for Linux/)
  })
})

describe('updates turned off by the person or a tool, beside a failure told without a code, in each display language', () => {
  const told: Record<string, string> = {
    de: 'Ich hatte Windows Update mit einem Tool deaktiviert, jetzt schlägt die Installation des Pakets fehl.',
    fr: "J'avais désactivé Windows Update avec un outil, et maintenant l'installation du paquet a échoué.",
    es: 'Había desactivado Windows Update con una herramienta y ahora no se puede instalar el paquete.',
    it: "Avevo bloccato Windows Update con un programma e ora l'installazione non è riuscita.",
    pt: 'Eu tinha desativado o Windows Update com uma ferramenta e agora não foi possível instalar o pacote.',
    ja: 'ツールで Windows Update を無効にしていたので、パッケージのインストールに失敗しました。',
    'zh-cn': '之前用工具禁用了 Windows Update，现在安装包安装失败。',
    'zh-tw': '之前用工具停用了 Windows Update，現在安裝失敗。',
    ko: '도구로 Windows Update를 비활성화했더니 설치 실패가 납니다.',
    ru: 'Я отключил Windows Update программой, и теперь не удалось установить пакет.',
    pl: 'Wyłączyłem Windows Update programem i teraz nie udało się zainstalować pakietu.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names a disabled service (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^services-disabled(?::|$)/)
    })
  it('a how-to that tells how to turn updates off, with no failure, is none', () => {
    expect(causeOf('So deaktivieren Sie Windows Update vorübergehend in den Einstellungen.').id).toBe('none')
  })
})

describe('an update that Windows Update does not offer to the PC, told by its owner', () => {
  const told: Record<string, string> = {
    en: 'On my PC the September security update is not being offered at all, while other machines got it.',
    de: 'Auf meinem PC wird das Sicherheitsupdate vom September nicht angeboten.',
    fr: 'Sur mon PC, la mise à jour de sécurité de septembre ne m’est pas proposée.',
    es: 'En mi PC la actualización de seguridad de septiembre no se ofrece.',
    it: "Sul mio PC l'aggiornamento di sicurezza di settembre non viene proposto.",
    pt: 'No meu PC a atualização de segurança de setembro não é oferecida.',
    ja: '私のPCでは9月のセキュリティ更新プログラムが提供されない状態です。',
    'zh-cn': '我的电脑一直没有推送九月的安全更新。',
    'zh-tw': '我的電腦一直沒有推送九月的安全性更新。',
    ko: '제 PC에는 9월 보안 업데이트가 제공되지 않습니다.',
    ru: 'На моём ПК сентябрьское обновление безопасности не предлагается.',
    pl: 'Na moim komputerze wrześniowa aktualizacja zabezpieczeń nie jest oferowana.',
  }
  for (const [language, text] of Object.entries(told))
    it(`is a failure, never none (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })
})

describe('a package that says it does not apply to this Windows or does not support its architecture, beside a failure', () => {
  const told: Record<string, string> = {
    en: 'The install of the hotfix was not successful: it does not apply to Windows 11 Pro, says the installer.',
    en2: 'The installer stops with an error: this package does not support 64-bit architecture.',
    de: 'Die Installation ist fehlgeschlagen: das Paket gilt nicht für Windows 11.',
    fr: "L'installation a échoué : ce correctif ne s'applique pas à Windows 11.",
    es: 'La instalación falló: la revisión no se aplica a Windows 11.',
    it: "L'installazione non è riuscita: l'hotfix non si applica a Windows 11.",
    pt: 'A instalação falhou: o hotfix não se aplica ao Windows 11.',
    ja: 'インストールに失敗しました。この修正プログラムは Windows 11 には適用されません。',
    'zh-cn': '安装失败：此修补程序不适用于 Windows 11。',
    'zh-tw': '安裝失敗：此修補程式不適用於 Windows 11。',
    ru: 'Не удалось установить: исправление не применяется к Windows 11.',
    pl: 'Instalacja nie powiodła się: poprawka nie dotyczy systemu Windows 11.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names a package that does not apply (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^wrong-arch-or-branch(?::|$)/)
    })
})

describe('an update never received on an edition the program does not serve (ESU on Enterprise or Education)', () => {
  const told: Record<string, string> = {
    en: 'ESU shows as enrolled on my PC, but I never received the October update. The answer: consumer ESU does not work on Enterprise or Education.',
    de: 'ESU ist registriert, aber ich habe das Oktober-Update nie erhalten. Antwort: Consumer-ESU funktioniert nicht auf Enterprise oder Education.',
    'zh-cn': 'ESU 显示已注册，但我一直没有收到十月的更新补丁。回复：个人版 ESU 不支持企业版和教育版。',
    ja: 'ESU は登録済みと表示されますが、10 月の更新プログラムが届いていません。回答：コンシューマー ESU は Enterprise では動作しません。',
  }
  for (const [language, text] of Object.entries(told))
    it(`names an edition the update does not apply to (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^wrong-arch-or-branch(?::|$)/)
    })
  it('a general sentence that not every device receives an update the same day is no failure', () => {
    const news = 'Rollouts are gradual, so not every device receives the update on the same day.'
    expect(causeOf(news).id).toBe('none')
  })
})
