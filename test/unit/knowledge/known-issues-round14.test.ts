/**
 * Known issues Microsoft documented for installing, starting and updating (release health, KB pages, quoted by the
 * sources each row cites): Windows Server 2022 virtual machines that no longer start on older VMware hosts after
 * KB5022842, the Secure Boot DBX update KB5012170 failing with 0x800F0922, Windows 10's August 2024 SBAT dual-boot
 * failure (KB5041580), servers upgraded to Windows Server 2025 unintended ("KB5044284"), and Windows 11 24H2 installed
 * from media with the October/November 2024 update that takes no later update. Each is reached from a short text in
 * the words people use, in several languages, and a text naming the KB with another symptom is not the row.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const ids = (text: string) =>
  diagnose({ text })
    .findings.map((f) => f.id)
    .filter((id) => id.startsWith('known-issue:'))

describe('round-14 known issues: reached by their KB and their symptom', () => {
  it.each([
    [
      'kb5022842-vmware-secure-boot-no-start',
      'After KB5022842 our Windows Server 2022 VMs on ESXi 7.0 do not boot any more.',
    ],
    [
      'kb5022842-vmware-secure-boot-no-start',
      'Nach KB5022842 startet die virtuelle Maschine mit Server 2022 nicht mehr.',
    ],
    [
      'kb5022842-vmware-secure-boot-no-start',
      'Depuis KB5022842, la machine virtuelle Windows Server 2022 ne démarre plus.',
    ],
    ['kb5012170-secure-boot-dbx-0x800f0922', 'KB5012170 fails to install with 0x800f0922 every time.'],
    ['kb5012170-secure-boot-dbx-0x800f0922', 'KB5012170 のインストールが 0x800f0922 で失敗します。'],
    [
      'kb5041580-sbat-dual-boot',
      'Since KB5041580 Ubuntu says: Verifying shim SBAT data failed: Security Policy Violation',
    ],
    [
      'kb5044284-server-2025-unexpected-upgrade',
      'Our Server 2022 box installed KB5044284 overnight and got upgraded to Windows Server 2025!',
    ],
    [
      'kb5044284-server-2025-unexpected-upgrade',
      'Unser Server 2019 wurde mit KB5044284 auf Windows Server 2025 aktualisiert.',
    ],
    [
      'kb5044284-24h2-media-no-updates',
      'I installed 24H2 from a USB stick made in November (KB5044284) and now no update installs.',
    ],
    [
      'kb5044284-24h2-media-no-updates',
      'Instalé Windows 11 24H2 con un medio de instalación con KB5046617 y ya no recibe actualizaciones.',
    ],
  ])('%s: %s', (id, text) => {
    expect(ids(text)).toContain(`known-issue:${id}`)
  })

  it('the KB with another symptom, or the words beside another KB, is not the row', () => {
    expect(ids('KB5022842 installed fine on the physical server.')).not.toContain(
      'known-issue:kb5022842-vmware-secure-boot-no-start',
    )
    expect(ids('After KB5022834 the VMware VM does not boot.')).not.toContain(
      'known-issue:kb5022842-vmware-secure-boot-no-start',
    )
    // Windows Server 2025's own October 2024 update is KB5044284 too: a 2025 server failing it is no unintended upgrade.
    expect(ids('Windows Server 2025: KB5044284 failed to install with 0x800f0922.')).not.toContain(
      'known-issue:kb5044284-server-2025-unexpected-upgrade',
    )
    expect(ids('KB5044284 on Windows 11 24H2: my USB mouse stopped working.')).not.toContain(
      'known-issue:kb5044284-24h2-media-no-updates',
    )
  })
})
