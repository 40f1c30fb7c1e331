/**
 * Secure Boot certificate states (Microsoft's 2011 → 2023 move): Windows UEFI CA 2023 missing from db (and
 * the 2023 KEK), Windows' servicing status and its TPM-WMI events, and the boot manager — the one this PC
 * and its WinRE start through — still signed under Microsoft Windows Production PCA 2011, which stops
 * booting once dbx revokes PCA 2011 (KB5037167). Remedies start Windows' own update; nothing here writes a
 * UEFI variable.
 */
import type { Rule, Finding, Evidence } from '../rule.ts'
import type { BootChainFact } from '../../../preload/model/snapshot.ts'
import { known, factEvidence } from '../facts.ts'
import { finding, customRemedy } from '../finding.ts'
import { bootFact, factText } from './boot-chain-facts.ts'

const hex = (n: number | null) => (n === null ? '(not set)' : `0x${n.toString(16).toUpperCase()}`)

function servicingLine(b: BootChainFact): string {
  return `UEFICA2023Status ${b.servicing.uefiCa2023Status ?? '(not set)'}; AvailableUpdates ${hex(b.servicing.availableUpdates)}; WindowsUEFICA2023Capable ${b.servicing.windowsUefiCa2023Capable ?? '(not set)'}${b.servicing.uefiCa2023Error !== null ? `; UEFICA2023Error ${hex(b.servicing.uefiCa2023Error)}` : ''}`
}

function eventEvidence(b: BootChainFact, ids: number[]): Evidence[] {
  return b.events
    .filter((e) => ids.includes(e.id))
    .slice(0, 3)
    .map((e) => ({
      source: `System log, TPM-WMI event ${e.id}`,
      excerpt: `${e.time ?? ''}  ${e.level ?? ''}  ${e.message.split(/\r?\n/)[0]}`.trim(),
    }))
}

/** Events after which the firmware, not Windows, must change (KB5016061: 1795/1796 the firmware returned an error, 1802 a known firmware issue, 1803 no PK-signed KEK). */
export const FIRMWARE_REFUSED_EVENTS = [1795, 1796, 1802, 1803] as const

/**
 * Why Windows' own update (the `secure-boot-update` repair) cannot work on this PC now, or null when it can: Secure
 * Boot must be on, the firmware must not have refused it, and Windows must not report it done already.
 */
export function secureBootUpdateBlocked(b: BootChainFact | null): string | null {
  if (!b) return 'the boot chain could not be read'
  if (b.secureBoot !== 'on') return `Secure Boot is ${b.secureBoot}`
  const refused = [
    ...new Set(b.events.filter((e) => (FIRMWARE_REFUSED_EVENTS as readonly number[]).includes(e.id)).map((e) => e.id)),
  ]
  if (refused.length)
    return `the firmware refused or blocked the update (event${refused.length > 1 ? 's' : ''} ${refused.join(', ')}): the PC's manufacturer must supply firmware that accepts it`
  if (/^updated$/i.test(b.servicing.uefiCa2023Status ?? ''))
    return 'Windows reports the update as done (UEFICA2023Status Updated)'
  return null
}

