/**
 * What a kit says about boot media and the target PC's Secure Boot certificates. Kits hold update
 * packages only — nothing in them boots — so the kit itself is unaffected; the line tells the technician
 * which boot media (a USB stick, WinRE) that PC will still start: media signed only under Microsoft Windows
 * Production PCA 2011 stops booting once dbx revokes PCA 2011, and media signed by Windows UEFI CA 2023 needs
 * that certificate in db (KB5037167, KB5025885).
 */
import type { BootChainFact } from '../../preload/model/snapshot.ts'

/** The target's certificate state in the few words a kit needs (null: not inspected). */
export interface KitBootCerts {
  secureBoot: BootChainFact['secureBoot']
  windowsUefiCa2023InDb: boolean | null
  pca2011Revoked: boolean | null
}

export function kitBootCertsOf(bc: BootChainFact | null): KitBootCerts | null {
  return bc
    ? { secureBoot: bc.secureBoot, windowsUefiCa2023InDb: bc.db.windowsUefiCa2023, pca2011Revoked: bc.pca2011Revoked }
    : null
}

export const NO_BOOT_MEDIA =
  "Boot media: none. This kit holds update packages only; nothing in it boots, so the PC's Secure Boot certificates do not affect it."

/** The kit's notes about boot media: always that it has none, then (when known) which media the target PC will start. */
export function bootMediaNotes(machineName: string | null, c: KitBootCerts | null): string[] {
  const who = machineName ?? 'the target PC'
  if (!c)
    return [
      NO_BOOT_MEDIA,
      `Secure Boot certificates of ${who}: not inspected, so whether a USB stick or WinRE signed under the 2011 certificate still boots there is unknown.`,
    ]
  if (c.secureBoot === 'unsupported' || c.secureBoot === 'off')
    return [
      NO_BOOT_MEDIA,
      `${who}: Secure Boot is ${c.secureBoot === 'off' ? 'off' : 'not supported (BIOS)'}, so its firmware does not check boot media signatures.`,
    ]
  const media2011 =
    c.pca2011Revoked === true
      ? 'will NOT boot (dbx revokes PCA 2011)'
      : c.pca2011Revoked === false
        ? 'boots today, and stops booting once PCA 2011 is revoked'
        : 'boots unless dbx revokes PCA 2011 (not read)'
  const media2023 =
    c.windowsUefiCa2023InDb === true
      ? 'boots (Windows UEFI CA 2023 is in db)'
      : c.windowsUefiCa2023InDb === false
        ? 'will NOT boot (Windows UEFI CA 2023 is not in db)'
        : 'unknown (db not read)'
  return [
    NO_BOOT_MEDIA,
    `On ${who}, boot media signed only under Microsoft Windows Production PCA 2011 ${media2011}; media signed only by Windows UEFI CA 2023 ${media2023} (Microsoft KB5037167).`,
  ]
}
