/**
 * A code the knowledge holds no cause for, in a text that tells a failure: the text's own words give the cause when
 * they name one, else "a failure, cause not named", with the code kept as a fact and its documented meaning said
 * (Microsoft's name and message, or what its facility tells). A code typed alone, with no story, is still explained
 * by itself. Lines of our own, in several languages.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'
import errorCodesData from '../../../main/knowledge/data/error-codes.json' with { type: 'json' }

const holding = (text: string) => diagnose({ text }).findings.filter((f) => f.severity !== 'info' && f.state !== 'past')

describe('a failure told with a code the knowledge holds no cause for', () => {
  it.each([
    ['en', 'Windows Setup stopped with error 0x8030002F when I tried to upgrade from the USB stick.', '0x8030002F'],
    ['de', 'Die Installation von Windows ist mit dem Fehlercode 0xC0000225 fehlgeschlagen.', '0xC0000225'],
    ['fr', "La mise à jour cumulative a échoué avec l'erreur 0x8123ABCD hier soir.", '0x8123ABCD'],
    ['ja', '累積更新プログラムのインストールに失敗しました。エラー コード 0x8123ABCD が表示されます。', '0x8123ABCD'],
    ['es', 'La actualización falló con el código 0xC8000222 en este equipo.', '0xC8000222'],
  ])('%s: cause not named, the code kept as a fact (%s)', (_lang, text, code) => {
    const [top, ...rest] = holding(text)
    expect(top?.id, JSON.stringify(holding(text).map((f) => f.id))).toBe('failure-cause-not-named')
    // The code is a fact of the finding: named on its technical line and among its codes.
    expect(top!.technical).toContain(code)
    expect(top!.codes).toContain(code)
    // Never "gives no error code" beside a code.
    expect(top!.causes.join(' ')).not.toMatch(/no error code/i)
    // The code's own explanation stays, below the story.
    expect(rest.some((f) => f.id === `code-${code}`)).toBe(true)
  })

  it("says the code's documented meaning where Microsoft gives one", () => {
    const [top] = holding('Die Installation von Windows ist mit dem Fehlercode 0xC0000225 fehlgeschlagen.')
    expect(top!.technical).toMatch(/STATUS_NOT_FOUND/)
    const [setup] = holding('Windows Setup stopped with error 0x8030002F when I tried to upgrade from the USB stick.')
    expect(setup!.technical).toMatch(/FACILITY_WINDOWS_SETUP/)
  })

  it('the words give the cause when they name one with the code', () => {
    const text = 'I disabled Windows Update with a tweak tool and now the update fails with error 0x8123ABCD.'
    expect(holding(text)[0]?.id).toBe('services-disabled')
  })

  it('words on another line than the code are context: the cause stays not named', () => {
    const text = [
      'Die Aktualisierung bricht jedes Mal mit 0x8123ABCD ab und ist fehlgeschlagen.',
      'Note: my group policies disable automatic updates, but only the automatic ones.',
    ].join('\n')
    expect(holding(text)[0]?.id).toBe('failure-cause-not-named')
  })

  it('a code typed alone is still explained by itself', () => {
    expect(holding('0x8030002F')[0]?.id).toBe('code-0x8030002F')
  })

  it('a code the knowledge holds a cause for keeps its own finding first', () => {
    expect(holding('The update failed with error 0x800F081F again.')[0]?.id).not.toBe('failure-cause-not-named')
  })
})

describe('documented meanings of codes the knowledge holds no cause for', () => {
  it('0xC0000225 is STATUS_NOT_FOUND ([MS-ERREF] NTSTATUS values), not a cause', () => {
    const e = explain('0xC0000225', null)
    expect(e.ok && e.value.known).toBe(false)
    expect(e.ok && e.value.name).toBe('STATUS_NOT_FOUND')
    expect(e.ok && e.value.meaning).toMatch(/object was not found/i)
  })

  it('0x8030002F is decoded as a Windows Setup facility code', () => {
    const e = explain('0x8030002F', null)
    expect(e.ok && e.value.decoded.facilityName).toMatch(/^FACILITY_WINDOWS_SETUP\b/)
  })

  it('0x81039023 is the Autopilot TPM attestation failure on Windows 11 Microsoft documents', () => {
    const e = explain('0x81039023', null)
    expect(e.ok && e.value.known).toBe(true)
    expect(e.ok && e.value.causes.join(' ')).toMatch(/TPM attestation/)
  })
})

describe("a Win32 code read only from a tool's small number ('error 82', exit code 1603)", () => {
  it.each([
    ['en', 'The Windows Update Agent installer failed to install. Error code: 82', '0x80070052'],
    ['de', 'Die Installation des Updates ist fehlgeschlagen. Fehlercode: 82', '0x80070052'],
    ['fr', "L'installation de la mise à jour a échoué. Code d'erreur : 1603", '0x80070643'],
    ['ja', '更新プログラムのインストールに失敗しました。エラー コード: 3', '0x80070003'],
  ])('%s: the story speaks, the reading of the number is kept (%s)', (_lang, text, code) => {
    const [top, ...rest] = holding(text)
    expect(top?.id, JSON.stringify(holding(text).map((f) => f.id))).toBe('failure-cause-not-named')
    expect(top!.codes).toContain(code)
    expect(rest.some((f) => f.id === `code-${code}`)).toBe(true)
  })

  it('the same code written as itself keeps its own finding first', () => {
    expect(holding('The Windows Update Agent installer failed to install with 0x80070052.')[0]?.id).toBe(
      'code-0x80070052',
    )
  })
})

describe('a code Microsoft documents only with a Setup extend code, in another tool’s run', () => {
  it.each([
    ['en', 'Sysprep failed with hr = 0x8007001f on the golden image: the machine is in an invalid state.'],
    ['de', 'Sysprep ist auf dem Referenzabbild fehlgeschlagen, hr = 0x8007001f.'],
    ['fr', "Sysprep a échoué sur l'image de référence avec hr = 0x8007001f."],
  ])('%s: the story speaks', (_lang, text) => {
    const [top] = holding(text)
    expect(top?.id, JSON.stringify(holding(text).map((f) => f.id))).toBe('failure-cause-not-named')
    expect(top!.codes).toContain('0x8007001F')
  })

  it("in Windows Setup's own run the code keeps its rows", () => {
    expect(holding('The Windows 11 upgrade failed with 0x8007001F and rolled back.')[0]?.id).not.toBe(
      'failure-cause-not-named',
    )
  })
})

describe("the knowledge's list of codes with a documented meaning and no cause", () => {
  const data = errorCodesData as {
    sources: Record<string, string>
    meaningOnly: { codes: { code: string; name: string; sources: string[] }[] }
    codes: { code: string }[]
  }
  it.each(data.meaningOnly.codes.map((c) => [c.code, c]))(
    '%s: named by its source, explained as not known',
    (_c, m) => {
      // Each code and its name are in the text of the source it cites (the page's own row), and no curated entry has it.
      expect(m.sources.some((k) => data.sources[k]?.includes(m.code) && data.sources[k]?.includes(m.name))).toBe(true)
      expect(data.codes.some((c) => c.code === m.code)).toBe(false)
      const e = explain(m.code, null)
      expect(e.ok && e.value.known).toBe(false)
      expect(e.ok && e.value.name).toBe(m.name)
    },
  )

  it('a failure told with a registry-corrupt status keeps its name as a fact', () => {
    const [top] = holding('Windows Setup failed while booting from the USB stick with status 0xC000014C.')
    expect(top?.id).toBe('failure-cause-not-named')
    expect(top!.technical).toMatch(/STATUS_REGISTRY_CORRUPT/)
  })
})
