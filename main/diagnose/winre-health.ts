/**
 * WinRE health: the verdict against the expected version and the findings that a repair addresses.
 * Pure: snapshot in, health out.
 *
 * Why these findings: WinRE must be enabled to help a PC that fails to start (KB page [S22] tests "status
 * Enabled"); winre.wim must exist; WinRE updates need 250 MB free in the recovery partition or they fail
 * (KB5034441's 0x80070643, KB5028997); the partition must sit after the OS partition for Microsoft's resize
 * [S57]; and it should be at the version of the newest Safe OS Dynamic Update for the branch [S26].
 */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'
import type { WinreExpected, WinreFinding, WinreHealth } from '../../preload/model/winre.ts'
import { WINRE_REQUIRED_FREE_BYTES } from '../../preload/model/winre-limits.ts'
import { winreVerdict, winreTargetsAsOf } from '../knowledge/winre-targets.ts'

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`

export function assessWinre(snapshot: MachineSnapshot): WinreHealth {
  const os = snapshot.os.status === 'known' ? snapshot.os.value : null
  const machine = {
    name: snapshot.origin.name,
    title: snapshot.origin.title,
    build: os?.build ?? null,
    displayVersion: os?.displayVersion ?? null,
  }
  const fact = snapshot.winre.status === 'known' ? snapshot.winre.value : null
  // The edition and UBR decide the branch where the build is shared (26100: Windows 11 24H2 or Server 2025).
  const v = winreVerdict(
    os?.build ?? null,
    fact?.version ?? null,
    os ? { ubr: os.ubr, productName: os.productName, edition: os.edition } : undefined,
  )
  const expected: WinreExpected = {
    verdict: v.verdict,
    reason: v.reason,
    kb: v.target?.kb ?? null,
    version: v.target?.winreVersion ?? null,
    released: v.target?.released ?? null,
    verified: v.target?.verified ?? null,
    branch: v.branchId,
    asOf: winreTargetsAsOf,
  }
  const findings: WinreFinding[] = []
  if (!fact) {
    const reason = snapshot.winre.status === 'unknown' ? snapshot.winre.error : 'not inspected'
    findings.push({
      id: 'unreadable',
      severity: 'error',
      title: 'The recovery environment could not be inspected',
      detail: reason,
    })
    return {
      machine,
      winre: null,
      unreadableReason: reason,
      expected,
      requiredFreeBytes: WINRE_REQUIRED_FREE_BYTES,
      findings,
      healthy: false,
    }
  }

  if (fact.imagePresent === false) {
    findings.push({
      id: 'image-missing',
      severity: 'critical',
      title: 'winre.wim is missing',
      detail: `The recovery image is neither in C:\\Windows\\System32\\Recovery nor on the recovery partition, so reagentc /enable fails ("The Windows RE image was not found"). Restore it from installation media of the same Windows build${machine.build ? ` (${machine.build})` : ''} and language: mount sources\\install.wim (or install.esd) index of your edition, copy Windows\\System32\\Recovery\\Winre.wim to C:\\Windows\\System32\\Recovery\\, unmount with /Discard, then run reagentc /enable. Servicing Desk does not do this automatically: the image must match this PC.`,
    })
  } else if (fact.status === 'disabled') {
    findings.push({
      id: 'disabled',
      severity: 'error',
      title: 'WinRE is disabled',
      detail: `The PC cannot start Startup Repair, Reset this PC or the BitLocker recovery screen from disk. winre.wim is staged${fact.stagedImagePath ? ` at ${fact.stagedImagePath}` : ''}; reagentc /enable moves it to the recovery partition.`,
    })
  }

  const rp = fact.recoveryPartition
  if (rp) {
    if (rp.position === 'before') {
      findings.push({
        id: 'partition-before-os',
        severity: 'warning',
        title: 'The recovery partition is before the Windows partition',
        detail:
          "Windows 10 1903/1909 Setup put it first on GPT disks; it cannot grow into the Windows partition, so Microsoft's resize (KB5028997) does not apply. Later feature updates create a new recovery partition after Windows instead.",
      })
    } else if (rp.position === 'same') {
      findings.push({
        id: 'on-os-partition',
        severity: 'warning',
        title: 'WinRE lives on the Windows partition',
        detail:
          'reagentc put winre.wim in C:\\Recovery\\WindowsRE because no recovery partition had room. It works, but BitLocker-encrypted C: and a damaged C: take WinRE down with them.',
      })
    } else if (rp.position === 'other-disk') {
      findings.push({
        id: 'other-disk',
        severity: 'info',
        title: 'WinRE is on another disk',
        detail: `WinRE is on disk ${rp.disk}; if that disk is removed, WinRE is gone.`,
      })
    }
    if (rp.position !== 'same' && rp.freeBytes !== null && rp.freeBytes < WINRE_REQUIRED_FREE_BYTES) {
      findings.push({
        id: 'partition-too-small',
        severity: 'error',
        title: `The recovery partition has ${mb(rp.freeBytes)} free; WinRE updates need ${mb(WINRE_REQUIRED_FREE_BYTES)}`,
        detail: `Disk ${rp.disk} partition ${rp.partition} is ${mb(rp.sizeBytes)} with ${mb(rp.freeBytes)} free. Safe OS / WinRE updates fail without 250 MB free (KB5034441 failed with 0x80070643, the underlying error CBS_E_INSUFFICIENT_DISK_SPACE). Microsoft's fix is KB5028997: shrink Windows by 250 MB and recreate the recovery partition larger.`,
      })
    }
  }

  if (v.verdict === 'stale')
    findings.push({
      id: 'stale',
      severity: 'warning',
      title: `WinRE ${fact.version} is older than ${v.target.winreVersion}`,
      detail: v.reason,
    })
  else if (v.verdict === 'unknown')
    findings.push({
      id: 'version-unknown',
      severity: 'info',
      title: 'Whether WinRE is current is unknown',
      detail: v.reason,
    })
  const boot = bootAfterRevocation(snapshot)
  if (boot) findings.push(boot)
  if (fact.disagreements.length)
    findings.push({
      id: 'sources-disagree',
      severity: 'warning',
      title: 'The sources disagree',
      detail: fact.disagreements.join(' '),
    })

  const healthy = !findings.some((f) => f.severity === 'critical' || f.severity === 'error' || f.id === 'stale')
  return {
    machine,
    winre: fact,
    unreadableReason: null,
    expected,
    requiredFreeBytes: WINRE_REQUIRED_FREE_BYTES,
    findings,
    healthy,
  }
}

