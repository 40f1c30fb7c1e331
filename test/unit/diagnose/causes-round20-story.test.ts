/**
 * Causes ranked from the story where another specific cause came first: each rule from Microsoft's documentation of
 * the cause (the names Windows gives a feature in each display language, the titles Microsoft gives its updates, the
 * remedy Microsoft documents for a cause), tested on lines written here in that shape (never a capture's own lines),
 * in several languages where words are involved.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

describe('the WinRE update told by the name Windows gives its recovery environment, in each display language', () => {
  // KB5034441 / KB5028997: the Windows Recovery Environment update needs 250 MB free on the recovery partition and
  // Windows Update shows only 0x80070643 when it is not there. People name the update by the recovery environment's
  // name in their Windows' language, without its KB.
  it.each([
    ['en', 'The Windows Recovery Environment update fails with 0x80070643 every month.'],
    ['de', 'Das Update der Windows-Wiederherstellungsumgebung schlägt mit 0x80070643 fehl.'],
    ['fr', "La mise à jour de l'environnement de récupération Windows échoue avec l'erreur 0x80070643."],
    ['es', 'La actualización del entorno de recuperación de Windows falla con el error 0x80070643.'],
    ['it', "L'aggiornamento dell'ambiente di ripristino Windows non riesce con errore 0x80070643."],
    ['pt', 'A atualização do Ambiente de Recuperação do Windows falhou com o erro 0x80070643.'],
    ['ru', 'Обновление среды восстановления Windows не устанавливается: ошибка 0x80070643.'],
    ['ja', 'Windows 回復環境の更新プログラムがエラー 0x80070643 で失敗します。'],
    ['zh-cn', 'Windows 恢复环境更新安装失败，错误 0x80070643。'],
    ['ko', 'Windows 복구 환경 업데이트가 0x80070643 오류로 실패합니다.'],
    ['pl', 'Aktualizacja środowiska odzyskiwania systemu Windows nie powiodła się, błąd 0x80070643.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toBe('winre-partition-too-small')
  })

  it('0x80070643 without the recovery environment stays the code', () => {
    expect(causeOf('Das Update schlägt mit 0x80070643 fehl.').id).not.toBe('winre-partition-too-small')
    expect(causeOf("L'aggiornamento di Office non riesce con errore 0x80070643.").id).not.toBe(
      'winre-partition-too-small',
    )
  })
})

describe('an update for .NET Framework 3.5, titled in any display language, enables no feature', () => {
  // Microsoft titles the framework's monthly updates "Cumulative Update for .NET Framework 3.5 and 4.8 …" and the same
  // in each language ("Kumulatives Update für …", "… の累積更新プログラム", "… 累积更新"): an update of the framework,
  // not the feature being enabled, so its 0x800F081F is the store's missing payload (KB947821), not a missing source.
  it.each([
    ['de', 'Kumulatives Update für .NET Framework 3.5 und 4.8 (KB5046540) schlägt mit 0x800f081f fehl.'],
    ['fr', 'Mise à jour cumulative pour .NET Framework 3.5 et 4.8 (KB5046540) : échec avec 0x800f081f.'],
    ['es', 'La actualización acumulativa para .NET Framework 3.5 y 4.8 (KB5046540) falla con 0x800f081f.'],
    ['it', "L'aggiornamento cumulativo per .NET Framework 3.5 e 4.8 (KB5046540) non riesce: 0x800f081f."],
    ['ja', '2024-11 .NET Framework 3.5、4.8 の累積更新プログラム (KB5046540) がエラー 0x800f081f で失敗します。'],
    ['zh-cn', '.NET Framework 3.5 和 4.8 累积更新 (KB5046540) 安装失败，错误 0x800f081f。'],
    ['ko', '.NET Framework 3.5 및 4.8 누적 업데이트(KB5046540)가 0x800f081f 오류로 실패합니다.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toBe('component-store-corruption')
  })

  // KB2734782: enabling .NET Framework 3.5 (NetFx3) fails with 0x800F081F when its source is not found; people spell the
  // feature with a hyphen or an underscore as often as with a space.
  it.each([
    ['en', 'Installing dotNET-3.5 on Windows 11: Error 0x800f081f'],
    ['en', 'NET_3.5 will not install, error 0x800f081f'],
    ['ja', '.NET Framework 3.5 を有効にするとエラー 0x800f081f で失敗します。'],
    ['de', '.NET Framework 3.5 aktivieren schlägt mit 0x800f081f fehl.'],
  ])('the feature itself stays its missing source (%s): %s', (_lang, text) => {
    expect(causeOf(text).id).toBe('feature-source-missing')
  })
})

describe('the step the person says fixed the failure names its cause', () => {
  // Windows Update needs its services at their default start types (Windows Update and BITS Manual, trigger start;
  // Cryptographic Services Automatic; "Windows Update common errors"): a failure that went away once the services were
  // set back or enabled again was those services, whatever generic code the install gave (0x800F0922).
  it.each([
    [
      'en',
      'The update failed with 0x800f0922 after a tweak tool set my services to Manual.\nI reverted the services to their defaults and restarted, which worked.',
    ],
    [
      'de',
      'Das Update schlug mit 0x800f0922 fehl.\nIch habe die Dienste wieder auf Automatisch gestellt, das hat funktioniert.',
    ],
    ['fr', "La mise à jour échouait avec 0x800f0922.\nJ'ai remis les services en automatique et ça a fonctionné."],
    ['es', 'La actualización fallaba con 0x800f0922.\nVolví a poner los servicios en automático y funcionó.'],
    ['ja', '更新が 0x800f0922 で失敗していました。\n無効にしていたサービスを有効に戻したら解決しました。'],
    [
      'ru',
      'Обновление не устанавливалось, ошибка 0x800f0922.\nВключил обратно службы, которые отключил твикер, — помогло.',
    ],
  ])('services set back (%s)', (_lang, text) => {
    expect(causeOf(text).id).toBe('services-disabled')
  })

  // The PC could not reach the Windows Update servers (a VPN, a proxy, a firewall in the way; Microsoft's "Get help with
  // Windows upgrade and installation errors" for 0x800F0922, and the download errors of "Windows Update common
  // errors"). A failure that went away once that block was removed was it.
  it.each([
    ['en', 'Windows Update kept failing with 0x800f0922.\nTurning off the firewall of my blocker app fixed it.'],
    ['de', 'Das Update schlug mit 0x800f0922 fehl.\nIch habe den Proxy entfernt, das hat funktioniert.'],
    ['fr', 'La mise à jour échouait avec 0x800f0922.\nDésactiver le pare-feu a résolu le problème.'],
    ['es', 'La actualización fallaba con 0x800f0922.\nQuité las entradas del archivo hosts y funcionó.'],
    ['it', "L'aggiornamento falliva con 0x800f0922.\nHo disattivato la VPN e ha funzionato."],
  ])('the block on the update servers removed (%s)', (_lang, text) => {
    expect(causeOf(text).id).toBe('update-source-unreachable')
  })

  it('other steps, or services only restarted by a reset, name neither', () => {
    for (const text of [
      'The update failed with 0x800f0922.\nI ran DISM and SFC and restarted, which worked.',
      'The update failed with 0x80070002.\nI stopped the services, renamed SoftwareDistribution and started the services again, which worked.',
      'The firewall is on and my services are on Automatic. The update failed with 0x800f0922.',
    ]) {
      expect(causeOf(text).id).not.toBe('services-disabled')
      expect(causeOf(text).id).not.toBe('update-source-unreachable')
    }
  })
})

describe('a restart loop in which the same update stays pending names the pending restart', () => {
  // Windows Update history's own statuses ("Pending restart", "Neustart ausstehend", "Redémarrage en attente", …): the
  // install waits on its restart, and each restart asks for another, so the operations staged for startup fail there
  // and stay pending. The codes the history also lists are that loop's, not another cause ranked above it.
  it.each([
    [
      'en',
      'KB5050021 asks me to restart again after every restart: stuck in a restart loop, the history shows "Pending restart" each time and lists 0x80070020.',
    ],
    [
      'de',
      'Neustartschleife: nach jedem Neustart steht KB5050094 wieder auf „Neustart ausstehend“. Im Verlauf steht 0x800f0984.',
    ],
    [
      'fr',
      "Boucle de redémarrage : après chaque redémarrage, KB5050094 affiche de nouveau « Redémarrage en attente ». L'historique montre 0x800f0984.",
    ],
    [
      'es',
      'Bucle de reinicio: tras cada reinicio la KB5050094 vuelve a «Reinicio pendiente». El historial muestra 0x80070020.',
    ],
    ['it', 'Ciclo di riavvio: a ogni riavvio KB5050094 torna a «Riavvio in sospeso»; nel registro compare 0x800f0984.'],
    [
      'pt',
      'Loop de reinicialização: após cada reinício a KB5050021 volta a «Instalação pendente». O histórico mostra 0x80070020.',
    ],
    [
      'ja',
      '再起動ループ: 再起動するたびに KB5050021 が「再起動の保留中」に戻ります。履歴には 0x80070020 が出ています。',
    ],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toBe('pending-restart')
  })

  it('a loop that rolls back, a PC that does not start, or a loop with no pending status keeps its cause', () => {
    expect(causeOf('The feature update rolled back after a restart loop, error 0xC1900101.').id).not.toBe(
      'pending-restart',
    )
    expect(
      causeOf(
        'Restart loop after KB5050021: the PC does not boot, it shows Preparing Automatic Repair. Pending restart. 0x80070020',
      ).id,
    ).not.toBe('pending-restart')
    expect(causeOf('Stuck in a restart loop after KB5050094; CBS shows 0x800f0984.').id).toBe(
      'component-store-corruption',
    )
  })
})

describe('a restart alone that fixed the failure names the pending restart', () => {
  // Servicing completes the operations it staged at the next restart (pending.xml); a failure that a restart alone
  // fixed was that pending work, not the damage the code names (0x80073701's missing assembly was still staged).
  it.each([
    ['en', 'The update failed with 0x80073701.\nRestarting the PC fixed it.'],
    ['de', 'Das Update schlug mit 0x80073701 fehl.\nNach einem Neustart: Problem gelöst.'],
    ['fr', 'La mise à jour échouait avec 0x80073701.\nUn redémarrage a résolu le problème.'],
    ['es', 'La actualización fallaba con 0x80073701.\nReinicié el equipo y se solucionó.'],
    ['ja', '更新が 0x80073701 で失敗しました。\n再起動したら解決しました。'],
  ])('%s', (_lang, text) => {
    expect(causeOf(text).id).toBe('pending-restart')
  })

  it('a restart told in another sentence, or a service restarted, is not the step', () => {
    for (const text of [
      'The setup needed a reboot, and the .NET 3.5 install failed with 0x80073701. I followed the wizard instead, and it worked.',
      'The update failed with 0x80073701.\nRestarting the Windows Update service fixed it.',
    ])
      expect(causeOf(text).id).not.toBe('pending-restart')
  })

  it('a restart beside another step names nothing of its own', () => {
    expect(
      causeOf('The update failed with 0x80073701.\nI ran DISM /RestoreHealth and restarted, that fixed it.').id,
    ).toBe('component-store-corruption')
    expect(
      causeOf('The update failed with 0x80073701.\nI reset the update components and restarted, which worked.').id,
    ).not.toBe('pending-restart')
  })
})

describe("an update told never offered does not meet a known issue about that update's install failing", () => {
  // A known issue Microsoft documents as an install that fails with a code (KB5068781 rolls back with 0x800F0922 on
  // subscription-activated ESU devices) needs the update to have been offered and installed: a text telling that the
  // update never arrived (not offered, not received) tells something before that, whatever else it says.
  it.each([
    ['en', 'I did not receive KB5068781 after enrolling in ESU; the build did not change.'],
    ['de', 'KB5068781 wird mir nicht angeboten, obwohl ESU aktiv ist.'],
    ['fr', "KB5068781 ne m'est pas proposée par Windows Update, la mise à jour n'arrive pas."],
    ['es', 'No recibí la KB5068781 aunque el ESU aparece registrado.'],
    ['zh-cn', 'Windows Update 一直没有推送 KB5068781，版本号也没变。'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).not.toMatch(/^known-issue:kb5068781/)
  })

  it('the install told failing still meets it', () => {
    expect(causeOf('KB5068781 fails to install with 0x800F0922.').id).toBe('known-issue:kb5068781-esu-subscription')
    expect(causeOf('KB5068781 failed to install and rolled back.').id).toBe('known-issue:kb5068781-esu-subscription')
    expect(causeOf('KB5068781 was not offered at first; once offered it failed to install and rolled back.').id).toBe(
      'known-issue:kb5068781-esu-subscription',
    )
  })
})

describe("a feature enabled through Windows' own dialogs, named in each display language, is its missing source", () => {
  // KB2734782 and "Features on Demand": enabling a feature (Turn Windows features on or off, Settings' Optional
  // features) fails with 0x800F081F when its files are in no source. People name the dialog as their Windows names it.
  it.each([
    ['de', 'Über "Windows-Features aktivieren oder deaktivieren" lässt sich .NET nicht hinzufügen: Fehler 0x800f081f.'],
    ['fr', "Dans « Activer ou désactiver des fonctionnalités Windows », l'ajout échoue avec 0x800f081f."],
    ['es', 'En "Activar o desactivar las características de Windows" falla con el error 0x800f081f.'],
    ['it', 'Da "Attiva o disattiva funzionalità di Windows" l\'installazione non riesce: 0x800f081f.'],
    ['pt', 'Em "Ativar ou desativar recursos do Windows" a instalação falha com 0x800f081f.'],
    ['ja', '「Windows の機能の有効化または無効化」から追加するとエラー 0x800f081f で失敗します。'],
    ['zh-cn', '在“启用或关闭 Windows 功能”中安装失败，错误 0x800f081f。'],
    ['ru', 'В окне «Включение или отключение компонентов Windows» установка завершается ошибкой 0x800f081f.'],
    ['de', 'Die optionalen Features lassen sich nicht installieren: 0x800f081f.'],
    ['fr', "Les fonctionnalités facultatives ne s'installent pas : erreur 0x800f081f."],
    ['es', 'No se pueden instalar las características opcionales: error 0x800f081f.'],
    ['ja', 'オプション機能を追加するとエラー 0x800f081f で失敗します。'],
    ['zh-cn', '添加可选功能时失败，错误 0x800f081f。'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toBe('feature-source-missing')
  })

  it("Windows' new features told in news are no feature being enabled", () => {
    expect(causeOf('Las nuevas características de Windows 11 llegan con KB5046617, que falla con 0x800f081f.').id).toBe(
      'component-store-corruption',
    )
  })
})

describe('0x800F0922 beside the EFI system partition told full names that partition', () => {
  // Microsoft names 0x800F0922 (and 0xC1900104) for a System Reserved / EFI system partition without the 15 MB free the
  // update needs ("We couldn't update system reserved partition"). The same code has other causes; the partition told
  // full in the same sentence picks this one.
  it.each([
    ['en', 'The update failed with 0x800f0922. The EFI system partition had only 5 MB free.'],
    ['de', 'Das Update schlug mit 0x800f0922 fehl; die EFI-Systempartition ist voll.'],
    ['fr', 'La mise à jour échoue avec 0x800f0922 : la partition système EFI est pleine.'],
    ['es', 'La actualización falla con 0x800f0922 porque la partición EFI no tiene suficiente espacio.'],
    ['it', "L'aggiornamento non riesce con 0x800f0922: la partizione EFI è piena."],
    ['ja', '更新が 0x800f0922 で失敗します。EFI システム パーティションの空き容量が不足しています。'],
    ['zh-cn', '更新失败，错误 0x800f0922。EFI 系统分区空间不足。'],
    ['en', 'Setup fails with 0xc1900104 and the System Reserved partition is full.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toBe('esp-full')
  })

  it('the partition named without being full, or full beside another code, keeps the code', () => {
    expect(causeOf('The update failed with 0x800f0922. I checked the EFI partition, it has 80 MB free.').id).not.toBe(
      'esp-full',
    )
    expect(causeOf('Upgrade fails with 0xC1900101; the EFI partition is full.').id).not.toBe('esp-full')
  })
})

describe('space told short elsewhere is not the EFI partition', () => {
  it('"espace" and "espacio" are no ESP', () => {
    expect(causeOf("La mise à jour échoue avec 0x800f0922 : pas assez d'espace sur le disque C:.").id).not.toBe(
      'esp-full',
    )
    expect(causeOf('La actualización falla con 0x800f0922 porque no hay suficiente espacio en C:.').id).not.toBe(
      'esp-full',
    )
  })
})

describe("the EFI partition among a code's possible causes is not told full", () => {
  it.each([
    ['en', 'The update fails with 0x800f0922. In some cases the System Reserved partition may be full.'],
    ['de', 'Das Update schlägt mit 0x800f0922 fehl. Manchmal kann die EFI-Systempartition voll sein.'],
    ['fr', 'La mise à jour échoue avec 0x800f0922. Parfois, la partition système EFI peut être pleine.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).not.toBe('esp-full')
  })
})

describe("the fixing step of Microsoft's remedy for media, disk space and the two small partitions", () => {
  // Microsoft's remedies: new installation media (0x8007025D, damaged media: download the ISO again), free space on
  // the system drive (0x80070070, 0xC190020E), free the EFI system partition (0x800F0922, 0xC1900104: 15 MB free), and
  // resize the recovery partition (KB5028997, for the WinRE update's 0x80070643). The step that fixed it picks that cause.
  it.each([
    [
      'en',
      'The upgrade failed with 0xC1900101.\nI recreated the USB stick with a freshly downloaded ISO and it worked.',
    ],
    [
      'de',
      'Das Upgrade schlug mit 0xC1900101 fehl.\nIch habe die ISO neu heruntergeladen und den USB-Stick neu erstellt, das hat funktioniert.',
    ],
    [
      'fr',
      "La mise à niveau échouait avec 0xC1900101.\nJ'ai retéléchargé l'ISO et recréé la clé USB, ça a fonctionné.",
    ],
    ['es', 'La instalación fallaba con 0xC1900101.\nVolví a descargar la ISO y creé de nuevo el USB, y funcionó.'],
    ['ja', 'アップグレードが 0xC1900101 で失敗しました。\nISO をダウンロードし直して USB を作り直したら解決しました。'],
  ])('new media (%s)', (_lang, text) => {
    expect(causeOf(text).id).toBe('setup-media-damaged')
  })

  it.each([
    ['en', 'The upgrade failed with 0xC1900101.\nI freed up 20 GB on C: and it worked.'],
    ['de', 'Das Upgrade schlug mit 0xC1900101 fehl.\nIch habe 20 GB auf C: freigemacht, das hat funktioniert.'],
    ['fr', "La mise à niveau échouait avec 0xC1900101.\nJ'ai libéré 20 Go sur C:, ça a fonctionné."],
    ['es', 'La actualización fallaba con 0xC1900101.\nLiberé 20 GB en C: y funcionó.'],
    ['ja', 'アップグレードが 0xC1900101 で失敗しました。\nC ドライブの空き容量を 20 GB 増やしたら解決しました。'],
  ])('space freed on the system drive (%s)', (_lang, text) => {
    expect(causeOf(text).id).toBe('low-disk-space')
  })

  it.each([
    [
      'en',
      'The update failed with 0x800f0922.\nI freed space on the EFI partition by moving the old fonts, which worked.',
    ],
    [
      'de',
      'Das Update schlug mit 0x800f0922 fehl.\nIch habe auf der EFI-Partition Platz geschaffen, das hat funktioniert.',
    ],
  ])('the EFI partition freed (%s)', (_lang, text) => {
    expect(causeOf(text).id).toBe('esp-full')
  })

  it.each([
    [
      'en',
      'The update failed with 0x80070643.\nI resized the recovery partition following KB5028997 and that fixed it.',
    ],
    ['fr', "La mise à jour échouait avec 0x80070643.\nJ'ai agrandi la partition de récupération, ça a fonctionné."],
  ])('the recovery partition enlarged (%s)', (_lang, text) => {
    expect(causeOf(text).id).toBe('winre-partition-too-small')
  })

  it('a new USB device is no media', () => {
    expect(causeOf('The upgrade failed with 0xC1900101.\nI plugged in a new USB mouse and it worked.').id).not.toBe(
      'setup-media-damaged',
    )
  })

  it('an ISO used as a repair source is no new media', () => {
    expect(
      causeOf(
        'The update failed with 0x800f081f.\nI mounted a fresh ISO and ran DISM /RestoreHealth /Source with it, which worked.',
      ).id,
    ).not.toBe('setup-media-damaged')
  })
})

describe('an image stripped of components before the failure explains the store code after it', () => {
  // 0x800F0991 ("a component store corruption or a missing component") on an image a tool stripped (components removed
  // outside servicing: a "debloated", "lite" build): the earlier step removed what the update needs, so the store lacks
  // it. Told with the code, in each language.
  it.each([
    ['en', 'I built a stripped image with NTLite; now KB5043145 fails with 0x800f0991.'],
    ['de', 'Auf meinem abgespeckten Windows 11 (Komponenten entfernt) schlägt KB5043145 mit 0x800f0991 fehl.'],
    ['fr', 'Sur mon Windows 11 allégé (composants supprimés), KB5043145 échoue avec 0x800f0991.'],
    ['es', 'En mi Windows 11 modificado con componentes eliminados, KB5043145 falla con 0x800f0991.'],
    ['zh-cn', '精简版 Windows 11 安装 KB5043145 失败，错误 0x800f0991。'],
    ['ru', 'На урезанной сборке Windows 11 обновление KB5043145 не ставится: 0x800f0991.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).toMatch(/^component-store-corruption(?::|$)/)
  })

  it('the same code on an image nobody stripped keeps its own reading', () => {
    expect(causeOf('KB5043145 fails with 0x800f0991.').id).not.toMatch(/^component-store-corruption/)
  })
})

describe("0x80240017 from a search-and-install run of the Windows Update Agent is no package's applicability", () => {
  // WU_E_NOT_APPLICABLE (wuerror.h): "Operation was not performed because there are no applicable updates". From the
  // agent's API (PSWindowsUpdate, WUInstall, a script's Microsoft.Update.Session) it says the run found nothing to
  // install; only a standalone package (wusa, an .msu, DISM) it names does not apply to this Windows.
  it.each([
    ['en', 'PSWindowsUpdate: Install-WindowsUpdate returned 0x80240017 on the second pass; a reboot is required.'],
    ['de', 'WUInstall meldet 0x80240017 beim zweiten Durchlauf, danach ist ein Neustart erforderlich.'],
    ['fr', 'Le script Get-WindowsUpdate renvoie 0x80240017 au deuxième passage.'],
  ])('%s: %s', (_lang, text) => {
    expect(causeOf(text).id).not.toBe('wrong-arch-or-branch')
  })

  it('a standalone package told with it stays not applicable', () => {
    expect(causeOf('wusa windows10.0-kb5034441-x64.msu fails: 0x80240017, the update is not applicable.').id).toBe(
      'wrong-arch-or-branch',
    )
    expect(causeOf('Install-WindowsUpdate found nothing, so I ran wusa on the .msu: 0x80240017.').id).toBe(
      'wrong-arch-or-branch',
    )
  })
})