/** Windows' own update, started the way Microsoft documents (registry trigger + the servicing task), never by writing UEFI variables. */
export function startWindowsCertificateUpdate(b: BootChainFact | null) {
  const f = bootFact('start-update')
  const bitlocker1032 = b?.events.some((e) => e.id === 1032) ?? false
  return customRemedy(
    'secure-boot-update',
    "Start Windows' own Secure Boot certificate update",
    `${bitlocker1032 ? 'First suspend BitLocker for two restarts (event 1032: the BitLocker configuration would otherwise trigger recovery). ' : ''}From an elevated PowerShell: set AvailableUpdates to 0x5944 (all the 2023 certificates, the KEK and the new boot manager), run the Secure-Boot-Update task, restart (twice if asked), then check that UEFICA2023Status says Updated and the System log has event 1808.${f.verified ? '' : ` (The task's path is unverified: ${f.reason})`}`,
    [
      ...(bitlocker1032 ? ['manage-bde -protectors -disable %systemdrive% -RebootCount 2'] : []),
      'reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /v AvailableUpdates /t REG_DWORD /d 0x5944 /f',
      'Start-ScheduledTask -TaskName "\\Microsoft\\Windows\\PI\\Secure-Boot-Update"',
      'shutdown /r /t 0',
      'Get-ItemProperty HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\Servicing -Name UEFICA2023Status',
    ],
    secureBootUpdateBlocked(b) === null ? 'secure-boot-update' : null,
    f.sources,
    f.verified,
  )
}

export const secureBootCertificateRule: Rule = {
  id: 'secure-boot-2023-missing',
  evaluate(input): Finding[] {
    const b = known(input.snapshot?.bootChain)
    if (!b || b.secureBoot === 'unsupported' || b.db.windowsUefiCa2023 !== false) return []
    const failed = b.events.filter((e) => [1795, 1796, 1802, 1803].includes(e.id))
    const evidence: Evidence[] = [
      {
        source: "Get-SecureBootUEFI db / KEK (Microsoft's ASCII check)",
        excerpt: `db: Windows UEFI CA 2023 ${b.db.windowsUefiCa2023 ? 'present' : 'missing'}; Microsoft Windows Production PCA 2011 ${b.db.windowsProductionPca2011 ? 'present' : b.db.windowsProductionPca2011 === false ? 'missing' : 'unknown'}; KEK: Microsoft Corporation KEK 2K CA 2023 ${b.kek.kek2023 ? 'present' : b.kek.kek2023 === false ? 'missing' : 'unknown'}`,
      },
      { source: 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot /s', excerpt: servicingLine(b) },
      ...eventEvidence(b, [1801, 1795, 1796, 1800, 1802, 1803, 1032]),
      ...factEvidence(input.snapshot?.bootChain, 1),
    ]
    const causes = [
      `The Secure Boot db does not hold Windows UEFI CA 2023${b.kek.kek2023 === false ? ', and KEK lacks Microsoft Corporation KEK 2K CA 2023' : ''}: this PC still trusts only Microsoft's 2011 certificates. ${factText('certs-expire-2026')}`,
      factText('cert-replacements'),
      `Windows' servicing status: ${servicingLine(b)}. ${factText('servicing-registry')}`,
      ...(failed.length
        ? [
            `The firmware refused or blocked the update (event${failed.length > 1 ? 's' : ''} ${[...new Set(failed.map((e) => e.id))].join(', ')}): ${factText('events')}`,
          ]
        : b.events.some((e) => e.id === 1801)
          ? ['Event 1801 says the Secure Boot CA/keys need to be updated on this device.']
          : []),
      ...(b.secureBoot === 'off' ? ['Secure Boot is off on this PC.'] : []),
    ]
    const remedies = [
      customRemedy(
        'secure-boot-wait',
        'Keep Windows Update on and install the latest cumulative update',
        'Windows applies the 2023 certificates itself to devices it has enough confidence in; a current cumulative update and restarts may be all that is needed.',
        [],
        null,
        bootFact('certs-expire-2026').sources,
      ),
      startWindowsCertificateUpdate(b),
      customRemedy(
        'secure-boot-firmware',
        "If the firmware refuses: update the PC's firmware (UEFI/BIOS) from its manufacturer",
        'Events 1795/1796 (the firmware returned an error), 1802 (a known firmware issue) or 1803 (no PK-signed KEK for this device) mean the manufacturer must supply firmware that accepts the update.',
        [],
        null,
        bootFact('events').sources,
      ),
    ]
    return [
      finding({
        id: 'secure-boot-2023-missing',
        title: 'Secure Boot still trusts only the 2011 certificates: the 2023 certificate is not installed',
        technical: `db lacks Windows UEFI CA 2023${b.kek.kek2023 === false ? '; KEK lacks Microsoft Corporation KEK 2K CA 2023' : ''}; UEFICA2023Status ${b.servicing.uefiCa2023Status ?? '(not set)'}`,
        severity: failed.length ? 'error' : 'warning',
        confidence: 0.9,
        causes,
        remedies,
        evidence,
        repair: secureBootUpdateBlocked(b) === null ? 'secure-boot-update' : null,
        codes: [],
      }),
    ]
  },
}

export const bootManager2011Rule: Rule = {
  id: 'boot-manager-2011',
  evaluate(input): Finding[] {
    const b = known(input.snapshot?.bootChain)
    if (!b || b.secureBoot === 'unsupported' || b.bootManager.signer !== 'windows-production-pca-2011') return []
    const revoked = b.pca2011Revoked === true
    const evidence: Evidence[] = [
      {
        source: 'Get-AuthenticodeSignature \\EFI\\Microsoft\\Boot\\bootmgfw.efi',
        excerpt: `signer issued by ${b.bootManager.issuer}`,
      },
      {
        source: "Get-SecureBootUEFI dbx (Microsoft's ASCII check)",
        excerpt: `dbx revokes Microsoft Windows Production PCA 2011: ${b.pca2011Revoked === null ? 'unknown' : b.pca2011Revoked ? 'yes' : 'no'}`,
      },
      ...eventEvidence(b, [1799, 1800]),
    ]
    return [
      finding({
        id: 'boot-manager-2011',
        title: revoked
          ? "The boot manager (and WinRE's start) is signed by a revoked 2011 certificate"
          : 'The boot manager WinRE starts through is signed by the 2011 certificate: WinRE stops booting once that certificate is revoked',
        technical: `bootmgfw.efi signed under Microsoft Windows Production PCA 2011; PCA 2011 ${revoked ? 'revoked' : 'not revoked'} in dbx`,
        severity: revoked ? 'error' : 'warning',
        confidence: 0.85,
        causes: [
          revoked
            ? 'The program that starts Windows and its recovery environment is signed with an old Microsoft certificate this PC no longer trusts.'
            : 'The program that starts Windows and its recovery environment is still signed with an old Microsoft certificate; once this PC stops trusting that certificate, it no longer starts.',
          `The Windows boot manager on the EFI partition — which the PC and its recovery environment (WinRE) start through — is signed by Microsoft Windows Production PCA 2011, not Windows UEFI CA 2023. ${revoked ? 'dbx already revokes PCA 2011, so firmware refuses boot managers signed with it.' : 'It boots today because dbx does not revoke PCA 2011 yet.'}`,
          factText('revocation'),
          'The same holds for a USB stick or other boot media whose boot manager is signed only under PCA 2011.',
        ],
        remedies: [
          startWindowsCertificateUpdate(b),
          customRemedy(
            'winre-media-refresh',
            'Refresh WinRE and boot media after the update',
            'After the 2023-signed boot manager is installed (event 1799), keep WinRE current with the Safe OS dynamic update and rebuild USB boot media from current Windows media, before PCA 2011 is revoked.',
            [],
            null,
            bootFact('revocation').sources,
          ),
        ],
        evidence,
        repair: secureBootUpdateBlocked(b) === null ? 'secure-boot-update' : null,
        codes: [],
      }),
    ]
  },
}
