/**
 * Low disk space: 0x80070070 (ERROR_DISK_FULL), CBS_E_INSUFFICIENT_DISK_SPACE on the system drive,
 * 0x8024001E/0xC190020E; Microsoft suggests keeping 10–20 GB free (S7, S9).
 *
 * A disk-full code on a PC whose system drive has room is another volume's: the EFI system partition (Microsoft asks
 * for 15 MB free there), the recovery partition (250 MB for a WinRE update) or the drive the update was downloaded or
 * written to. The finding names the one the scan measured full, or says it is not C: and how to find it — never
 * "C: has only 392.9 GB free".
 */
import type { Rule, Finding } from '../rule.ts'
import type { Partition } from '../../../preload/model/snapshot.ts'
import { codesInPlay, allSightings, known, gb, mb, textStories } from '../facts.ts'
import { customRemedy, finding, remedy, technical } from '../finding.ts'

const SPACE_CODES = ['0x80070070', '0xC190020E', '0x8024001E']
const LOW = 10 * 1024 ** 3
const ESP_NEEDS = 15 * 1024 ** 2
const RECOVERY_NEEDS = 250 * 1024 ** 2

/** The partition other than C: the scan measured below what servicing needs on it, tightest first. */
function fullPartition(parts: Partition[]): { part: Partition; name: string; needs: number } | null {
  const esp = parts.find((p) => p.role === 'system' && p.freeBytes != null && p.freeBytes < ESP_NEEDS)
  if (esp) return { part: esp, name: 'The EFI system partition', needs: ESP_NEEDS }
  const rec = parts.find((p) => p.role === 'recovery' && p.freeBytes != null && p.freeBytes < RECOVERY_NEEDS)
  if (rec) return { part: rec, name: 'The recovery partition', needs: RECOVERY_NEEDS }
  return null
}

export const lowDiskSpaceRule: Rule = {
  id: 'low-disk-space',
  evaluate(input): Finding[] {
    const st = known(input.snapshot?.storage)
    const low = st ? st.systemDrive.freeBytes < LOW : false
    // 0x8024001E (the service or system was shutting down) has several causes; it is a space finding only beside a
    // system drive measured low, else its own finding with Microsoft's steps for it.
    const hits = allSightings(codesInPlay(input), ...SPACE_CODES).filter((h) => low || h.code !== '0x8024001E')
    if (!low && hits.length === 0) return []
    const evidence = [
      ...(st
        ? [
            {
              source: 'Volumes (Get-Volume)',
              excerpt: `${st.systemDrive.letter}: ${gb(st.systemDrive.freeBytes)} free of ${gb(st.systemDrive.sizeBytes)}`,
            },
          ]
        : []),
      ...hits.flatMap((h) => h.evidence),
    ]
    const codes = hits.map((h) => h.code)
    if (st && !low) {
      const full = fullPartition(st.disks.flatMap((d) => d.partitions))
      // Not measured full here, but the pasted text speaks of WinRE or the recovery partition: that is where it ran out.
      const toldWinre = !full && textStories(input).some((t) => t.story.mentionsWinre)
      return [
        finding({
          id: 'low-disk-space',
          title: full
            ? `${full.name} ran out of space (${mb(full.part.freeBytes ?? 0)} free); drive ${st.systemDrive.letter}: has room`
            : toldWinre
              ? `The recovery partition most likely ran out of space (drive ${st.systemDrive.letter}: has ${gb(st.systemDrive.freeBytes)} free)`
              : `A disk other than drive ${st.systemDrive.letter}: ran out of space (${st.systemDrive.letter}: has ${gb(st.systemDrive.freeBytes)} free)`,
          technical: technical(...codes),
          severity: 'error',
          confidence: full ? 0.85 : toldWinre ? 0.7 : 0.6,
          causes: [
            full
              ? `${full.name} has ${mb(full.part.freeBytes ?? 0)} free; servicing needs ${mb(full.needs)} there. Drive ${st.systemDrive.letter}: has ${gb(st.systemDrive.freeBytes)} free, so it is not the disk that was full.`
              : `Drive ${st.systemDrive.letter}: has ${gb(st.systemDrive.freeBytes)} free, so the full disk is another one: the EFI system partition (Microsoft asks for 15 MB free), the recovery partition (250 MB for a WinRE update), or the drive the update was downloaded or written to.`,
          ],
          remedies: [
            customRemedy(
              'find-full-volume',
              'Find the volume that is full',
              'List every partition and volume with its free space; the one near zero is where the update ran out of room (the log line with the error names the path it was writing).',
              [
                'Get-Volume | Format-Table DriveLetter, FileSystemLabel, FileSystemType, SizeRemaining, Size',
                'Get-Partition | Format-Table DiskNumber, PartitionNumber, DriveLetter, Type, Size',
              ],
              null,
              ['S7'],
            ),
          ],
          evidence: [
            ...evidence,
            ...(full
              ? [
                  {
                    source: 'Disk layout (Get-Partition / Get-Volume)',
                    excerpt: `disk ${full.part.diskNumber} partition ${full.part.partitionNumber}: ${mb(full.part.sizeBytes)}, ${mb(full.part.freeBytes ?? 0)} free`,
                  },
                ]
              : []),
          ],
          repair: null,
          codes,
        }),
      ]
    }
    return [
      finding({
        id: 'low-disk-space',
        title: st
          ? `Drive ${st.systemDrive.letter}: has only ${gb(st.systemDrive.freeBytes)} free`
          : 'The system drive ran out of space',
        technical: hits.length ? technical(...codes) : 'system drive free space below 10 GB',
        severity: hits.length ? 'error' : 'warning',
        confidence: low && hits.length ? 0.95 : hits.length ? 0.8 : 0.6,
        causes: [
          'Updates are downloaded, staged and expanded on the system drive; Microsoft suggests keeping at least 10–20 GB free.',
        ],
        remedies: [remedy('R2'), remedy('R3')],
        evidence,
        repair: null,
        codes,
      }),
    ]
  },
}
