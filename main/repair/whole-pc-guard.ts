/**
 * The whole-PC checks of main/knowledge/preconditions.ts, as the lines a written script runs first on the PC itself (a
 * saved repair script, a fix package's, every fleet remediation body): the PC may have changed since it was scanned,
 * so it is read again where and when the script runs, with the app's own probes (the same commands the scan runs).
 * What a repair touches comes from the one registry (main/knowledge/remedy-steps.ts REPAIR_KINDS → its step kind's
 * `touches`), so a script can never be more permissive than the offer. A fact that cannot be read refuses, as the offer
 * does. Windows PowerShell 5.1 syntax; values enter through main/host/powershell-text.ts.
 */
import type { RepairId } from '../../preload/model/diagnosis.ts'
import { REPAIR_KINDS, stepKind } from '../knowledge/remedy-steps.ts'
import type { Touch } from '../knowledge/preconditions.ts'
import { psLiteral, psTextLiteral } from '../host/powershell-text.ts'
import { psSystemTool } from '../host/system-tools.ts'
import type { CommandSpec } from '../host/host.ts'
import { rebootSourcesCommand } from '../machine/probes/reboot.ts'
import { servicesStateCommand } from '../machine/probes/services.ts'
import { storageLayoutCommand } from '../machine/probes/storage.ts'

/** What the repair's step touches (empty for a repair with no whole-PC check, e.g. a restart). */
export function touchesOf(repairId: string): readonly Touch[] {
  const k = REPAIR_KINDS[repairId as RepairId]
  return (k ? stepKind(k)?.touches : undefined) ?? []
}

const run = (c: CommandSpec) =>
  `& ${psSystemTool(c.file)} ${c.args.map(psLiteral).join(' ')} 2>$null | Out-String | ConvertFrom-Json`

/** The script lines that refuse (throw, nothing changed) where the PC's state now denies the repair. */
export function wholePcGuardLines(repairId: string): string[] {
  return guardLinesFor(touchesOf(repairId))
}

/**
 * The same lines for what a script's steps touch, from the registry's step kinds (a fleet remediation whose steps are
 * several kinds of the registry: the union of their `touches`).
 */
export function guardLinesForKinds(kinds: readonly string[]): string[] {
  return guardLinesFor(
    kinds.flatMap((k) => {
      // Deny by default: a kind the registry does not know would get no guard at all, so it is refused here.
      const kind = stepKind(k)
      if (!kind) throw new Error(`No whole-PC guard for step kind '${k}': it is not in the registry (remedy-steps.ts).`)
      return kind.touches ?? []
    }),
  )
}

function guardLinesFor(touches: readonly Touch[]): string[] {
  const t = new Set(touches)
  const L: string[] = []
  const servicing = t.has('servicing-services') || t.has('component-store') || t.has('packages')
  if (servicing) {
    L.push(
      '# Servicing mid-way (read on this PC now): nothing that stops its services, renames their folders, works on the component store or removes packages runs under it.',
      `$sdRb = ${run(rebootSourcesCommand)}`,
      `$sdSv = ${run(servicesStateCommand)}`,
      "$sdTi = @(foreach ($s in $sdSv) { if ([string]$s.Name -eq 'TrustedInstaller') { $s } }) | Select-Object -First 1",
      `if (-not $sdRb -or -not $sdTi) { throw ${psTextLiteral('Not run: whether Windows is in the middle of servicing could not be read on this PC (reboot-pending keys, TrustedInstaller); nothing was changed.')} }`,
      '$sdBusy = @()',
      "if ($sdRb.CbsRebootInProgress -eq $true) { $sdBusy += 'Component Based Servicing\\RebootInProgress is set' }",
      "if ($sdRb.CbsRebootPending -eq $true -and $sdRb.PendingXml -eq $true) { $sdBusy += 'a restart is pending with WinSxS\\pending.xml' }",
      "if ([string]$sdTi.Status -ne 'Stopped') { $sdBusy += 'TrustedInstaller (Windows Modules Installer) is running' }",
      ...(t.has('packages')
        ? [
            "if ($sdRb.CbsPackagesPending -eq $true) { $sdBusy += 'packages wait for their restart (PackagesPending): a good update would be thrown away' }",
          ]
        : []),
      `if ($sdBusy.Count) { throw (${psTextLiteral('Not run: Windows is in the middle of servicing on this PC (')} + ($sdBusy -join '; ') + ${psTextLiteral('). Restart it once and let it finish, then run this again; nothing was changed.')}) }`,
    )
  }
  if (t.has('boot') || t.has('recovery-layout')) {
    L.push(
      '# BitLocker (read on this PC now): a partition, boot-file or Secure Boot change with the TPM as the only protector asks for a recovery key nobody has.',
      `$sdSt = ${run(storageLayoutCommand)}`,
      '$sdBl = if ($sdSt) { $sdSt.BitLocker } else { $null }',
      `if (-not $sdBl -or $null -eq $sdBl.KeyProtectorTypes) { throw ${psTextLiteral("Not run: BitLocker's key protectors could not be read on this PC; nothing was changed.")} }`,
      // Protection neither on nor off (unknown, or not read) is never "off": unknown refuses, as the offer's check does.
      `if ([string]$sdBl.ProtectionStatus -notmatch '^(On|Off|0|1)$') { throw ${psTextLiteral('Not run: whether BitLocker protects this PC could not be read (its protection status is neither On nor Off); nothing was changed.')} }`,
      `if ([string]$sdBl.ProtectionStatus -match '^(On|1)$' -and @($sdBl.KeyProtectorTypes | ForEach-Object { [string]$_ }) -notcontains 'RecoveryPassword') { throw ${psTextLiteral('Not run: BitLocker protects this PC with the TPM only (no recovery password). Add a recovery password and back it up first (manage-bde -protectors -add C: -RecoveryPassword), or suspend BitLocker for one restart (Suspend-BitLocker -MountPoint C: -RebootCount 1); nothing was changed.')} }`,
    )
  }
  return L
}
