/**
 * Parses `manage-bde -status <drive>` text (English, German, French) for the OS volume's protection,
 * encryption percentage and whether a TPM protector exists. Used when Get-BitLockerVolume is missing
 * (it is not on every edition).
 */
import { consoleLines } from './console-text.ts'

export interface BitLockerStatus {
  protectionStatus: 'on' | 'off' | 'unknown'
  encryptionPercentage: number | null
  tpmProtector: boolean | null
  /** A "Numerical Password" protector (a recovery password) is listed; null when the protectors are not shown. */
  recoveryPassword: boolean | null
}

export function parseManageBdeStatus(input: string): BitLockerStatus & { recognised: boolean } {
  const text = typeof input === 'string' ? input : ''
  const on = /Protection\s+On|Schutz\s+ist\s+aktiviert|Protection\s+activ[ée]e|Protección\s+activada/i.test(text)
  const off =
    /Protection\s+Off|Schutz\s+ist\s+deaktiviert|Protection\s+d[ée]sactiv[ée]e|Protección\s+desactivada/i.test(text)
  const pct =
    /(?:Percentage\s+Encrypted|Prozentsatz\s+verschl[üu]sselt|Pourcentage\s+chiffr[ée]|Porcentaje\s+cifrado)\s*:\s*(\d+(?:[.,]\d+)?)\s*%/i.exec(
      text,
    )
  const lines = consoleLines(text)
  const kpAt = lines.findIndex((l) =>
    /Key\s+Protectors|Schlüsselschutzvorrichtungen|Protecteurs\s+de\s+clé|Protectores\s+de\s+clave/i.test(l),
  )
  let tpm: boolean | null = null
  let password: boolean | null = null
  if (kpAt >= 0) {
    const block = lines.slice(kpAt + 1).filter((l) => /^\s{6,}\S/.test(l))
    tpm = block.some((l) => /\bTPM\b/i.test(l)) || /\bTPM\b/i.test(lines[kpAt])
    password = block.some((l) =>
      /Numerical Password|Numerisches Kennwort|Mot de passe num[ée]rique|Contrase[ñn]a num[ée]rica/i.test(l),
    )
    if (/None Found|Keine gefunden|Aucun/i.test(lines[kpAt] + (lines[kpAt + 1] ?? ''))) {
      tpm = false
      password = false
    }
  }
  return {
    protectionStatus: on ? 'on' : off ? 'off' : 'unknown',
    encryptionPercentage: pct ? Number(pct[1].replace(',', '.')) : null,
    tpmProtector: tpm,
    recoveryPassword: password,
    recognised: on || off || pct !== null,
  }
}
