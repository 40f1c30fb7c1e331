/**
 * Failures told in words that were answered "No servicing problem found" or "cause not named" (round 21, after the
 * eighteenth and nineteenth batches were measured held out): Windows Update's own "We couldn't connect to the update
 * service", a DNS or firewall block list beside a failure, Windows Update disabled or broken by a script, WMI disabled
 * beside a failure, an app that blocks the feature update (or must be uninstalled first), and an update that Windows
 * Update still finds after it was integrated (Chinese). Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { causes } from './told-causes.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

describe("Windows Update's own message that it could not reach the update service names the unreachable source", () => {
  causes(
    {
      en: 'Since last week, Check for updates shows: We couldn’t connect to the update service. We’ll try again later.',
      de: 'Seit gestern steht bei Windows Update nur: Wir konnten keine Verbindung mit dem Updatedienst herstellen.',
      fr: "Windows Update affiche : Nous n'avons pas pu nous connecter au service de mise à jour.",
      es: 'Al buscar actualizaciones aparece: No pudimos conectarnos al servicio de actualización.',
    },
    'update-source-unreachable',
  )
})

describe('a DNS or firewall block list beside a failure is the unreachable source', () => {
  causes(
    {
      en: 'With the router running dnsmasq and its ad list, I could not update to the newest build; Windows Update finds nothing.',
      en2: 'After I imported the privacy firewall rules, Windows Update is not downloading anything.',
      en3: 'Since I set up Pi-hole, updates failed to download on both laptops.',
    },
    'update-source-unreachable',
  )
  it('is no cause without a failure told', () => {
    expect(causeOf('Pi-hole setup guide: add these block lists to your router.').id).toBe('none')
  })
})

describe('Windows Update disabled or broken by a script is a disabled service', () => {
  causes(
    {
      en: 'The optimization script is breaking Windows Update on our images. The maintainer says disabling of Windows Update is on purpose.',
    },
    'services-disabled',
  )
  it('"breaking Windows Update" is a failure told', () => {
    expect(causeOf('The cleanup tool is breaking Windows Update on two of our laptops.').id).toBe(
      'failure-cause-not-named',
    )
  })
})

describe('Windows Management Instrumentation disabled beside a failure is a disabled service', () => {
  causes(
    {
      en: 'The tweak tool disables Windows Management Instrumentation. Since then the monthly update failed to install.',
      de: 'Das Skript hat die Windows-Verwaltungsinstrumentation deaktiviert. Seitdem schlägt die Installation des Updates fehl.',
    },
    'services-disabled',
  )
  it('is no cause without a failure told', () => {
    expect(causeOf('Note: our tool never disables Windows Management Instrumentation.').id).toBe('none')
  })
})

describe('an app that blocks the feature update, or must be uninstalled first, is a compatibility hold', () => {
  causes(
    {
      en: 'Cannot install the 24H2 update. The shell add-on blocks the 24H2 upgrade; I had to uninstall it.',
      en2: 'Unable to install the 24H2 update while the theme tool is installed. Had to uninstall it to continue with 24H2.',
    },
    'setup-blocked',
  )
})

describe('an update Windows Update still finds after it was integrated into the image is one offered again', () => {
  causes(
    {
      'zh-cn': '我把 KB 补丁集成进了镜像，装好系统后 Windows 更新依然会扫描出这个补丁，很奇怪。',
      'zh-tw': '我把補丁整合進映像，安裝後 Windows 更新仍然會掃描出這個補丁。',
    },
    'failure-cause-not-named',
  )
})

describe('Update and restart that does nothing, beside a restart Windows waits for, is that pending restart', () => {
  causes(
    {
      en: 'The updates say pending restart. Clicking Update and restart does nothing; only shutdown /r from a prompt works.',
      de: 'Die Updates stehen auf Neustart ausstehend. Bei Aktualisieren und neu starten passiert nichts.',
    },
    'pending-restart',
  )
})

describe('an update that takes many tries is a failure told', () => {
  causes(
    {
      en: 'Every month I have to try many times until the cumulative update goes through.',
    },
    'failure-cause-not-named',
  )
})

describe('a recovery partition told too small beside a failure is the WinRE update without room (KB5028997)', () => {
  causes(
    {
      en: 'The monthly update keeps failing. Turns out the recovery partition is too small for the new WinRE.',
      de: 'Das Update schlägt jedes Mal fehl, weil die Wiederherstellungspartition zu klein ist.',
      ja: '更新プログラムが何度も失敗しました。原因は回復パーティションの容量不足でした。',
    },
    'winre-partition-too-small',
  )
  it('offers the resize of the recovery partition', () => {
    const text = 'The monthly update keeps failing. Turns out the recovery partition is too small for the new WinRE.'
    const f = diagnose({ text }).findings.find((x) => x.id === 'winre-partition-too-small')
    expect(f?.remedies.length).toBeGreaterThan(0)
  })
  it('is no cause without a failure told', () => {
    expect(causeOf('How big should the recovery partition be? Ours is 1 GB, not too small for anything.').id).toBe(
      'none',
    )
  })
})

describe('a Japanese post that tells its own attempt ("…しようとしたところ、…失敗しました") is a report, not an explainer', () => {
  causes(
    {
      ja: 'この記事では、更新エラーへの対処手順を説明します。先月の累積更新プログラムをインストールしようとしたところ、エラーが発生してインストールに失敗しました。',
    },
    'failure-cause-not-named',
  )
})

describe("a pull request's diff of an error-code table reports no failure, however many codes its rows hold", () => {
  // The way a pasted pull request reads once its fences are dropped: the hunk header stays.
  const pr = [
    'Pull request: add the missing code to the error reference',
    'docs/update/error-reference.md',
    '@@ -40,6 +40,7 @@ Codes Windows Update returns',
    ' | 0x80240020 | WU_E_NO_INTERACTIVE_USER | Operation did not complete because there is no logged-on interactive user.',
    ' | 0x80240021 | WU_E_TIME_OUT | Operation did not complete because it timed out.',
    ' | 0x80240022 | WU_E_ALL_UPDATES_FAILED | Operation failed for all the updates.',
    '+| 0x80070422 | | The Windows Update service is disabled or stopped working.',
    'Thanks for this PR, merging.',
  ].join('\n')
  it("is none: no finding of the reader's failure", () => {
    expect(causeOf(pr).id).toBe('none')
  })
  it('a run that fails with those codes, told by its person, stays a failure', () => {
    expect(
      causeOf('My update fails with 0x80240022, then 0x80240021, then 0x80070422. I did not change anything.').id,
    ).not.toBe('none')
  })
})

describe('a page titled as an explanation of why updates fail is an explainer, its users the phenomenon', () => {
  const none = (told: Record<string, string>) => {
    for (const [language, text] of Object.entries(told))
      it(`none (${language})`, () => {
        expect(causeOf(text).id).toBe('none')
      })
  }
  none({
    en: 'Why your Windows updates keep failing\nMany users failed to install the latest feature update. Devices need enough time online to download it.',
    vi: 'Microsoft giải thích tại sao một số máy tính cập nhật Windows thất bại\nTuy nhiên, vẫn có nhiều người dùng thất bại trong việc cập nhật lên phiên bản mới. Thiết bị cần kết nối mạng đủ lâu.',
    'zh-cn':
      '为什么你的Windows更新总是失败？\n许多用户的电脑更新失败了，这让人很着急。更新需要稳定的网络和足够的磁盘空间。',
  })
  it('a person asking why their own update fails stays a failure', () => {
    expect(causeOf('Why does my update fail?\nKB5034441 failed to install again on my laptop.').id).not.toBe('none')
  })
  it('"that explains why" in a reply below a report is no title', () => {
    expect(
      causeOf('The cumulative update failed to install on our server.\nThat explains why the service was stopped.').id,
    ).not.toBe('none')
  })
})

describe("a Turkish support page's own KB number (Orijinal KB numarası) makes it a page, not an update's story", () => {
  it('none', () => {
    expect(
      causeOf(
        'WSUS en iyi uygulamaları\nBu makalede, WSUS yapılandırması için ipuçları sağlanır.\nOrijinal KB numarası: 4490414\nİstemciler tam tarama yaparsa eşitleme hata verebilir.',
      ).id,
    ).toBe('none')
  })
})

describe('a news page of an update that left PCs at the BitLocker recovery screen tells no PC of the reader', () => {
  it("the update's reported problem, not the reader's failure (fr)", () => {
    expect(
      causeOf(
        "Après la mise à jour KB5099999, de nombreux PC restent bloqués sur l'écran de récupération BitLocker. Microsoft a reconnu le problème et prépare un correctif.",
      ).id,
    ).toBe('known-issue:reported')
  })
  it("is not read as the reader's PC that does not start (en; its other failure words still speak)", () => {
    expect(
      causeOf(
        'After KB5099999, many PCs are stuck at the BitLocker recovery screen. Microsoft has confirmed the issue in its release health notes.',
      ).id,
    ).not.toBe('failure-cause-not-named:no-boot')
  })
  it("a person's own PC at that screen stays a PC that does not start", () => {
    expect(
      causeOf(
        'After KB5099999 my laptop is stuck at the BitLocker recovery screen. Microsoft has confirmed the issue, but I need the PC now.',
      ).id,
    ).toBe('failure-cause-not-named:no-boot')
  })
})

describe("Windows' own driver blocklist is no block list of the update source", () => {
  it('a failure beside the vulnerable driver blocklist is not the unreachable source', () => {
    expect(
      causeOf('The cumulative update failed to install after I turned on the Microsoft vulnerable driver blocklist.')
        .id,
    ).not.toBe('update-source-unreachable')
  })
})

describe('uninstalling the update itself is no compatibility hold', () => {
  it('"had to uninstall it" of the 24H2 update that broke something is not setup-blocked', () => {
    expect(
      causeOf('The 24H2 update broke my audio driver and failed to finish, so I had to uninstall it.').id,
    ).not.toBe('setup-blocked')
  })
})

describe('"vollständig" is not a full recovery partition', () => {
  it('a recovery partition told rebuilt "vollständig" beside a failure is not too small', () => {
    expect(
      causeOf(
        'Das Update ist fehlgeschlagen. Danach habe ich die Wiederherstellungspartition vollständig neu erstellt.',
      ).id,
    ).not.toBe('winre-partition-too-small')
  })
})
