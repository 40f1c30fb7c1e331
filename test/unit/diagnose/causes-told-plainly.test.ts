/**
 * Causes a person tells in plain words beside a failure, in the twelve display languages the words table holds: the
 * Windows drive short of space, the System Reserved (EFI) partition full, Windows Update unable to connect and the
 * hosts file, firewall or proxy that blocks it, and a service the writer disabled or a script removed. Each told only
 * in a how-to, denied, or without a failure, names no cause. Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { causes } from './told-causes.ts'

describe('the Windows drive told short of space beside a failure is low disk space', () => {
  causes(
    {
      en: 'The November update fails every time; my C: drive only has 3 GB left.',
      en2: 'Windows needs more space, it says, and the cumulative update stops at 45%.',
      de: 'Das Update schlägt jedes Mal fehl, auf Laufwerk C ist nicht genügend Platz frei.',
      fr: "La mise à jour échoue, il n'y a plus assez d'espace sur le disque C.",
      es: 'La actualización falla porque no hay suficiente espacio en el disco C.',
      it: "L'aggiornamento non riesce perché lo spazio su disco è insufficiente.",
      pt: 'A atualização falha porque o disco C está cheio.',
      ja: 'Cドライブの空き容量が足りないので、更新プログラムのインストールに失敗します。',
      'zh-cn': '系统盘空间不够，累积更新一直安装失败。',
      'zh-tw': 'C槽快滿了，更新一直安裝失敗。',
      ko: 'C 드라이브 공간이 부족해서 업데이트 설치가 실패합니다.',
      ru: 'Обновление не устанавливается: на системном диске не хватает места.',
      pl: 'Aktualizacja się nie instaluje, na dysku C jest za mało miejsca.',
    },
    'low-disk-space',
  )
  it('a drive told full in so many words still names it beside a code the knowledge holds', () => {
    expect(causeOf('The installer stopped with 0x8000FFFF. The C: drive is full, 300 MB free.').id).toBe(
      'low-disk-space',
    )
  })
  it('is no cause where the space is denied short, or told only as a check to make', () => {
    expect(causeOf('The update failed again. Disk space is not low, 200 GB free on C:.').id).not.toBe('low-disk-space')
    expect(causeOf('Before you update, make sure the C: drive is not full.').id).toBe('none')
  })
})

describe('the System Reserved or EFI partition told full beside a failure is the full EFI partition', () => {
  causes(
    {
      en: 'The feature update fails and the System Reserved partition is full.',
      de: 'Das Funktionsupdate schlägt fehl, die EFI-Systempartition ist voll.',
      fr: 'La mise à jour échoue : la partition EFI est pleine.',
      es: 'La actualización falla y la partición reservada del sistema está llena.',
      ja: '更新に失敗します。EFI システム パーティションの容量が足りません。',
      'zh-cn': '更新失败，系统保留分区已满。',
      ru: 'Обновление не устанавливается, раздел EFI заполнен.',
    },
    'esp-full',
  )
})

describe('Windows Update told unable to connect is a failure, and a block told beside it is the unreachable source', () => {
  causes(
    {
      en: 'Since I added the telemetry hosts to my hosts file, Windows Update cannot connect anymore.',
      en2: 'The company proxy blocks the download and the update fails.',
      de: 'Die Firewall blockiert den Download, das Update schlägt fehl.',
      fr: "Depuis que le pare-feu bloque ces adresses, l'installation des mises à jour échoue.",
      ja: 'プロキシが通信をブロックしていて、更新プログラムのダウンロードに失敗します。',
      'zh-cn': '防火墙拦截了下载，更新一直失败。',
    },
    'update-source-unreachable',
  )
  it('Windows Update unable to connect, told alone, is a failure whose cause is not named', () => {
    expect(causeOf('Windows Update cannot connect since Monday, the laptop gets no updates.').id).not.toBe('none')
  })
  it('a firewall that blocks something, with no failure told, is no cause', () => {
    expect(causeOf('A firewall blocks incoming connections by default; you can add rules for apps.').id).toBe('none')
  })
})

describe('a service the writer disabled, or a script removed, beside a failure is a disabled service', () => {
  causes(
    {
      en: 'Updates fail ever since I disabled the Windows Modules Installer service.',
      en2: 'After a cleanup script the Windows Update service is gone and nothing installs.',
      es: 'Desactivé el servicio de Windows Update hace meses y ahora las actualizaciones fallan.',
    },
    'services-disabled',
  )
})

describe("Windows' own messages that name a cause, and failures told in everyday words", () => {
  causes(
    {
      en: 'wusa stops at once: the update is not applicable to my computer (it is an ARM64 tablet).',
      de: 'Beim Doppelklick auf die MSU kommt: Das Update ist nicht auf Ihren Computer anwendbar.',
      ja: 'MSU を実行すると「この更新プログラムはお使いのコンピューターには適用できません」と表示されます。',
      'zh-cn': '运行 MSU 后提示：此更新不适用于你的计算机。',
    },
    'wrong-arch-or-branch',
  )
  causes(
    {
      en: 'sfc /scannow: Windows Resource Protection found corrupt files but was unable to fix some of them.',
    },
    'component-store-corruption',
  )
  causes(
    {
      en: 'Turning on .NET 3.5 in Windows Features: Windows couldn’t find required files to complete the requested changes.',
    },
    'feature-source-missing',
  )
  causes(
    {
      de: 'Das Update wird nicht installiert, weil bereits eine andere Installation ausgeführt wird.',
    },
    'servicing-in-progress',
  )
  causes(
    {
      en: 'Our antivirus blocks the installer and the update ends with access denied.',
      de: 'Der Virenschutz blockiert das Update, die Installation bricht ab.',
    },
    'access-blocked',
  )
  causes(
    {
      en: 'The clients point at our WSUS server by group policy and never get the monthly update.',
    },
    'update-source-unreachable:wsus',
  )
  it('a download that cannot start, told in words, is a failure (en, de, fr, es)', () => {
    for (const text of [
      'The laptop cannot download the cumulative update since Tuesday.',
      'Der Rechner kann das Update nicht herunterladen, es bricht ab.',
      'Impossible de télécharger la mise à jour cumulative depuis mardi.',
      'La actualización no se descarga desde el martes.',
    ])
      expect(causeOf(text).id, text).not.toBe('none')
  })
})

describe('the same causes told in Italian, Portuguese, Korean, Russian and Polish everyday words', () => {
  causes(
    {
      it: "L'aggiornamento cumulativo non va a buon fine: sul disco C è rimasto poco spazio libero.",
      pt: 'A atualização não consegue instalar, o disco C tem pouco espaço.',
      ko: '업데이트에 실패합니다. C 드라이브 여유 공간이 1GB밖에 없습니다.',
      ru: 'Обновления не ставятся, на системном диске почти не осталось места.',
      pl: 'Nie mogę zainstalować aktualizacji, na dysku C brakuje miejsca.',
    },
    'low-disk-space',
  )
  causes(
    {
      pl: 'Usługa Windows Update jest wyłączona i aktualizacje się nie instalują.',
    },
    'services-disabled',
  )
  causes(
    {
      pl: 'Magazyn składników jest uszkodzony, instalacja aktualizacji kończy się błędem.',
    },
    'component-store-corruption',
  )
})

describe("Windows' update screens told for hours, an upgrade told rolled back, a store DISM calls repairable", () => {
  causes(
    {
      en: 'Our kiosk PC has shown "Working on updates 100% complete" for six hours now.',
      de: 'Der Rechner zeigt seit Stunden nur „Updates werden bearbeitet“ an.',
      es: 'El portátil lleva horas en "Trabajando en las actualizaciones", no pasa de ahí.',
    },
    'servicing-hang',
  )
  causes(
    {
      en: 'The 25H2 upgrade reaches the second restart, fails and rolls back to 24H2 every time.',
      it: "L'aggiornamento a 25H2 arriva al secondo riavvio e poi torna alla versione precedente.",
    },
    'feature-update-failed',
  )
  causes(
    {
      en: 'DISM /ScanHealth reports that the component store is repairable, and the cumulative update fails again.',
    },
    'component-store-corruption',
  )
})

describe('a negation governs its own clause, not the one joined after it by "and" or "but"', () => {
  causes(
    { it: "L'aggiornamento a 25H2 non riesce e torna alla versione precedente dopo il riavvio." },
    'feature-update-failed',
  )
  causes(
    { en: 'The cumulative update will not install, and the servicing stack update is required first.' },
    'servicing-stack-required',
  )
  it('still reads a negation inside the clause ("no component store corruption")', () => {
    expect(causeOf('The update failed. DISM says no component store corruption detected.').id).not.toBe(
      'component-store-corruption',
    )
  })
})

describe('an update that installed after a repair step the person ran was fixed by that step', () => {
  causes(
    {
      en: 'The cumulative update failed with 0x800f0983 three times; after DISM /Online /Cleanup-Image /RestoreHealth it installed successfully.',
      en2: 'KB5050009 kept failing with 0x800f0983.\nRan DISM /Online /Cleanup-Image /RestoreHealth and restarted.\nThen the update installed fine.',
      de: 'Das Update schlug mit 0x800f0983 fehl. Nach DISM /Online /Cleanup-Image /RestoreHealth wurde es erfolgreich installiert.',
    },
    'component-store-corruption',
  )
  it('an update that installed later with no step told is a story resolved, not a cause', () => {
    expect(
      causeOf('The cumulative update failed with 0x800f0983 on Tuesday. On Friday it installed successfully.').id,
    ).toBe('none')
  })
})

describe('an update that "does not work" or "is not getting installed" is a failure told in everyday words', () => {
  it('is a failure, whose cause the text does not name (en, de, es, pt, ru)', () => {
    for (const text of [
      'Since March the monthly updates are not getting installed on our kiosk PCs.',
      'The 23H2 upgrade does not work on this laptop, nothing happens after the download.',
      'Das Funktionsupdate funktioniert nicht, es passiert nichts nach dem Neustart.',
      'La actualización de Windows no funciona en este equipo desde hace semanas.',
      'A atualização do Windows não funcionou neste computador.',
      'Обновление Windows не работает на этом ноутбуке.',
    ])
      expect(causeOf(text).id, text).toBe('failure-cause-not-named')
  })
})

describe('a fix that did not help, a version name as the update, and Chinese "错误提示" as the error message itself', () => {
  it('is a failure whose cause the text does not name', () => {
    for (const text of [
      'Tried the update troubleshooter and a reset of the components, it did not help: the cumulative update is still missing.',
      'Der 24H2-Rechner lädt das Update, aber der Neustart hat nicht geholfen.',
      'Обновление до 24H2: сброс компонентов не помог.',
      '24H2 的硬件检查一直过不去。',
      '错误提示：安装更新失败，重启以后还是一样。',
    ])
      expect(causeOf(text).id, text).toBe('failure-cause-not-named')
  })
})

describe('Windows 11 requirements told unmet, and a web filter told blocking an install of a feature', () => {
  it('a PC told not to meet the requirements is a failure', () => {
    expect(
      causeOf('PC Health Check is all green, yet Windows Update says the PC does not meet the requirements for 24H2.')
        .id,
    ).not.toBe('none')
  })
  causes(
    {
      en: 'Installing .NET Framework 3.5 keeps giving an error; I think our web filter blocks the download of its files.',
    },
    'update-source-unreachable',
  )
})

describe('a KB only inside a link cites a page, it names no update the text tells of', () => {
  it('a pull request that mends a link to a support article is a change to a page, not a failure', () => {
    const pr = [
      'example/docs · pull request #12 · open',
      '# Mend the link to the 0x800F0922 article',
      '',
      'writer · description · 2025-03-02',
      'The link was broken by a typo: [0x800F0922 when an update fails to install](https://support.microsoft.com/help/4538795/update-fails',
      '',
      'bot · comment · 2025-03-02',
      'Thanks for your contribution! The pull request will be reviewed.',
    ].join('\n')
    expect(causeOf(pr).id).toBe('none')
  })
})

describe('an app to remove before the upgrade can go on, told by a reply; a Russian text about updating', () => {
  causes(
    {
      en: 'The 24H2 upgrade stops at 20% with a popup about my shell tool.\n\nmaintainer · comment\nUninstall the tool, then you can upgrade to 24H2.',
    },
    'setup-blocked',
  )
  it('a Russian text whose update did not help is a failure', () => {
    expect(causeOf('Решил обновится до 24H2, но сброс компонентов не помог.').id).not.toBe('none')
  })
})

describe('a package manager that installs a Windows update package (an .msu through wusa) is Windows servicing', () => {
  it('its failure is no other program updater', () => {
    const text = [
      'Installing RSAT with Chocolatey fails from our deployment tool, works by hand.',
      'Downloading RSAT from https://download.microsoft.com/download/x/WindowsTH-RSAT_WS_1709-x64.msu',
      'Installing RSAT... wusa.exe returned 5. The install of rsat was not successful.',
    ].join('\n')
    expect(causeOf(text).id).not.toBe('none')
  })
})

describe("a how-to's words right after a person's trying are the person's attempt, not a how-to", () => {
  it('is the failure of the text', () => {
    expect(
      causeOf('After the update the Windows Installer no longer works; I tried many ways to fix it, it keeps failing.')
        .id,
    ).toBe('failure-cause-not-named')
  })
  it('a how-to title still reads as a how-to', () => {
    expect(causeOf('How to fix an update that keeps failing: five ways to fix it for good.').id).toBe('none')
  })
})
