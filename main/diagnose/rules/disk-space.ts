/**
 * Low disk space: 0x80070070 (ERROR_DISK_FULL), CBS_E_INSUFFICIENT_DISK_SPACE on the system drive,
 * 0x8024001E/0xC190020E; Microsoft suggests keeping 10–20 GB free (S7, S9).
 */
import type { Rule, Finding } from '../rule.ts'
import { codesInPlay, allSightings, known, gb } from '../facts.ts'
import { finding, remedy, technical } from '../finding.ts'

const SPACE_CODES = ['0x80070070', '0xC190020E', '0x8024001E']
const LOW = 10 * 1024 ** 3

export const lowDiskSpaceRule: Rule = {
  id: 'low-disk-space',
  evaluate(input): Finding[] {
    const st = known(input.snapshot?.storage)
    const hits = allSightings(codesInPlay(input), ...SPACE_CODES)
    const low = st ? st.systemDrive.freeBytes < LOW : false
    if (!low && hits.length === 0) return []
    // 0x8024001E has several causes; alone it is not a disk-space finding.
    if (!low && hits.every((h) => h.code === '0x8024001E')) return []
    return [
      finding({
        id: 'low-disk-space',
        title: st
          ? `Drive ${st.systemDrive.letter}: has only ${gb(st.systemDrive.freeBytes)} free`
          : 'The system drive ran out of space',
        technical: hits.length ? technical(...hits.map((h) => h.code)) : 'system drive free space below 10 GB',
        severity: hits.length ? 'error' : 'warning',
        confidence: low && hits.length ? 0.95 : hits.length ? 0.8 : 0.6,
        causes: [
          'Updates are downloaded, staged and expanded on the system drive; Microsoft suggests keeping at least 10–20 GB free.',
        ],
        remedies: [remedy('R2'), remedy('R3')],
        evidence: [
          ...(st
            ? [
                {
                  source: 'Volumes (Get-Volume)',
                  excerpt: `${st.systemDrive.letter}: ${gb(st.systemDrive.freeBytes)} free of ${gb(st.systemDrive.sizeBytes)}`,
                },
              ]
            : []),
          ...hits.flatMap((h) => h.evidence),
        ],
        repair: null,
        codes: hits.map((h) => h.code),
      }),
    ]
  },
}
