/**
 * The planner's decisions that a whole-file mutation run found unguarded (83.3% before these
 * tests): the Catalog title's version, staged and superseded packages, the role and facts of each planned
 * package, a checkpoint the PC has beside several targets, the folder rule's file extensions, the notes
 * (further refusals, unverified targets, unknown updates), the step numbering and the folder grouping.
 * Same hand-made snapshot as planner-decisions.test.ts (no training machine scanned).
 */
import { describe, expect, it } from 'vitest'
import { planInstallation } from '../../../main/install/planner.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { GB, DIR, snapshot, cand, req, plan, check, type Pc } from './planner-fixtures.ts'

const UNKNOWN = 'KB5099999'
const withPackages = (pc: Pc, list: { kb: string | null; state: string }[]): MachineSnapshot => {
  const s = snapshot(pc) as unknown as { packages: { value: { packages: unknown[] } } }
  s.packages.value.packages = list.map(({ kb, state }) => ({
    identity: `Package_for_${kb ?? 'x'}~31bf3856ad364e35~amd64~~26100.1.1.1`,
    kb,
    arch: 'amd64',
    version: null,
    state,
    releaseType: 'Update',
    installTime: null,
  }))
  return s as unknown as MachineSnapshot
}

describe('planner: the version a Catalog title names (an update the knowledge lacks)', () => {
  const titled = (title: string | undefined, pc: Pc = {}) =>
    plan({ targets: [UNKNOWN], packages: [cand(UNKNOWN, { title })] }, pc)
  it('"Version  23H2" (two spaces) and "Version 1809" on 24H2: refused naming the version; "version 24h2" agrees; no version: not refused', () => {
    const cases: [string | undefined, string | null][] = [
      ['2026-05 Cumulative Update for Windows 11 Version  23H2 for x64-based Systems', '23H2'],
      ['2019-05 Cumulative Update for Windows 10 Version 1809 for x64-based Systems', '1809'],
      ['2026-05 cumulative update for windows 11 version 24h2', null],
      ['2026-05 Cumulative Update for Windows 11', null],
      [undefined, null],
    ]
    let ran = 0
    for (const [title, version] of cases) {
      const p = titled(title)
      if (version) {
        expect(p.refused, title).toBe(
          `${UNKNOWN} is for version ${version} (its Catalog title says so); this PC runs Windows 11 24H2 (26100).`,
        )
        expect(check(p, 'branch'), title).toEqual({
          id: 'branch',
          title: 'Windows version',
          status: 'fail',
          detail: p.refused,
        })
      } else {
        expect(p.refused, String(title)).toBeNull()
        expect(check(p, 'branch'), String(title)).toEqual({
          id: 'branch',
          title: 'Windows version',
          status: 'warn',
          detail: 'Windows 11 24H2 (26100.1000); some targets are not in the knowledge, so DISM decides applicability.',
        })
      }
      ran++
    }
    expect(ran).toBe(5)
  })
  it("the title of the target's own file counts, not the first file's", () => {
    const p = plan({
      targets: [UNKNOWN],
      packages: [cand('KB5043080', { title: 'Windows 11 Version 23H2' }), cand(UNKNOWN)],
    })
    expect(p.refused).toBeNull()
  })
  it('a build the knowledge lacks: a titled update is not compared (no branch to compare with); the warning names the build or "unknown"', () => {
    const p = titled('Windows 11 Version 23H2', { build: 99999 })
    expect(p.refused).toBeNull()
    expect(check(p, 'branch')).toEqual({
      id: 'branch',
      title: 'Windows version',
      status: 'warn',
      detail: 'Build 99999 is not in the servicing-chain knowledge; applicability is left to DISM.',
    })
    expect(check(titled(undefined, { build: null }), 'branch')!.detail).toBe(
      'Build unknown is not in the servicing-chain knowledge; applicability is left to DISM.',
    )
  })
  it('an update for two other branches names both; two wrong targets: both problems in the detail, the first refuses', () => {
    const p = plan(
      { targets: ['KB5086672', 'KB5079473'], packages: [cand('KB5043080'), cand('KB5086672'), cand('KB5079473')] },
      { build: 22631, ubr: 4000 },
    )
    const first = 'KB5086672 is for Windows 11 24H2, Windows 11 25H2; this PC runs Windows 11 23H2 (22631).'
    expect(p.refused).toBe(first)
    expect(check(p, 'branch')).toEqual({
      id: 'branch',
      title: 'Windows version',
      status: 'fail',
      detail: `${first} ${first.replace('KB5086672', 'KB5079473')}`,
    })
  })
  it('one known and one unknown target: warn, some targets not in the knowledge', () => {
    const p = plan({ targets: ['KB5086672', UNKNOWN], packages: [cand('KB5043080'), cand('KB5086672'), cand(UNKNOWN)] })
    expect(check(p, 'branch')).toMatchObject({
      status: 'warn',
      detail: 'Windows 11 24H2 (26100.1000); some targets are not in the knowledge, so DISM decides applicability.',
    })
  })
})

