/**
 * parseUpdateHistory / branchesOfRelease (main/knowledge/update-history.ts: release headings and
 * release-health rows that the knowledge refresh reads) on exact results: every dash and entity form of a
 * heading, build lists, kinds, date limits, first-heading-wins, table rows with their types and limits, rows
 * merged by KB. Hand-made strings in the pages' formats (the real pages are read in refresh-real-pages.test.ts).
 * Loaded fresh so the module-level patterns are the ones under test.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { branchForBuild } from '../../../main/knowledge/servicing-chains.ts'

type Mod = typeof import('../../../main/knowledge/update-history.ts')
let m: Mod
beforeAll(async () => {
  vi.resetModules()
  m = await import('../../../main/knowledge/update-history.ts')
})

const rel = (kb: string, released: string, builds: [number, number][], kind: string, heading: string) => ({
  kb,
  released,
  builds: builds.map(([build, ubr]) => ({ build, ubr })),
  kind,
  heading,
})

describe('update-history text at its boundaries (fresh module load)', () => {
  it('headings: each dash and entity, build lists, kinds and date limits', () => {
    const cases: [string, ReturnType<typeof rel>[]][] = [
      [
        'March 31, 2026—KB5086672 (OS Builds 26200.8117 and 26100.8117) Out-of-band',
        [
          rel(
            'KB5086672',
            '2026-03-31',
            [
              [26200, 8117],
              [26100, 8117],
            ],
            'out-of-band',
            'March 31, 2026—KB5086672 (OS Builds 26200.8117 and 26100.8117) Out-of-band',
          ),
        ],
      ],
      [
        'July 11, 2023&#x2014;KB5028185 (OS Build 22621.1992)',
        [rel('KB5028185', '2023-07-11', [[22621, 1992]], 'monthly', 'July 11, 2023—KB5028185 (OS Build 22621.1992)')],
      ],
      [
        'June 24, 2025\\u2014KB5060829 (OS Build 26100.4484) Preview',
        [
          rel(
            'KB5060829',
            '2025-06-24',
            [[26100, 4484]],
            'preview',
            'June 24, 2025—KB5060829 (OS Build 26100.4484) Preview',
          ),
        ],
      ],
      [
        'May&nbsp;13,&#160;2025&mdash;KB 5058411 (OS Build 26100.4061)',
        [rel('KB5058411', '2025-05-13', [[26100, 4061]], 'monthly', 'May 13, 2025—KB 5058411 (OS Build 26100.4061)')],
      ],
      [
        'January 9, 2024&#8212;KB5034123 (OS Builds 22621.3007, 22631.3007)',
        [
          rel(
            'KB5034123',
            '2024-01-09',
            [
              [22621, 3007],
              [22631, 3007],
            ],
            'monthly',
            'January 9, 2024—KB5034123 (OS Builds 22621.3007, 22631.3007)',
          ),
        ],
      ],
      [
        'February 13, 2024 – KB5034765 (OS Builds 22621.3155 &amp; 22631.3155)',
        [
          rel(
            'KB5034765',
            '2024-02-13',
            [
              [22621, 3155],
              [22631, 3155],
            ],
            'monthly',
            'February 13, 2024 – KB5034765 (OS Builds 22621.3155 &amp; 22631.3155)',
          ),
        ],
      ],
      [
        'April 8, 2025&#8211;KB5055523 (OS Build 26100.3775)',
        [rel('KB5055523', '2025-04-08', [[26100, 3775]], 'monthly', 'April 8, 2025–KB5055523 (OS Build 26100.3775)')],
      ],
      [
        'August 12, 2025 &ndash; KB5063878 (OS Build 26100.4946)',
        [
          rel(
            'KB5063878',
            '2025-08-12',
            [[26100, 4946]],
            'monthly',
            'August 12, 2025 – KB5063878 (OS Build 26100.4946)',
          ),
        ],
      ],
      [
        'September 9, 2025-KB5065426 (OS Build OS 26100.6584)',
        [
          rel(
            'KB5065426',
            '2025-09-09',
            [[26100, 6584]],
            'monthly',
            'September 9, 2025-KB5065426 (OS Build OS 26100.6584)',
          ),
        ],
      ],
      [
        'October 14, 2025—KB5066835 (OS Build 26200.6899) Other',
        [
          rel(
            'KB5066835',
            '2025-10-14',
            [[26200, 6899]],
            'monthly',
            'October 14, 2025—KB5066835 (OS Build 26200.6899)',
          ),
        ],
      ],
      [
        'December 31, 2100—KB5000001 (OS Build 26100.1)',
        [rel('KB5000001', '2100-12-31', [[26100, 1]], 'monthly', 'December 31, 2100—KB5000001 (OS Build 26100.1)')],
      ],
      [
        'November 1, 2015—KB3105213 (OS Build 10240.16566)',
        [
          rel(
            'KB3105213',
            '2015-11-01',
            [[10240, 16566]],
            'monthly',
            'November 1, 2015—KB3105213 (OS Build 10240.16566)',
          ),
        ],
      ],
      ['November 1, 2014—KB3000001 (OS Build 10240.1)', []],
      ['November 1, 2101—KB3000001 (OS Build 10240.1)', []],
      ['November 0, 2025—KB3000001 (OS Build 10240.1)', []],
      ['November 32, 2025—KB3000001 (OS Build 10240.1)', []],
      ['Octember 1, 2025—KB3000001 (OS Build 10240.1)', []],
      ['November 1, 2025—KB30001 (OS Build 10240.1)', []],
      ['November 1, 2025—KB3000001 (OS Build 1024.1)', []],
      ['November 1 2025—KB3000001 (OS Build 10240.1)', []],
      [
        'March 31, 2026—KB5086672 (OS Build 26100.8117) Out-of-band\nApril 1, 2026—KB5086672 (OS Build 26100.9999)',
        [
          rel(
            'KB5086672',
            '2026-03-31',
            [[26100, 8117]],
            'out-of-band',
            'March 31, 2026—KB5086672 (OS Build 26100.8117) Out-of-band',
          ),
        ],
      ],
      ['', []],
    ]
    for (const [t, want] of cases) expect(m.parseUpdateHistory(t), t).toEqual(want)
    expect(cases).toHaveLength(22)
    expect(m.parseUpdateHistory(5 as unknown as string)).toEqual([])
  })

  it('release-health rows: types, limits, tags and pipes, and rows merged by KB', () => {
    const row = (s: string) => m.parseUpdateHistory(s)
    expect(row('General Availability Channel 2025-10 B 2025-10-14 26200.6899 KB5066835')).toEqual([
      rel('KB5066835', '2025-10-14', [[26200, 6899]], 'monthly', '2025-10 B 2025-10-14 26200.6899 KB5066835'),
    ])
    expect(row('2025-09 C 2025-09-23 26100.6725 KB5065789')[0]!.kind).toBe('preview')
    expect(row('2025-09 D 2025-09-23 26100.6725 KB5065789')[0]!.kind).toBe('preview')
    expect(row('2025-10 OOB 2025-10-20 26100.6901 KB 5070773')).toEqual([
      rel('KB5070773', '2025-10-20', [[26100, 6901]], 'out-of-band', '2025-10 OOB 2025-10-20 26100.6901 KB 5070773'),
    ])
    expect(
      row('<tr><td>2025-08</td>|<td>B</td>\n<td>2025-08-12</td><td>20348.4052</td><td>KB5063880</td></tr>'),
    ).toEqual([rel('KB5063880', '2025-08-12', [[20348, 4052]], 'monthly', '2025-08 B 2025-08-12 20348.4052 KB5063880')])
    for (const bad of [
      '2025-13 B 2025-13-14 26100.1 KB5000001',
      '2025-10 B 2025-10-32 26100.1 KB5000001',
      '2025-10 B 2025-10-00 26100.1 KB5000001',
      '2014-10 B 2014-10-14 26100.1 KB5000001',
      '2101-10 B 2101-10-14 26100.1 KB5000001',
      '2025-10 A 2025-10-14 26100.1 KB5000001',
      '2025-10 B 2025-10-14 26100.1',
    ])
      expect(row(bad), bad).toEqual([])
    expect(
      row(
        '2025-10 B 2025-10-14 26100.6899 KB5066835 | 2025-10 B 2025-10-14 26200.6899 KB5066835 | 2025-10 B 2025-10-14 26200.6899 KB5066835',
      )[0]!.builds,
    ).toEqual([
      { build: 26100, ubr: 6899 },
      { build: 26200, ubr: 6899 },
    ])
    expect(row('October 14, 2025—KB5066835 (OS Build 26200.6899)\n2025-10 B 2025-10-14 26100.6899 KB5066835')).toEqual([
      rel('KB5066835', '2025-10-14', [[26200, 6899]], 'monthly', 'October 14, 2025—KB5066835 (OS Build 26200.6899)'),
    ])
    expect(
      row('2025-10 B 2025-10-14 26100.6899 KB5066835\n2025-10 B 2025-10-14 20348.4294 KB5066782').map((r) => r.kb),
    ).toEqual(['KB5066835', 'KB5066782'])
  })

  it('branchesOfRelease: one branch per build line, none for a build no branch has', () => {
    const r = rel(
      'KB5086672',
      '2026-03-31',
      [
        [26200, 8117],
        [26100, 8117],
        [26100, 8118],
        [12345, 1],
      ],
      'monthly',
      'x',
    ) as Parameters<Mod['branchesOfRelease']>[0]
    const want = [
      ...new Map(
        [
          [26200, 8117],
          [26100, 8117],
        ]
          .map(([b, u]) => branchForBuild(b!, { ubr: u }))
          .filter(Boolean)
          .map((x) => [x!.id, x!]),
      ).values(),
    ]
    expect(want.length).toBe(2)
    expect(m.branchesOfRelease(r).map((b) => b.id)).toEqual(want.map((b) => b.id))
    expect(m.branchesOfRelease({ ...r, builds: [{ build: 12345, ubr: 1 }] })).toEqual([])
  })
})
