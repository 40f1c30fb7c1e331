/**
 * Failures told in words and the cause they point to (a Sysprep run that fails or hangs, a PC the WSUS policy leaves
 * without updates, an update the PC does not allow, Windows' "Element not found" beside a store cleanup), in the
 * display languages, from Microsoft's documentation of each cause and ordinary speech. Lines written here, never a
 * capture's own. A failure told in words is never "No servicing problem found".
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

describe('a Sysprep run told failed or hung', () => {
  const told: Record<string, string> = {
    en: 'Our golden image: sysprep fails right after the generalize pass starts.',
    de: 'Beim Erstellen des Images schlägt Sysprep fehl, sobald generalize beginnt.',
    de2: 'Sysprep ist fehlgeschlagen, das Image bleibt unbrauchbar.',
    fr: 'Sur notre image de référence, sysprep échoue dès le début.',
    es: 'En la imagen base sysprep falla al generalizar.',
    it: "Nell'immagine di riferimento sysprep non riesce a generalizzare.",
    pt: 'Na imagem de referência o sysprep falhou ao generalizar.',
    ja: 'マスター イメージで sysprep に失敗します。',
    'zh-cn': '制作镜像时 sysprep 失败，无法封装。',
    'zh-tw': '製作映像時 sysprep 失敗。',
    ko: '이미지를 만들 때 sysprep 실패가 계속됩니다.',
    ru: 'На эталонном образе sysprep завершается ошибкой.',
    pl: 'Na obrazie wzorcowym sysprep kończy się błędem.',
  }
  for (const [language, text] of Object.entries(told))
    it(`is a failure (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })

  it("sends to Sysprep's own logs when no cause is named", () => {
    const out = diagnose({ text: 'Sysprep hangs on our build VM and never shuts down.' })
    const top = out.findings.find((f) => f.severity !== 'info')!
    expect(top.id).toBe('failure-cause-not-named')
    expect(top.remedies.map((r) => r.id)).toContain('collect-sysprep-logs')
    expect(top.remedies.map((r) => r.id)).not.toContain('collect-code')
  })
})

describe('a PC the WSUS policy leaves without updates', () => {
  const told: Record<string, string> = {
    en: "Since the new GPO my laptop isn't getting updates; the policy sets a WSUS server we only reach in the office.",
    en2: 'The notebook isn\'t getting updates at home. "Specify intranet Microsoft update service location" is enabled.',
    de: 'Seit der Gruppenrichtlinie bekomme keine Updates mehr, der WSUS-Server ist nur im Büro erreichbar.',
    fr: 'Depuis la GPO je ne reçois plus de mises à jour : le serveur WSUS n’est joignable qu’au bureau.',
    es: 'Desde la GPO no recibo actualizaciones: el servidor WSUS solo se alcanza en la oficina.',
    pt: 'Desde a GPO não recebo atualizações; o servidor WSUS só existe no escritório.',
    'zh-cn': '加域以后电脑一直收不到更新，组策略指向公司内部的 WSUS 服务器。',
    ru: 'После групповой политики не получаю обновления: сервер WSUS доступен только в офисе.',
    pl: 'Po zasadzie grupy nie dostaję aktualizacji, serwer WSUS jest tylko w biurze.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the policy's update server (${language})`, () => {
      expect(causeOf(text).id).toBe('update-source-unreachable:wsus')
    })

  it('beside a feature being enabled, the feature misses its source', () => {
    const text = 'Enabling .NET Framework 3.5 failed again; the PC uses our WSUS server by policy.'
    expect(causeOf(text).id).toBe('feature-source-missing')
  })

  it("a WSUS server's own trouble, with no policy named, is not the client's update source", () => {
    const text = 'The WSUS server console crashes when I open it after the update.'
    expect(causeOf(text).id).not.toBe('update-source-unreachable:wsus')
  })

  it('a how-to that names the policy tells no failure', () => {
    const text = 'To use WSUS, enable "Specify intranet Microsoft update service location" and enter the WSUS server.'
    expect(causeOf(text).id).toBe('none')
  })
})

describe('an update or upgrade the PC does not allow', () => {
  const told: Record<string, string> = {
    en: "My laptop won't let me upgrade to 25H2 at all.",
    en2: "It doesn't allow you to update to 25H2 while the shell tool is installed.",
    de: 'Windows lässt mich nicht auf 25H2 upgraden.',
    fr: 'Windows ne me laisse pas faire la mise à niveau vers 25H2.',
    es: 'Windows no me deja actualizar a 25H2.',
    it: 'Windows non mi lascia aggiornare a 25H2.',
    pt: 'O Windows não me deixa atualizar para o 25H2.',
    'zh-cn': '系统不允许我升级到 25H2。',
    ru: 'Windows не даёт мне обновиться до 25H2.',
    pl: 'Windows nie pozwala mi zaktualizować do 25H2.',
    ko: 'Windows가 25H2로 업데이트를 못 하게 합니다.',
  }
  for (const [language, text] of Object.entries(told))
    it(`is a failure (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })

  it('a rule for others is no failure of the person', () => {
    const text = 'Group Policy does not allow standard users to install updates; an administrator approves them.'
    expect(causeOf(text).id).toBe('none')
  })
})

describe('Windows\' "Element not found" beside a failed store cleanup', () => {
  const told: Record<string, string> = {
    en: 'Cleaning up WinSxS after the update failed: Element not found.',
    de: 'Die Bereinigung nach dem Update ist fehlgeschlagen: Element nicht gefunden.',
    fr: 'Le nettoyage après la mise à jour a échoué : Élément introuvable.',
    es: 'La limpieza después de la actualización falló: No se encontró el elemento.',
    ja: '更新後のクリーンアップに失敗しました: 要素が見つかりません。',
    'zh-cn': '更新后清理 WinSxS 失败：找不到元素。',
    ru: 'Очистка после обновления завершилась ошибкой: Элемент не найден.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the damaged store (${language})`, () => {
      expect(causeOf(text).id).toBe('component-store-corruption')
    })
})

describe('an adverb inside the sentence that names the cause', () => {
  it('"currently" between the service and its state', () => {
    const text = 'Enabling .NET 3.5 fails on the new image; the Windows Update service is currently disabled there.'
    expect(causeOf(text).id).toBe('services-disabled')
  })
})

describe('a service Windows Update depends on, its start type Disabled, beside a failure', () => {
  const told: Record<string, string> = {
    en: 'Updates fail to download since the debloat script; the BITS service startup type is disabled.',
    en2: 'The cumulative update failed to install. Windows Modules Installer was disabled by a tweak tool.',
    de: 'Das Update lässt sich nicht installieren. Der Intelligente Hintergrundübertragungsdienst ist deaktiviert.',
    fr: 'La mise à jour a échoué. Le service de transfert intelligent en arrière-plan est désactivé.',
    es: 'La actualización falló. El Servicio de transferencia inteligente en segundo plano está deshabilitado.',
    ja: '更新プログラムのインストールに失敗しました。バックグラウンド インテリジェント転送サービスが無効になっています。',
    'zh-cn': '更新安装失败。后台智能传输服务已禁用。',
    ru: 'Обновление не удалось установить. Фоновая интеллектуальная служба передачи отключена.',
    pl: 'Aktualizacja nie powiodła się. Usługa inteligentnego transferu w tle jest wyłączona.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the disabled service (${language})`, () => {
      expect(causeOf(text).id).toBe('services-disabled')
    })

  it('a how-to that sets a service back from Disabled tells no failure', () => {
    expect(causeOf('If the BITS service startup type is disabled, set it to Manual.').id).toBe('none')
  })
})

describe("Windows' own words for a safeguard hold", () => {
  const told: Record<string, string> = {
    en: "Setup stops: Your PC has a driver or service that isn't ready for this version of Windows 11.",
    en2: "The 25H2 upgrade is not offered. Settings says once it's ready for your device, you'll see the update on this page.",
    de: 'Setup meldet, mein PC hat einen Treiber oder Dienst, der für diese Version von Windows 11 nicht bereit ist.',
    fr: "Le programme d'installation indique un pilote ou un service qui n'est pas prêt pour cette version de Windows 11.",
    es: 'El instalador dice que el equipo tiene un controlador o servicio que no está listo para esta versión de Windows 11.',
    ja: 'セットアップで、このバージョンの Windows 11 に対応していないドライバーまたはサービスがあると表示されます。',
    'zh-cn': '安装程序提示：你的电脑上有驱动程序或服务尚未准备好用于此版本的 Windows 11。',
    ru: 'Установщик пишет, что на ПК есть драйвер или служба, не готовые к этой версии Windows 11.',
    pl: 'Instalator pokazuje, że komputer ma sterownik lub usługę, które nie są gotowe na tę wersję Windows 11.',
  }
  for (const [language, text] of Object.entries(told))
    it(`names the hold (${language})`, () => {
      expect(causeOf(text).id).toMatch(/^setup-blocked(?::|$)/)
    })
})

describe('the same words told as news, a rule or a page, with no failure of the reader', () => {
  const pages: Record<string, string> = {
    news: 'Windows 7 stopped receiving updates in January 2020, so Microsoft recommends upgrading to Windows 10.',
    hold: "Once it's ready for your device, you'll see the update available on this page.",
  }
  for (const [what, text] of Object.entries(pages))
    it(`names no failure (${what})`, () => {
      expect(causeOf(text).id).toBe('none')
    })
})

describe("Sysprep's own words for what it refuses", () => {
  it('an upgraded Windows', () => {
    const text = 'Generalizing our image stops with: Sysprep will not run on an upgraded OS.'
    expect(causeOf(text).id).toBe('sysprep-failed:upgraded-os')
  })
  it('BitLocker on the OS volume', () => {
    const text = 'Sysprep stops: BitLocker is on for the OS volume. Turn BitLocker off to run Sysprep.'
    expect(causeOf(text).id).toBe('sysprep-failed:bitlocker')
  })
})

describe("Windows Update's own words for a failed install or download, in each display language", () => {
  // The Settings page: "There were problems installing some updates", "Download error - 0x…", "We couldn't install
  // this update".
  const told: Record<string, string> = {
    de: 'Unter Windows Update steht: Beim Installieren einiger Updates sind Probleme aufgetreten.',
    de2: 'Beim Update steht nur Downloadfehler, sonst nichts.',
    fr: "Windows Update affiche : Des problèmes sont survenus lors de l'installation de certaines mises à jour.",
    es: 'En Windows Update pone: Hubo problemas al instalar algunas actualizaciones.',
    it: "In Windows Update: Si sono verificati problemi durante l'installazione di alcuni aggiornamenti.",
    pt: 'No Windows Update aparece: Houve problemas ao instalar algumas atualizações.',
    ja: 'Windows Update に「一部の更新プログラムのインストールで問題が発生しました」と出ます。',
    'zh-cn': 'Windows 更新里显示：安装某些更新时出现问题。',
    'zh-tw': 'Windows Update 顯示：安裝某些更新時發生問題。',
    ko: 'Windows 업데이트에 일부 업데이트를 설치하는 동안 문제가 발생했다고 나옵니다.',
    ru: 'В Центре обновления: При установке некоторых обновлений возникли проблемы.',
    pl: 'Windows Update pokazuje: Wystąpiły problemy z instalowaniem niektórych aktualizacji.',
  }
  for (const [language, text] of Object.entries(told))
    it(`is a failure (${language})`, () => {
      expect(causeOf(text).id).not.toBe('none')
    })
})

describe('"Element not found" outside the component store', () => {
  it('a Start menu that fails with it names no damaged store', () => {
    expect(causeOf('Opening the Start menu fails with Element not found.').id).not.toBe('component-store-corruption')
  })
})