describe("planner: the PC's package states and what counts as installed", () => {
  it('a staged or superseded target, or a package without a KB, is not installed: the target is planned', () => {
    let ran = 0
    for (const state of ['staged', 'superseded', 'absent']) {
      const p = planInstallation(
        req({
          snapshot: withPackages({ ubr: 2000 }, [
            { kb: 'KB5086672', state },
            { kb: null, state: 'installed' },
            { kb: null, state: 'install-pending' },
          ]),
        }),
      )
      expect(
        p.skipped.map((s) => s.kb),
        state,
      ).toEqual(['KB5043080'])
      expect(
        p.packages.map((x) => x.kb),
        state,
      ).toEqual(['KB5086672'])
      ran++
    }
    expect(ran).toBe(3)
  })
  it('an update of another branch is not "installed" by a higher UBR of this PC\'s branch', () => {
    const p = plan({ targets: ['KB5086672'] }, { build: 22631, ubr: 9000 })
    expect(p.skipped).toEqual([])
  })
  it('a Safe OS update is not "installed" by the PC\'s UBR (only a cumulative update is); it is planned as safe-os', () => {
    const p = plan({ targets: ['KB5089593'], packages: [cand('KB5089593'), cand('KB5043080')] }, { ubr: 9000 })
    expect(p.skipped.map((s) => s.kb)).not.toContain('KB5089593')
    expect(p.packages.find((x) => x.kb === 'KB5089593')).toMatchObject({ role: 'safe-os' })
  })
})

