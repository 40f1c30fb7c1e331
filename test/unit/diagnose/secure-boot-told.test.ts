/**
 * A Secure Boot certificate update told failed in words (a text, no PC): its cause is not named, but what to read next
 * is the Secure Boot servicing state and the TPM-WMI events (KB5068202, KB5016061), not Windows Update's history.
 * Lines of our own, in several languages.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const first = (text: string) => diagnose({ text }).findings.find((f) => f.severity !== 'info')

describe('a Secure Boot certificate update told failed names what to read next', () => {
  it.each([
    ['en', 'The Secure Boot certificate update failed on our servers, event 1801 keeps coming back every boot.'],
    ['en', 'KEK update did not apply: the UEFI CA 2023 status is still NotStarted after two restarts and it failed.'],
    ['de', 'Das Secure-Boot-Zertifikat-Update ist fehlgeschlagen, Ereignis-ID 1801 erscheint weiterhin.'],
    ['fr', "La mise à jour des certificats Secure Boot a échoué, l'événement 1801 revient à chaque démarrage."],
    ['ja', 'セキュアブートの証明書の更新に失敗しました。イベント ID 1801 が毎回出ます。'],
  ])('%s: %s', (_lang, text) => {
    const f = first(text)
    expect(f, 'a finding').toBeDefined()
    const steps = f!.remedies.flatMap((r) => r.commands)
    expect(steps.some((c) => /SecureBoot\\Servicing/.test(c))).toBe(true)
    expect(steps.some((c) => /TPM-WMI/.test(c))).toBe(true)
    expect(steps.some((c) => /WindowsUpdateClient/.test(c))).toBe(false)
  })

  it('a failure told about something else keeps the Windows Update steps', () => {
    const f = first('The cumulative update failed to install again last night, no idea why.')
    const steps = f!.remedies.flatMap((r) => r.commands)
    expect(steps.some((c) => /WindowsUpdateClient/.test(c))).toBe(true)
    expect(steps.some((c) => /TPM-WMI/.test(c))).toBe(false)
  })
})
