/**
 * A cause told through the step that fixed it, and causes and failures told in the everyday forms people write (past
 * tenses, Windows' own dialog messages, a PC behind a proxy, an app Setup calls incompatible, an x64 package on an ARM64
 * PC). A step Microsoft documents as a cause's remedy names that cause only where the update installed after it; told
 * in a how-to, before the failure, or followed by the same failure, it names none. Lines written here, never a
 * capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { causes, eachIs } from './told-causes.ts'

describe('security software removed or turned off, after which the update installed, was blocking it', () => {
  causes(
    {
      en: 'The cumulative update fails every time. I have Avast installed, once I uninstalled it the update went through fine.',
      de: 'Das Update schlug immer wieder fehl. Schuld war der Virenscanner von McAfee, nach der Deinstallation lief es durch.',
      es: 'La actualización fallaba siempre. Desinstalé el antivirus Norton y después se instaló correctamente.',
      ja: '更新プログラムのインストールに何度も失敗しました。ウイルス対策ソフトをアンインストールしたら、正常にインストールされました。',
    },
    'access-blocked',
  )
})

describe('the other documented steps name their causes when the update installed after them', () => {
  causes(
    {
      en: 'Upgrade from the USB stick failed halfway. I downloaded the ISO again and the second one worked.',
      ru: 'Обновление до Windows 11 с флешки каждый раз прерывалось с ошибкой. Скачал заново образ iso, записал, и всё заработало.',
    },
    'setup-media-damaged',
  )
  causes(
    {
      en: 'Windows Update kept failing until I reset the Windows Update components: stopped wuauserv, renamed SoftwareDistribution and catroot2, then it worked.',
      ru: 'Обновления не устанавливались, помогло только переименование папки SoftwareDistribution и сброс компонентов Центра обновления.',
    },
    'wu-components',
  )
  causes(
    {
      en: 'The cumulative update would not install on Server 2016 until I installed the latest servicing stack update first.',
      fr: "La mise à jour cumulative ne s'installait pas, il fallait d'abord installer la dernière mise à jour de la pile de maintenance.",
    },
    'servicing-stack-required',
  )
  causes({ en: 'The update failed twice. I freed up space on C: and then it installed fine.' }, 'low-disk-space')
  causes(
    { en: 'Windows Update could not download the update; after I disconnected the VPN it went through.' },
    'update-source-unreachable',
  )
})

describe('a step that did not fix the failure, or a how-to that lists it, names no cause', () => {
  it('a step followed by the same failure is a failure whose cause is not named', () => {
    eachIs(
      [
        'The cumulative update fails every time. I uninstalled Avast, but the update still fails.',
        'Ich habe den Ordner SoftwareDistribution umbenannt, das Update schlägt trotzdem fehl.',
      ],
      'failure-cause-not-named',
    )
  })
  it("a how-to's list of steps tells no failure of its own", () => {
    expect(
      causeOf(
        'How to fix Windows Update errors\n\n1. Uninstall third-party antivirus software.\n2. Rename the SoftwareDistribution folder.\n3. Download the ISO again.',
      ).id,
    ).toBe('none')
  })
  it('a step taken before the failure is told names nothing', () => {
    expect(
      causeOf('I uninstalled McAfee last year. Now the October update keeps failing and rolls back at every restart.')
        .id,
    ).toBe('failure-cause-not-named')
  })
})

describe('failures told in past tenses and in the Windows Features dialog are failures', () => {
  it('is a failure, whose cause the text does not name', () => {
    eachIs(
      [
        "I tried to turn on a feature, but Windows said it couldn't complete the requested changes.",
        'Aktualizacja zbiorcza nie chce się zainstalować, po restarcie cofa zmiany. Próbowałem kilka razy.',
        'Обновление зависло на 0% и не двигается уже сутки.',
        '累積更新一直裝不起來，重新開機後又還原了。試了很多次。',
        "La mise à jour de sécurité ne s'installait pas, même après plusieurs redémarrages.",
        "L'aggiornamento di Windows non si installava nemmeno dopo il riavvio.",
      ],
      'failure-cause-not-named',
    )
  })
})

describe('causes told in the forms people write beside a failure', () => {
  causes(
    {
      en: "The feature update won't install. Setup says an app on the PC isn't compatible and must be uninstalled before continuing.",
      de: 'Das Funktionsupdate lässt sich nicht installieren, Setup meldet einen inkompatiblen Treiber, der zuerst entfernt werden muss.',
      'zh-cn': '功能更新安装不了，安装程序提示有不兼容的应用，需要先卸载。',
    },
    'setup-blocked',
  )
  causes(
    {
      en: "Windows Update can't download anything behind our corporate proxy; without the proxy it works.",
      fr: "Windows Update ne télécharge rien derrière le proxy de l'entreprise.",
      es: 'Windows Update no descarga nada detrás del proxy de la empresa, sin el proxy funciona.',
    },
    'update-source-unreachable',
  )
  causes(
    {
      en: 'wusa says the update is not applicable. I downloaded the x64 package but my Surface is ARM64.',
      ja: '更新プログラムをインストールできません。x64 用のパッケージをダウンロードしましたが、PC は ARM64 でした。',
    },
    'wrong-arch-or-branch',
  )
  causes(
    { en: 'Updates fail to download. I found the Windows Update service was set to Disabled by some optimizer tool.' },
    'services-disabled',
  )
  causes(
    { fr: 'La mise à jour échoue et DISM indique que le magasin des composants est endommagé.' },
    'component-store-corruption',
  )
  causes({ it: "L'aggiornamento non si installa, sul disco C sono rimasti solo 3 GB liberi." }, 'low-disk-space')
  it('drivers that only might be incompatible are no compatibility block', () => {
    expect(
      causeOf(
        'The upgrade to Windows 11 rolled back at 75%. Some drivers might be incompatible, some software might be incompatible and so on.',
      ).id,
    ).not.toBe('setup-blocked')
  })
})

describe('a general word of failure, a fixing step, then the success: the failure that step fixed', () => {
  causes(
    {
      de: 'Das Upgrade auf Windows 11 bricht jedes Mal bei 30 % ab. Ich habe den USB-Stick mit dem Media Creation Tool neu erstellt, danach lief die Installation durch.',
      es: 'La instalación de Windows 11 desde la ISO daba error al 40%. Volví a descargar la ISO y funcionó.',
      'zh-cn': '用U盘升级Windows 11一直失败，重新下载镜像以后就成功了。',
    },
    'setup-media-damaged',
  )
  causes(
    {
      ja: 'Windows Update が何度も失敗していましたが、SoftwareDistribution フォルダーの名前を変更したら正常にインストールされました。',
    },
    'wu-components',
  )
  it('a general word of failure and a success with no step between is a success story', () => {
    expect(causeOf('Windows Update が失敗したと思いましたが、正常にインストールされました。').id).toBe('none')
  })
})

describe('an update told standing still, or a black screen after it, in the words people write', () => {
  it('is a failure, whose cause the text does not name', () => {
    eachIs(
      [
        'The 2025-11 cumulative update downloads to 100% and then nothing, it never starts installing.',
        'La actualización se queda en "Preparando para instalar" y no avanza.',
        "L'aggiornamento resta fermo al 'Download 100%' e non parte l'installazione.",
        "A atualização fica parada em 'Instalando 85%' e não sai disso.",
        '更新プログラムが「インストールの準備中」のまま止まっています。',
        "업데이트가 '설치 준비 중'에서 더 이상 진행되지 않아요.",
        "Aktualizacja stoi na 'Przygotowywanie do instalacji' i dalej nie idzie.",
        '更新一直停在“正在检查更新”，什么都没发生。',
      ],
      'failure-cause-not-named',
    )
  })
  it('an explainer that sets a scene for its reader tells no failure of its own', () => {
    expect(
      causeOf(
        'Imagina esta escena: reinicias el ordenador para instalar una actualización de Windows y la barra no avanza. En este artículo te explicamos por qué.',
      ).id,
    ).toBe('none')
  })
})

describe('a third set of posts: a restart beside another step, a version beside an incompatible app, a step outranked by its own words', () => {
  it('a restart told beside turning the antivirus off is not the fix alone', () => {
    expect(
      causeOf(
        'KB5053598 failed 5 times on my PC. Then I remembered I had ESET installed. Disabled its real-time protection, rebooted, and the update finally installed.',
      ).id,
    ).toBe('access-blocked')
  })
  it('an app told incompatible "with this version" is the compatibility block, not another version of Windows', () => {
    expect(
      causeOf(
        'A atualização para o Windows 11 24H2 não instala. O assistente diz que um aplicativo instalado não é compatível com esta versão.',
      ).id,
    ).toBe('setup-blocked')
  })
  it('the servicing stack named in words and installed as the step that fixed it', () => {
    expect(
      causeOf('Windows Server 2016 安装累积更新一直失败，后来先装了最新的服务堆栈更新，累积更新就成功安装了。').id,
    ).toBe('servicing-stack-required')
  })
  causes(
    {
      de: 'Das Funktionsupdate auf 24H2 scheitert bei mir immer. Laut Windows fehlt Speicherplatz, auf C: sind nur noch 8 GB frei.',
    },
    'low-disk-space',
  )
  it("Windows' rollback message in a German subordinate clause is a failure", () => {
    expect(
      causeOf(
        'Seit dem letzten Patchday bekomme ich bei jedem Neustart die Meldung, dass die Updates nicht abgeschlossen werden konnten.',
      ).id,
    ).toBe('failure-cause-not-named')
  })
})

describe("a release note's fixed issue is no failure of the text's own", () => {
  it('is none in the languages of the table', () => {
    eachIs(
      [
        'Microsoft has released KB5051987 for Windows 11 24H2. The update fixes an issue where some devices failed to wake from sleep.',
        'Microsoft lanzó la actualización KB5048667, que corrige un error por el que algunos equipos no podían instalar actualizaciones.',
        'マイクロソフトは、一部のデバイスで更新プログラムのインストールに失敗する問題を修正した KB5050094 を公開しました。',
        '微软发布了 KB5050094 更新，修复了部分设备无法安装更新的问题。',
        '마이크로소프트는 일부 장치에서 업데이트 설치에 실패하는 문제를 수정한 KB5050094를 배포했습니다.',
        'Microsoft выпустила обновление KB5050094, которое исправляет проблему, из-за которой на некоторых устройствах не устанавливались обновления.',
      ],
      'none',
    )
  })
  it("a failure told in the next sentence is still the text's own", () => {
    expect(
      causeOf('KB5051987 fixes an issue with File Explorer. On my PC it failed to install three times with no code.')
        .id,
    ).toBe('failure-cause-not-named')
  })
})