describe('planner: each planned package', () => {
  it('keeps its architecture, size and hashes; a file of unknown architecture is neutral; no size is null', () => {
    const p = plan({
      packages: [cand('KB5043080', { arch: null, sizeBytes: undefined }), cand('KB5086672', { sizeBytes: 2 * GB })],
    })
    expect(p.packages.map((x) => [x.kb, x.arch, x.sizeBytes, x.sha1, x.sha256])).toEqual([
      ['KB5043080', 'neutral', null, 'a'.repeat(40), 'b'.repeat(64)],
      ['KB5086672', 'x64', 2 * GB, 'a'.repeat(40), 'b'.repeat(64)],
    ])
  })
  it('an update the knowledge lacks: its level from the Catalog title, said in a note once; the expected level from it', () => {
    const title = `2026-05 Cumulative Update for Windows 11 Version 24H2 for x64-based Systems (${UNKNOWN}) (26100.9999)`
    const p = plan({ targets: [UNKNOWN], packages: [cand(UNKNOWN, { title })] })
    expect(p.packages).toMatchObject([{ kb: UNKNOWN, build: 26100, ubr: 9999, role: 'target' }])
    expect(p.notes).toEqual([`${UNKNOWN} → 26100.9999, from its Microsoft Update Catalog title "${title}".`])
    expect(p.expected).toEqual({ build: 26100, ubr: 9999 })
  })
  it('an update the knowledge lacks, untitled: unknown level; its file name confirms the KB', () => {
    const p = plan({ targets: [UNKNOWN], packages: [cand(UNKNOWN)] })
    expect(p.packages).toMatchObject([{ build: null, ubr: null }])
    expect(p.notes).toEqual([
      `${UNKNOWN} is not in Servicing Desk's knowledge and no Catalog title is known (its file names confirm only the KB and architecture): the expected build is unknown, so the install is verified by the package state alone.`,
    ])
    expect(p.expected).toBeNull()
  })
  it('a target whose level rests on one secondary source: a note says so (not for its checkpoint)', () => {
    const p = plan({ targets: ['KB5124006'], packages: [cand('KB5124006')] }, { build: 28000, ubr: 2954 })
    expect(p.notes).toEqual([
      'KB5124006 → 28000.3086 is unverified (one secondary source, RH-GUARD-2026-09); the install is verified by the package state, not by that number alone.',
    ])
    // Confirmed by Microsoft's CVE record: no such note.
    expect(
      plan({ targets: ['KB5121003'], packages: [cand('KB5043080'), cand('KB5121003')] }).notes.join(' '),
    ).not.toMatch(/unverified/)
  })
  it('OS build unknown (--arch given): no expected level even though the packages have one', () => {
    const p = plan({ arch: 'x64' }, { build: null })
    expect(p.packages.length).toBeGreaterThan(0)
    expect(p.expected).toBeNull()
  })
  it('one refusal: no "Also:" note repeating it', () => {
    const p = plan({ elevated: false })
    expect(p.refused).not.toBeNull()
    expect(p.notes.filter((n) => n.startsWith('Also:'))).toEqual([])
  })
})

describe('planner: a checkpoint the PC has, and two targets', () => {
  const files = [cand('KB5043080'), cand('KB5079473'), cand('KB5086672')]
  it('skipped once for two targets that need it', () => {
    const p = plan({ targets: ['KB5079473', 'KB5086672'], packages: files }, { ubr: 2000 })
    expect(p.skipped.map((s) => s.kb)).toEqual(['KB5043080'])
    expect(p.packages.map((x) => x.kb)).toEqual(['KB5079473', 'KB5086672'])
  })
  it("folder method: named beside the first target only; the second target's step keeps its own title and explanation", () => {
    const p = plan(
      {
        method: 'folder',
        targets: ['KB5079473', 'KB5086672'],
        packages: files,
        folderListing: { [DIR]: files.map((f) => f.fileName) },
      },
      { ubr: 2000 },
    )
    expect(p.packages.map((x) => [x.kb, x.role])).toEqual([
      ['KB5043080', 'checkpoint'],
      ['KB5079473', 'target'],
      ['KB5086672', 'target'],
    ])
    const adds = p.steps.filter((s) => s.kind === 'add-package')
    expect(adds.map((s) => s.kbs)).toEqual([['KB5043080', 'KB5079473'], ['KB5086672']])
    expect(adds[0]!.title).toBe('Install KB5079473')
    expect(adds[1]!.title).toBe(
      plan(
        {
          method: 'folder',
          targets: ['KB5086672'],
          packages: [files[2]!],
          folderListing: { [DIR]: [files[2]!.fileName] },
        },
        { ubr: 2000 },
      ).steps[0]!.title,
    )
    expect(adds[1]!.explanation).not.toContain('already has')
  })
  it('sequence method: a present checkpoint is never named, even when a folder listing holds it', () => {
    const p = plan(
      {
        packages: [cand('KB5043080'), cand('KB5086672')],
        folderListing: { [DIR]: [cand('KB5043080').fileName, cand('KB5086672').fileName] },
      },
      { ubr: 2000 },
    )
    expect(p.packages.map((x) => x.kb)).toEqual(['KB5086672'])
  })
  it('folder method with a listing of another folder only: the present checkpoint is not named', () => {
    const p = plan({ method: 'folder', folderListing: { 'D:\\elsewhere': ['x.msu'] } }, { ubr: 2000 })
    expect(p.packages.map((x) => x.kb)).toEqual(['KB5086672'])
    expect(p.refused).toBeNull()
  })
})

