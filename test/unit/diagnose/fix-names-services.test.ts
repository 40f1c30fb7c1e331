/**
 * The step that fixed a failure names its cause: services set back (a tool's change to the services' start types
 * undone) fixed an update that failed with a code whose reading has alternatives (0x800F0922: an advanced installer, the
 * System Reserved partition, the checkpoint update). The story's evidence outranks the code's generic reading. Lines of
 * our own, in several languages.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { firstCause } from './told-causes.ts'

describe('services set back fixed the failure: the services were its cause', () => {
  it.each([
    [
      'en',
      'Since a tweak tool changed my services, the cumulative update fails with 0x800f0922 every time.\nI reverted the services to their default startup type, rebooted and that fixed it.',
    ],
    [
      'de',
      'Seit ein Tuning-Tool meine Dienste umgestellt hat, ist das Update mit 0x800f0922 fehlgeschlagen.\nIch habe die Dienste wieder zurückgesetzt und das hat funktioniert.',
    ],
    [
      'fr',
      "La mise à jour a échoué avec 0x800f0922 depuis qu'un outil a modifié mes services.\nJ'ai rétabli les services par défaut et ça a fonctionné.",
    ],
    [
      'ja',
      'ツールでサービスを変更してから、更新プログラムが 0x800f0922 で失敗しました。\nサービスを元に戻したら解決しました。',
    ],
    [
      'es',
      'La actualización falló con 0x800f0922 desde que una herramienta cambió mis servicios.\nRestablecí los servicios a sus valores predeterminados y se solucionó.',
    ],
  ])('%s', (_lang, text) => {
    expect(firstCause(text)).toBe('services-disabled')
  })

  it('a fix that did not touch the services keeps the code its reading', () => {
    expect(
      firstCause('the cumulative update fails with 0x800f0922 every time.\nI cleared the old logs and that fixed it.'),
    ).not.toBe('services-disabled')
  })

  it('services set back with no fix told are no cause of their own', () => {
    expect(
      firstCause('the cumulative update fails with 0x800f0922.\nI reverted the services, it still fails.'),
    ).not.toBe('services-disabled')
  })
})

describe("Windows Update's policy changed fixed the failure: the PC was held off Windows Update", () => {
  it.each([
    [
      'en',
      'Installing the French language pack failed with 0x80073D01 on our domain PCs.\nSetting UseWUServer = 0 under the WindowsUpdate\\AU policy key fixed it.',
      'feature-source-missing',
    ],
    [
      'de',
      'Das Sprachpaket ließ sich nicht installieren, Fehler 0x80073D01.\nDoNotConnectToWindowsUpdateInternetLocations auf 0 gesetzt, das hat funktioniert.',
      'feature-source-missing',
    ],
    [
      'fr',
      "L'installation du module linguistique a échoué avec 0x80073D01.\nJ'ai mis UseWUServer à 0 et ça a fonctionné.",
      'feature-source-missing',
    ],
    [
      'ja',
      '累積更新プログラムのインストールに失敗しました (0x8024500C)。\nUseWUServer を 0 にしたら解決しました。',
      'update-source-unreachable',
    ],
  ])('%s', (_lang, text, cause) => {
    expect(firstCause(text)).toBe(cause)
  })

  it('a policy value named with no fix told names no cause of its own', () => {
    expect(
      firstCause(
        'Installing the language pack failed with 0x80073D01.\nOur GPO sets UseWUServer = 1 and it still fails.',
      ),
    ).not.toBe('feature-source-missing')
  })
})

describe('the fix named as the cause is cited once', () => {
  it('its line stands once in the evidence', () => {
    const text =
      'The update failed with 0x800f0922 three times.\nThen I freed up space on the EFI partition and that fixed it.'
    const f = diagnose({ text }).findings.find((x) => x.id === 'esp-full')
    expect(f?.evidence.filter((e) => e.excerpt.startsWith('line 2: ')).length).toBe(1)
  })
})
