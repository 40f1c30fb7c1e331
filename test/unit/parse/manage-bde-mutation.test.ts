/**
 * parseManageBdeStatus (main/parse/manage-bde-status.ts: BitLocker state when Get-BitLockerVolume is missing)
 * on exact results for each phrase it reads in English, German, French and Spanish: protection on/off, the
 * encryption percentage (dot or comma, space before %), and the TPM protector (indented block, same line,
 * "none found"). Hand-made edge inputs in manage-bde's layout. 64.0% at its first mutation run.
 */
import { describe, expect, it } from 'vitest'
import { parseManageBdeStatus } from '../../../main/parse/manage-bde-status.ts'

const r = (
  protectionStatus: string,
  encryptionPercentage: number | null,
  tpmProtector: boolean | null,
  recognised: boolean,
) => ({ protectionStatus, encryptionPercentage, tpmProtector, recognised })

describe('manage-bde -status, phrase by phrase', () => {
  it('each language, each state', () => {
    const cases: [string, ReturnType<typeof r>][] = [
      [
        'Volume C: [OS]\n    Percentage Encrypted: 100.0%\n    Protection Status:    Protection On\n    Key Protectors:\n        TPM\n        Numerical Password',
        r('on', 100, true, true),
      ],
      ['    Protection Status:    Protection Off\n', r('off', null, null, true)],
      [
        '    Prozentsatz verschlüsselt: 56,3 %\n    Schutzstatus: Der Schutz ist aktiviert.\n    Schlüsselschutzvorrichtungen:\n        TPM',
        r('on', 56.3, true, true),
      ],
      ['    Prozentsatz verschlusselt: 1%\n    Schutzstatus: Der Schutz ist deaktiviert.', r('off', 1, null, true)],
      [
        '    Pourcentage chiffré : 0,0 %\n    État de la protection : Protection activée\n    Protecteurs de clé :\n        Mot de passe numérique',
        r('on', 0, false, true),
      ],
      ['    Pourcentage chiffre : 12 %\n    Protection desactivee', r('off', 12, null, true)],
      [
        '    Porcentaje cifrado: 12%\n    Estado de protección: Protección desactivada\n    Protectores de clave:\n        TPM',
        r('off', 12, true, true),
      ],
      ['    Protección activada', r('on', null, null, true)],
      ['    Key Protectors:    None Found', r('unknown', null, false, false)],
      ['    Key Protectors:\n        None Found', r('unknown', null, false, false)],
      ['    Schlüsselschutzvorrichtungen:\n    Keine gefunden', r('unknown', null, false, false)],
      ['    Protecteurs de clé : Aucun', r('unknown', null, false, false)],
      ['    Key Protectors: TPM', r('unknown', null, true, false)],
      ['    Key Protectors:\n  TPM', r('unknown', null, false, false)],
      ['    Key Protectors:\n        TPMX\n        TPM And PIN', r('unknown', null, true, false)],
      ['    Key Protectors:\n        TPMX', r('unknown', null, false, false)],
      ['    Percentage Encrypted:100%', r('unknown', 100, null, true)],
      ['    Percentage Encrypted: 100', r('unknown', null, null, false)],
      ['    Percentage Encrypted: abc%', r('unknown', null, null, false)],
      ['PROTECTION ON', r('on', null, null, true)],
      ['ProtectionOn', r('unknown', null, null, false)],
      ['', r('unknown', null, null, false)],
      // Several blanks between the words of each phrase (console alignment), and where the TPM line must stand.
      ['Protection  On', r('on', null, null, true)],
      ['Protection \tOff', r('off', null, null, true)],
      ['Schutz  ist  aktiviert', r('on', null, null, true)],
      ['Schutz  ist  deaktiviert', r('off', null, null, true)],
      ['Protection  activée', r('on', null, null, true)],
      ['Protection  désactivée', r('off', null, null, true)],
      ['Protección  activada', r('on', null, null, true)],
      ['Protección  desactivada', r('off', null, null, true)],
      ['Percentage  Encrypted: 5%', r('unknown', 5, null, true)],
      ['Prozentsatz  verschlüsselt: 5%', r('unknown', 5, null, true)],
      ['Pourcentage  chiffré: 5%', r('unknown', 5, null, true)],
      ['Porcentaje  cifrado: 5%', r('unknown', 5, null, true)],
      ['Key  Protectors:\n        TPM', r('unknown', null, true, false)],
      ['Protecteurs  de  clé:\n        TPM', r('unknown', null, true, false)],
      ['Protectores  de  clave:\n        TPM', r('unknown', null, true, false)],
      ['Key Protectors:\nOther       TPM', r('unknown', null, false, false)],
      ['        TPM\nKey Protectors:\n        Password', r('unknown', null, false, false)],
      ['Key Protectors:\n        None Found\n        TPM', r('unknown', null, false, false)],
    ]
    // The recovery password protector has its own cases below.
    const without = (t: string) => {
      const { recoveryPassword: _rp, ...rest } = parseManageBdeStatus(t)
      return rest
    }
    for (const [t, want] of cases) expect(without(t), JSON.stringify(t)).toEqual(want)
    expect(cases).toHaveLength(40)
    expect(without(null as unknown as string)).toEqual(r('unknown', null, null, false))
  })

  it('a recovery password protector ("Numerical Password") in each language; none found; no protector block', () => {
    const cases: [string, boolean | null][] = [
      ['    Key Protectors:\n        TPM\n        Numerical Password', true],
      ['    Key Protectors:\n        TPM', false],
      ['    Schlüsselschutzvorrichtungen:\n        TPM\n        Numerisches Kennwort', true],
      ['    Protecteurs de clé :\n        Mot de passe numérique', true],
      ['    Protectores de clave:\n        Contraseña numérica', true],
      ['    Key Protectors:    None Found', false],
      ['    Protection Status:    Protection On', null],
      ['Numerical Password\nKey Protectors:\n        TPM', false],
    ]
    for (const [t, want] of cases) expect(parseManageBdeStatus(t).recoveryPassword, JSON.stringify(t)).toBe(want)
  })
})