describe("planner: the folder rule, the checks' details, the steps", () => {
  it('only files ending .msu or .cab count as other packages; two are both named', () => {
    expect(
      plan({
        method: 'folder',
        folderListing: {
          [DIR]: [cand('KB5043080').fileName, cand('KB5086672').fileName, 'readme.msu.txt', 'x.cab.bak'],
        },
      }).refused,
    ).toBeNull()
    expect(
      plan({
        method: 'folder',
        folderListing: { [DIR]: [cand('KB5043080').fileName, cand('KB5086672').fileName, 'a.msu', 'b.CAB'] },
      }).refused,
    ).toBe(
      `The folder ${DIR} also holds a.msu, b.CAB; DISM would process them too. Keep only the target and its checkpoints there.`,
    )
  })
  it('a pending restart names every pending source; none labelled: "reported"; none pending: pass; unknown: warn', () => {
    const pending = (sources: { label: string; pending: boolean }[]) => {
      const s = snapshot() as unknown as { reboot: unknown }
      s.reboot = {
        status: 'known',
        value: { pending: true, sources: sources.map((x, i) => ({ id: `s${i}`, detail: '', ...x })) },
        evidence: [],
      }
      return planInstallation(req({ snapshot: s as unknown as MachineSnapshot }))
    }
    expect(
      check(
        pending([
          { label: 'CBS', pending: true },
          { label: 'WU', pending: false },
          { label: 'PFRO', pending: true },
        ]),
        'pending-restart',
      ),
    ).toEqual({
      id: 'pending-restart',
      title: 'No restart pending',
      status: 'fail',
      detail: 'A restart is pending (CBS, PFRO): restart the PC, then plan again.',
    })
    expect(check(pending([]), 'pending-restart')!.detail).toBe(
      'A restart is pending (reported): restart the PC, then plan again.',
    )
    expect(check(plan(), 'pending-restart')).toEqual({
      id: 'pending-restart',
      title: 'No restart pending',
      status: 'pass',
      detail: 'No restart is pending.',
    })
    expect(check(plan({}, { reboot: null }), 'pending-restart')).toEqual({
      id: 'pending-restart',
      title: 'No restart pending',
      status: 'warn',
      detail: 'Whether a restart is pending is unknown.',
    })
  })
  it('free space counts the size of each planned package, not of other files offered', () => {
    const p = plan(
      {
        packages: [
          cand('KB5079473', { sizeBytes: 5 * GB }),
          cand('KB5043080', { sizeBytes: 1 * GB }),
          cand('KB5086672', { sizeBytes: 2 * GB }),
        ],
      },
      { free: 12.5 * GB },
    )
    expect(check(p, 'free-space')).toEqual({
      id: 'free-space',
      title: 'Free space',
      status: 'fail',
      detail: '12.5 GB free on C:, 13.0 GB needed.',
    })
    expect(check(plan({}, { free: null }), 'free-space')).toEqual({
      id: 'free-space',
      title: 'Free space',
      status: 'warn',
      detail: 'Free space is unknown.',
    })
  })
  it('battery and BitLocker checks in full', () => {
    expect(check(plan({ onBattery: true }), 'battery')).toEqual({
      id: 'battery',
      title: 'Mains power',
      status: 'warn',
      detail: 'The PC runs on battery: plug it in; a cumulative update can take an hour and a restart.',
    })
    expect(check(plan({ onBattery: false }), 'battery')).toEqual({
      id: 'battery',
      title: 'Mains power',
      status: 'pass',
      detail: 'The PC is on mains power.',
    })
    expect(check(plan({}, { bitlocker: 'on' }), 'bitlocker')).toEqual({
      id: 'bitlocker',
      title: 'BitLocker recovery key',
      status: 'warn',
      detail:
        'BitLocker protects the system drive: have the recovery key at hand before any recovery work (%SystemRoot%\\System32\\manage-bde.exe -protectors -get C:).',
    })
  })
  it('steps are numbered 1..n in order (online with resume, and an image with mount and unmount)', () => {
    const online = plan({ resumeCommand: ['sd', 'install', '--resume', 'p1'] })
    expect(online.steps.map((s) => s.id)).toEqual([
      's1-add-KB5043080',
      expect.stringMatching(/^s2-/),
      's3-restart',
      's4-add-KB5086672',
      expect.stringMatching(/^s5-/),
      's6-restart',
    ])
    const image = plan({ scope: { kind: 'image', dir: 'C:\\mnt', wim: { path: 'D:\\install.wim', index: 3 } } })
    expect(image.steps.map((s) => s.id)).toEqual([
      's1-mount',
      's2-add-KB5043080',
      's3-add-KB5086672',
      expect.stringMatching(/^s4-/),
    ])
  })
  it('folder method, two targets: one add step per target (its checkpoint with the first), each followed by its restart', () => {
    const files = [cand('KB5043080'), cand('KB5079473'), cand('KB5086672')]
    const p = plan({ method: 'folder', targets: ['KB5079473', 'KB5086672'], packages: files })
    expect(p.steps.map((s) => [s.kind, s.kind === 'add-package' ? s.kbs : s.dependsOn])).toEqual([
      ['add-package', ['KB5043080', 'KB5079473']],
      ['restart', [p.steps[0]!.id]],
      ['add-package', ['KB5086672']],
      ['restart', [p.steps[2]!.id]],
    ])
  })
})