const KB5037167 =
  'https://support.microsoft.com/en-us/topic/kb5037167-security-update-validation-program-guide-to-test-pca2011-revocation-to-address-cve-2023-24932-e887ac05-87d7-45ed-abd6-25b9b21aa73a'

/**
 * Will WinRE still boot once dbx revokes Microsoft Windows Production PCA 2011 (KB5037167's last step)? WinRE
 * starts through the boot manager on the EFI partition, so its signer decides (the boot-chain fact).
 * Nothing is said when the boot chain was not inspected.
 */
function bootAfterRevocation(snapshot: MachineSnapshot): WinreFinding | null {
  const bc = snapshot.bootChain?.status === 'known' ? snapshot.bootChain.value : null
  if (!bc || bc.secureBoot === 'unsupported') return null
  const signer = bc.bootManager.signer
  if (signer === 'windows-production-pca-2011') {
    return bc.pca2011Revoked
      ? {
          id: 'boot-after-revocation',
          severity: 'error',
          title: 'WinRE cannot boot: its boot manager is signed by the revoked PCA 2011',
          detail: `The boot manager WinRE starts through is signed by Microsoft Windows Production PCA 2011, which dbx revokes. Install the boot manager signed by Windows UEFI CA 2023 (Windows' Secure Boot update). Source: ${KB5037167}`,
        }
      : {
          id: 'boot-after-revocation',
          severity: 'warning',
          title: 'WinRE will stop booting once the 2011 boot certificate is revoked',
          detail: `WinRE boots today, through a boot manager signed by Microsoft Windows Production PCA 2011; once dbx revokes PCA 2011 that boot manager no longer starts. Let Windows install the boot manager signed by Windows UEFI CA 2023 first (the Secure Boot certificate update). Source: ${KB5037167}`,
        }
  }
  if (signer === 'windows-uefi-ca-2023')
    return {
      id: 'boot-after-revocation',
      severity: 'info',
      title: 'WinRE keeps booting after the PCA 2011 revocation',
      detail: `It starts through the boot manager signed by Windows UEFI CA 2023. Source: ${KB5037167}`,
    }
  return {
    id: 'boot-after-revocation',
    severity: 'info',
    title: 'Whether WinRE boots after the PCA 2011 revocation is unknown',
    detail: bc.bootManager.detail,
  }
}
