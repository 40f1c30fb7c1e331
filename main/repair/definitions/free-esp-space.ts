/**
 * `free-esp-space`: makes room on a full EFI system partition (0x800F0922 when it has less than the 15 MB
 * free Microsoft asks for — "We couldn't update system reserved partition") by moving the top-level \EFI
 * folders that are provably not Windows' (anything but \EFI\Microsoft and \EFI\Boot, as the boot-chain scan
 * listed them) to `<data>\esp-moved\<folder>`. Nothing is deleted; the undo (move each folder back) is listed.
 * Steps: mount the ESP at a free letter (mountvol X: /s), robocopy /MOVE each foreign folder, unmount
 * (mountvol X: /d). Verified by a re-scan: 15 MB or more free and the moved folders gone from the ESP.
 * Afterwards the update that failed is retried by `install` (its own plan, journal and verification).
 */
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import type { ManualStep } from '../../../preload/model/repair.ts'
import type { RepairDefinition, RepairEnv } from '../types.ts'
import { onPc, step } from '../types.ts'
import { espMovedDir, isEspForeignFolder } from '../step-names.ts'

const MB = 1024 * 1024
const NEEDED = 15 * MB
const mb1 = (n: number) => `${(n / MB).toFixed(1)} MB`

function esp(s: MachineSnapshot) {
  return s.bootChain?.status === 'known' ? s.bootChain.value.esp : null
}

/**
 * Folders that may be moved: not Windows', a plain name the step kind accepts, and read as holding no .efi file — a
 * folder with a loader (another OS's, \EFI\ubuntu, or the firmware's tools) is never moved: it would no longer start.
 * A folder whose loaders could not be counted (an older scan) is not moved either.
 */
function foreignFolders(s: MachineSnapshot) {
  return (esp(s)?.folders ?? []).filter((f) => !f.microsoft && f.loaders === 0 && isEspForeignFolder(f.name))
}

/** The first drive letter from S to Z that no volume uses. */
function freeLetter(s: MachineSnapshot): string | null {
  const used = new Set(
    (s.storage.status === 'known'
      ? s.storage.value.disks.flatMap((d) => d.partitions.map((p) => p.driveLetter))
      : []
    ).filter(Boolean),
  )
  return ['S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z'].find((l) => !used.has(l)) ?? null
}

function undo(env: RepairEnv, folders: string[], letter: string): ManualStep {
  return {
    title: 'To undo: move the folders back onto the EFI partition',
    detail: `The moved folders are kept in ${onPc(env, join2(env.dataDir, 'esp-moved'))}. From an elevated prompt, mount the EFI partition, move each folder back, unmount it.`,
    commands: [
      `mountvol ${letter}: /s`,
      ...folders.map((f) => `robocopy "${onPc(env, espMovedDir(env, f))}" ${letter}:\\EFI\\${f} /E /MOVE /COPY:DAT`),
      `mountvol ${letter}: /d`,
    ],
  }
}
const join2 = (a: string, b: string) => `${a}${a.includes('\\') ? '\\' : '/'}${b}`