describe('planner: the list of checks', () => {
  it('a plan that goes through has exactly its five checks, in order', () => {
    expect(plan().preflight.map((c) => c.id)).toEqual([
      'elevated',
      'architecture',
      'branch',
      'pending-restart',
      'free-space',
    ])
    expect(
      plan({ scope: { kind: 'image', dir: 'C:\\mnt', wim: null }, onBattery: false }).preflight.map((c) => c.id),
    ).toEqual(['elevated', 'architecture', 'branch', 'free-space', 'battery'])
  })
})

describe('planner: an image already mounted names what it has', () => {
  it("a target among the image's installed KBs is skipped as installed", () => {
    const p = plan({
      scope: { kind: 'image', dir: 'C:\\mnt', wim: null },
      image: { build: 26100, ubr: 100, installedKbs: ['KB5086672'] },
    })
    expect(p.skipped).toEqual([{ kb: 'KB5086672', reason: 'KB5086672 is already installed (UBR 100).' }])
    expect(p.steps).toEqual([])
  })
})

describe('planner: after the incremental rerun', () => {
  it('folder method with no folder listing at all: a present checkpoint is not named (and no error)', () => {
    const p = plan({ method: 'folder' }, { ubr: 2000 })
    expect(p.packages.map((x) => x.kb)).toEqual(['KB5086672'])
    expect(p.skipped.map((s) => s.kb)).toEqual(['KB5043080'])
  })
  it('two refusals: the first is the plan\'s, the second one "Also:" note (the first is not repeated)', () => {
    const p = plan({ elevated: false }, { reboot: true })
    expect(p.refused).toBe('Servicing Desk is not running with administrator rights.')
    expect(p.notes).toEqual(['Also: A restart is pending: restart the PC first, then install.'])
  })
})

describe('planner: an update the knowledge lacks, with no file at all', () => {
  it('refused for the missing file (no title to read, no error)', () => {
    const p = plan({ targets: [UNKNOWN], packages: [] })
    expect(p.refused).toBe(
      `No package file for ${UNKNOWN} (x64): download it first (servicing-desk install --kb ${UNKNOWN}) or give --kit DIR.`,
    )
  })
})
