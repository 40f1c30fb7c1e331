/**
 * What the twenty-second held-out batch showed, each as lines written here (never a capture's own): Setup's result for
 * an app or driver that blocks the upgrade is that block; a Japanese blog tells its own story in verbs, with no
 * pronoun, though it heads its sections like a support article; and a step that would free space, named beside words
 * that tell the space short, does not hide those words.
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { causes, eachIs } from './told-causes.ts'

describe("Setup's MOSETUP_E_COMPAT_INSTALLREQ_BLOCK is an app or driver that blocks the upgrade", () => {
  it('names the block for the code alone and in a story', () => {
    expect(diagnose({ code: '0xC1900208' }).findings[0]?.id).toBe('setup-blocked:incompatible-app')
    expect(causeOf('The 24H2 upgrade fails every day with 0xc1900208 on my ThinkPad.').id).toBe(
      'setup-blocked:incompatible-app',
    )
  })
  it('leaves the other Setup results a failed feature update', () => {
    expect(causeOf('The 24H2 upgrade fails every day with 0xC1900101 - 0x40017 on my ThinkPad.').id).toBe(
      'feature-update-failed',
    )
  })
})

describe('a Japanese blog tells its own failure in verbs, under support-article headings', () => {
  it('is a failure of its own', () => {
    const text =
      'Windows10 のインストールに失敗する\n\n症状:クリーンインストールするとエラーが発生して進まない\n\n原因:不明\n\n古いサーバーに Windows10 を導入してみることにした。USB メモリからインストールしてみたが、途中で止まる。'
    expect(causeOf(text).id).toBe('failure-cause-not-named')
  })
  it('a support article with the same headings and no one telling it stays a general page', () => {
    const text =
      'Windows10 のインストールに失敗する場合\n\n症状:クリーンインストールするとエラーが発生する場合があります。\n\n原因:ドライバーが古い場合に発生します。\n\n対処:最新のドライバーを適用してください。'
    expect(causeOf(text).id).toBe('none')
  })
})

describe('words that tell the space short are not hidden by a step that would free it', () => {
  it('is low disk space', () => {
    const text =
      'Windows10のアップデートに失敗する状況が続きます。\n64GBの内蔵ドライブは、空き容量は最初から少なく、インストールに必要な空き容量を確保できなくなっています。'
    expect(causeOf(text).id).toBe('low-disk-space')
  })
})

describe('the twentieth batch\'s last failures answered "none", told here in other words', () => {
  it("a feature that gets not installed beside the media's sxs folder is a missing source", () => {
    expect(
      causeOf(
        '.NET Framework 3.5 gets not installed on our 2019 servers.\nIt only works when we point DISM at the D:\\sources\\sxs folder of the ISO.',
      ).id,
    ).toBe('feature-source-missing')
  })
  it('WSUS clients that stop reporting, and updates that install though paused, are failures', () => {
    eachIs(
      [
        'Half of our WSUS clients are not reporting status since the server was moved.',
        'The rings are paused, yet updates still install and machines are forcibly restarted.',
      ],
      'failure-cause-not-named',
    )
  })
  it("a reply that met the same failure is a person's own, though the thread asks how it was solved", () => {
    expect(
      causeOf(
        '用 Dism++ 备份系统时提示：系统找不到指定的文件\n\n请问问题是如何解决的呢？我今天尝试备份的时候也遇到了这个问题。',
      ).id,
    ).toBe('file-not-found')
  })
})

describe('what the twenty-first held-out batch showed, told here in other words', () => {
  causes(
    {
      en: 'The security update failed: Access is denied. Procmon showed the installer could not open a registry key.',
      de: 'Die Installation des Updates ist fehlgeschlagen: Zugriff verweigert.',
      fr: 'La mise à jour a échoué avec le message « Accès refusé ».',
      ja: '更新プログラムのインストールに失敗しました。アクセスが拒否されました。',
    },
    'access-blocked',
  )
  it("Server Manager's own message and a service pack's install are failures", () => {
    eachIs(
      [
        'Adding .NET Framework 3.5 on the server: The request to add or remove features on the specified server failed.',
        'After installing Service Pack 1 the computer shuts down without warning during the last phase.',
      ],
      'failure-cause-not-named',
    )
  })
})