export const freeEspSpaceRepair: RepairDefinition = {
  id: 'free-esp-space',
  kinds: ['esp-mount', 'esp-move-folder', 'esp-unmount'],
  title: 'Free space on the EFI system partition',
  summary:
    "Moves the folders on the EFI partition that are not Windows' own to a named folder (nothing is deleted), then checks that 15 MB or more is free.",
  offer({ snapshot, findings }) {
    const f = findings.find((x) => x.id === 'esp-full')
    const e = esp(snapshot)
    if (!f || !e || e.freeBytes === null || e.freeBytes >= NEEDED) return null
    const foreign = foreignFolders(snapshot)
    if (!foreign.length) return null
    return {
      reason: `${f.title}; not Windows' own: ${foreign.map((x) => `\\EFI\\${x.name}${x.bytes !== null ? ` (${mb1(x.bytes)})` : ''}`).join(', ')}.`,
    }
  },
  plan({ snapshot, ref, env }) {
    const e = esp(snapshot)
    const foreign = foreignFolders(snapshot)
    if (ref.kind === 'snapshot')
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'A snapshot from another PC is read-only: run the repair on that PC (or save it as a script).',
      }
    if (!e || !foreign.length)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused:
          "No folder on the EFI partition is provably neither Windows' nor a boot loader (a folder holding a .efi file is never moved); nothing is moved. Microsoft's font clean-up under \\EFI\\Microsoft\\Boot, then enlarging the partition by hand, are the next steps.",
      }
    const letter = freeLetter(snapshot)
    if (!letter)
      return {
        steps: [],
        warnings: [],
        manual: [],
        refused: 'No drive letter from S to Z is free to mount the EFI partition at.',
      }
    const freed = foreign.reduce((a, f) => a + (f.bytes ?? 0), 0)
    const steps = [
      step(
        's1-mount-esp',
        'esp-mount',
        { letter },
        `Mount the EFI partition at ${letter}:`,
        `mountvol ${letter}: /s gives the EFI system partition a drive letter for the move (Microsoft's documented way); it is removed again at the end.`,
      ),
      ...foreign.map((f, i) =>
        step(
          `s${i + 2}-move-${f.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          'esp-move-folder',
          { letter, folder: f.name },
          `Move \\EFI\\${f.name} to ${onPc(env, espMovedDir(env, f.name))}`,
          `\\EFI\\${f.name}${f.bytes !== null ? ` (${mb1(f.bytes)})` : ''} is not Windows' (only \\EFI\\Microsoft and \\EFI\\Boot are). robocopy /MOVE keeps it in ${onPc(env, espMovedDir(env, f.name))}; nothing is deleted.`,
          { mayFail: true },
        ),
      ),
      step(
        `s${foreign.length + 2}-unmount-esp`,
        'esp-unmount',
        { letter },
        `Remove the drive letter ${letter}: again`,
        `mountvol ${letter}: /d hides the EFI partition again.`,
      ),
    ]
    const warnings = [
      `About ${mb1(freed)} is moved off the EFI partition (now ${e.freeBytes === null ? 'unknown' : mb1(e.freeBytes)} free). If a vendor tool needs its folder at boot (firmware updates, a second boot loader), move it back with the undo commands.`,
    ]
    return {
      steps,
      warnings,
      manual: [
        undo(
          env,
          foreign.map((f) => f.name),
          letter,
        ),
      ],
      refused: null,
    }
  },
  verify({ snapshot, journal }) {
    const e = esp(snapshot)
    if (!e || e.freeBytes === null)
      return { verified: false, detail: "Re-scanned: the EFI partition's free space could not be read." }
    const moved = journal.plan.steps
      .filter((s) => s.kind === 'esp-move-folder')
      .map((s) => String((s.params as { folder?: unknown }).folder))
    const still = (e.folders ?? [])
      .filter((f) => moved.some((m) => m.toLowerCase() === f.name.toLowerCase()))
      .map((f) => f.name)
    if (still.length)
      return {
        verified: false,
        detail: `Re-scanned: ${still.map((n) => `\\EFI\\${n}`).join(', ')} is still on the EFI partition (${mb1(e.freeBytes)} free).`,
      }
    return e.freeBytes >= NEEDED
      ? {
          verified: true,
          detail: `Re-scanned: the EFI partition has ${mb1(e.freeBytes)} free (15 MB needed); moved: ${moved.map((n) => `\\EFI\\${n}`).join(', ')}.`,
        }
      : {
          verified: false,
          detail: `Re-scanned: only ${mb1(e.freeBytes)} free after the move; 15 MB is needed. Enlarging the EFI partition is the next step (by hand).`,
        }
  },
  next({ snapshot }) {
    if (snapshot.history.status !== 'known') return []
    const ok = new Set(snapshot.history.value.filter((h) => h.result === 'succeeded' && h.kb).map((h) => h.kb))
    const failed = [
      ...new Set(
        snapshot.history.value
          .filter(
            (h) =>
              h.kb &&
              !ok.has(h.kb) &&
              (h.result === 'failed' || h.result === 'aborted') &&
              (h.hresult === '0x800F0922' || h.hresult === '0xC1900104'),
          )
          .map((h) => h.kb!),
      ),
    ]
    return failed.map((kb) => ({
      title: `Retry ${kb}, which failed because the EFI partition was full`,
      detail: 'Installs it with its own plan, journal and verification (a restart is part of it).',
      commands: [`servicing-desk install --kb ${kb}`],
      kb,
    }))
  },
}
