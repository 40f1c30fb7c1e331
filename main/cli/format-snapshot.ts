/** A snapshot as plain text for a terminal: the machine card first, then each fact family in a line or two. */
import type { MachineSnapshot } from '../../preload/model/snapshot.ts'

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`

export function formatSnapshot(s: MachineSnapshot, kind: string): string {
  const out: string[] = []
  const origin =
    kind === 'training'
      ? `training machine '${s.origin.name}'`
      : kind === 'snapshot'
        ? `snapshot of ${s.origin.name} taken ${s.takenAt}`
        : `this PC (${s.origin.name})`
  // A PC over WinRM: "on FRONTDESK-03 over WinRM" (with the training machine's name when it is one).
  if (s.origin.kind === 'remote')
    out.push(`Machine: on ${s.origin.title}${kind === 'training' ? ` (training machine '${s.origin.name}')` : ''}`)
  else out.push(`Machine: ${origin} — ${s.origin.title}`)
  if (s.os.status === 'known') {
    const o = s.os.value
    out.push(
      `Windows: ${o.productName ?? '?'} (${o.edition ?? '?'}), version ${o.displayVersion ?? '?'}, build ${o.build ?? '?'}.${o.ubr ?? '?'}`,
    )
    out.push(
      `Architecture: native ${o.nativeArch ?? 'unknown'}${o.nativeArchMethod ? ` (${o.nativeArchMethod})` : ''}; this app runs as ${o.processArch ?? '?'}${o.emulated ? ' — EMULATED: packages must match the native architecture' : ''}`,
    )
    if (o.lastBootAt !== undefined)
      out.push(
        `Last boot: ${o.lastBootAt ? `${o.lastBootAt.slice(0, 10)} ${o.lastBootAt.slice(11, 19)} UTC` : 'unknown'}`,
      )
  } else out.push(`Windows: unknown — ${s.os.error}`)
  if (s.packages.status === 'known') {
    const p = s.packages.value
    out.push(
      `Packages: ${p.packages.length} (${p.packages.filter((x) => x.state !== 'installed' && x.state !== 'superseded').length} not installed); LCU ${p.lcu ? `${(s.os.status === 'known' ? s.os.value.build : null) ?? p.lcu.build}.${p.lcu.ubr}` : 'unknown'}; checkpoint ${p.checkpoint.kb ?? 'n/a'}: ${p.checkpoint.present === null ? 'unknown' : p.checkpoint.present ? 'present' : 'MISSING'}`,
    )
  } else out.push(`Packages: unknown — ${s.packages.error}`)
  if (s.history.status === 'known') {
    const failed = s.history.value.filter((h) => h.result === 'failed')
    out.push(
      `Update history: ${s.history.value.length} entries, ${failed.length} failed${failed[0] ? ` (latest: ${failed[0].kb ?? failed[0].title} ${failed[0].hresult ?? ''})` : ''}`,
    )
  } else out.push(`Update history: unknown — ${s.history.error}`)
  if (s.reboot.status === 'known')
    out.push(
      `Restart pending: ${
        s.reboot.value.pending
          ? `YES (${s.reboot.value.sources
              .filter((x) => x.pending)
              .map((x) => x.label)
              .join('; ')})`
          : 'no'
      }`,
    )
  else out.push(`Restart pending: unknown — ${s.reboot.error}`)
  if (s.storage.status === 'known')
    out.push(
      `System drive ${s.storage.value.systemDrive.letter}: ${gb(s.storage.value.systemDrive.freeBytes)} free of ${gb(s.storage.value.systemDrive.sizeBytes)}`,
    )
  else out.push(`Storage: unknown — ${s.storage.error}`)
  if (s.services.status === 'known') {
    const off = s.services.value.filter((x) => x.startType === 'disabled')
    out.push(`Services: ${off.length ? `DISABLED: ${off.map((x) => x.name).join(', ')}` : 'none disabled'}`)
  } else out.push(`Services: unknown — ${s.services.error}`)
  if (s.winre.status === 'known')
    out.push(`WinRE: ${s.winre.value.status}, version ${s.winre.value.version ?? 'unknown'}`)
  else out.push(`WinRE: unknown — ${s.winre.error}`)
  // The boot chain; absent in snapshots taken before its probe existed.
  if (s.bootChain?.status === 'known') {
    const b = s.bootChain.value
    const yn = (v: boolean | null, yes: string, no: string) => (v === null ? 'unknown' : v ? yes : no)
    out.push(
      `Secure Boot: ${b.secureBoot}; Windows UEFI CA 2023 in db: ${yn(b.db.windowsUefiCa2023, 'yes', 'NO')}; UEFICA2023Status ${b.servicing.uefiCa2023Status ?? '(not set)'}; boot manager signed by ${b.bootManager.signer === 'windows-uefi-ca-2023' ? 'Windows UEFI CA 2023' : b.bootManager.signer === 'windows-production-pca-2011' ? 'Microsoft Windows Production PCA 2011' : b.bootManager.signer}`,
    )
    if (b.esp)
      out.push(
        `EFI system partition: ${(b.esp.sizeBytes / 1024 ** 2).toFixed(1)} MB, ${b.esp.freeBytes === null ? 'free space unknown' : `${(b.esp.freeBytes / 1024 ** 2).toFixed(1)} MB free`}`,
      )
  } else if (s.bootChain) out.push(`Boot chain: unknown — ${s.bootChain.error}`)
  return out.join('\n')
}
