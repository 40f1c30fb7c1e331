/**
 * The missing-checkpoint rule, one condition per test: severity and confidence with and without
 * a failed update or a code, the architecture of the remedy's file names (an x64 PC must not get arm64
 * names), the checkpoint present, and the no-snapshot 0x800F0838 branch. The snapshot is the training
 * machine arm64-missing-checkpoint as scanned; each test changes one fact of a copy.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../../main/services.ts'
import { missingCheckpointRule } from '../../../main/diagnose/rules/checkpoint.ts'
import { emptyLogs, type RuleInput } from '../../../main/diagnose/rule.ts'
import type { ExplainResult } from '../../../preload/model/diagnosis.ts'
import type { MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

let base: MachineSnapshot

beforeAll(async () => {
  const services = createServices({ dataDir: tempDirSync('sd-cp-guard-'), platform: 'linux' })
  base = await services.scan({ kind: 'training', name: 'arm64-missing-checkpoint' })
})

const code = (c: string): ExplainResult =>
  ({
    code: c,
    extend: null,
    input: c.toLowerCase(),
    known: true,
    name: null,
    nameNote: null,
    component: null,
    meaning: '',
  }) as unknown as ExplainResult
const run = (snapshot: MachineSnapshot | null, typed: string | null = null) =>
  missingCheckpointRule.evaluate({
    snapshot,
    logs: emptyLogs(),
    code: typed ? code(typed) : null,
    text: null,
  } as RuleInput)

function edit(f: (s: MachineSnapshot) => void): MachineSnapshot {
  const s = structuredClone(base)
  f(s)
  return s
}
const withoutFailures = (s: MachineSnapshot) => {
  if (s.history.status === 'known')
    s.history.value = s.history.value.filter((h) => h.result !== 'failed' && h.result !== 'aborted')
}
const setArch = (arch: 'x64' | 'x86' | 'arm64') => (s: MachineSnapshot) => {
  if (s.os.status === 'known') s.os.value.nativeArch = arch
}

describe('missing checkpoint: the training machine as scanned', () => {
  it('a failed cumulative update and no checkpoint: critical, 0.95, installs the checkpoint first', () => {
    const [f, ...rest] = run(base)
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'missing-checkpoint',
      severity: 'critical',
      confidence: 0.95,
      repair: 'install-checkpoint',
    })
    expect(f!.remedies[0]).toMatchObject({ id: 'install-checkpoint', repair: 'install-checkpoint' })
    expect(f!.remedies[0]!.title).toBe('Install KB5043080 first, then KB5086672')
  })

  it('the remedy names arm64 files on an arm64 PC', () => {
    expect(run(base)[0]!.remedies[0]!.commands).toEqual(['servicing-desk install --kb KB5086672'])
  })
})

describe('missing checkpoint: one fact changed', () => {
  it('an x64 PC gets x64 files', () => {
    const r = run(edit(setArch('x64')))[0]!.remedies[0]!
    expect(r.text).toMatch(/^The x64 MSUs of KB5043080, KB5086672/)
    expect(r.text + r.commands.join(' ')).not.toContain('arm64')
  })

  it('an x86 PC gets x86 files', () => {
    expect(run(edit(setArch('x86')))[0]!.remedies[0]!.text).toMatch(/^The x86 MSUs/)
  })

  it('no failed update and no code: error, 0.55, no target named and no command', () => {
    const [f] = run(edit(withoutFailures))
    expect(f).toMatchObject({ severity: 'error', confidence: 0.55, codes: [] })
    expect(f!.remedies[0]!.title).toBe('Install KB5043080 first, then the cumulative update')
    expect(f!.remedies[0]!.commands).toEqual([])
  })

  it('no failed update but the code typed: error, 0.75, the code listed', () => {
    const [f] = run(edit(withoutFailures), '0x800F0922')
    expect(f).toMatchObject({ severity: 'error', confidence: 0.75, codes: ['0x800F0922'] })
  })

  it('no failed update and an unrelated code: 0.55', () => {
    expect(run(edit(withoutFailures), '0x80070005')[0]).toMatchObject({ confidence: 0.55, codes: [] })
  })

  it('the checkpoint present: no finding', () => {
    expect(
      run(
        edit((s) => {
          if (s.packages.status === 'known' && s.packages.value.checkpoint) s.packages.value.checkpoint.present = true
        }),
      ),
    ).toEqual([])
  })

  it('checkpoint presence not known (null): no finding', () => {
    expect(
      run(
        edit((s) => {
          if (s.packages.status === 'known' && s.packages.value.checkpoint)
            (s.packages.value.checkpoint as { present: boolean | null }).present = null
        }),
      ),
    ).toEqual([])
  })
})

describe("missing checkpoint without the PC's packages", () => {
  it('no snapshot and 0x800F0838: a possible missing checkpoint, error, 0.45, no repair', () => {
    const [f, ...rest] = run(null, '0x800F0838')
    expect(rest).toEqual([])
    expect(f).toMatchObject({
      id: 'missing-checkpoint',
      severity: 'error',
      confidence: 0.45,
      repair: null,
      codes: ['0x800F0838'],
    })
    expect(f!.evidence).toEqual([{ source: 'the code you entered', excerpt: '0x800f0838' }])
  })

  it('no snapshot and another code: nothing', () => {
    expect(run(null, '0x800F0922')).toEqual([])
    expect(run(null)).toEqual([])
  })

  it('packages unknown and 0x800F0838: the same possible finding', () => {
    expect(
      run(
        edit((s) => {
          s.packages = { status: 'unknown' } as MachineSnapshot['packages']
        }),
        '0x800F0838',
      )[0],
    ).toMatchObject({ confidence: 0.45 })
  })

  it('packages known with the checkpoint present and 0x800F0838: nothing (the PC answers)', () => {
    expect(
      run(
        edit((s) => {
          if (s.packages.status === 'known' && s.packages.value.checkpoint) s.packages.value.checkpoint.present = true
        }),
        '0x800F0838',
      ),
    ).toEqual([])
  })
})

describe('missing checkpoint: what the person reads (title, causes, remedies, evidence)', () => {
  it('the scanned machine: exact title, technical line and causes', () => {
    const [f] = run(base)
    expect(f!.title).toBe('The checkpoint update KB5043080 is missing, so later cumulative updates cannot install')
    expect(f!.technical).toBe(
      'Checkpoint cumulative update KB5043080 (26100.1742) absent at 26100.1150; CBS_E_INSTALLERS_FAILED (0x800F0922)',
    )
    expect(f!.causes).toEqual([
      'This PC is at 26100.1150, below the checkpoint KB5043080 (26100.1742) of Windows 11 24H2; every cumulative update after the checkpoint needs it installed first.',
      'KB5086672 lists KB5043080 as prerequisite.',
      'Windows Update normally handles this; it fails when updates come from the Catalog, WSUS without the checkpoint, or an image that never got it.',
    ])
    expect(f!.codes).toEqual(['0x800F0922'])
  })

  it('the remedies in escalation order, the first with its text and sources', () => {
    const [f] = run(base)
    expect(f!.remedies.map((r) => r.id)).toEqual(['install-checkpoint', 'R1', 'R4'])
    expect(f!.remedies[0]).toMatchObject({
      text: "The arm64 MSUs of KB5043080, KB5086672 in one folder (nothing else in it), the target added with DISM: DISM discovers and installs the checkpoint first, in order. Servicing Desk's install does exactly that, with the files fetched from the Microsoft Update Catalog and verified. Restart when asked.",
    })
    expect(f!.remedies[0]!.sources).toEqual(['S19', 'S20'])
  })

  it('the evidence: the package fact, the two latest failed updates, the package list', () => {
    const [f] = run(base)
    expect(f!.evidence.map((e) => e.source)).toEqual([
      'Installed packages (DISM)',
      'Windows Update history',
      'Windows Update history',
      'Get-WindowsPackage -Online (JSON)',
    ])
    expect(f!.evidence[1]!.excerpt).toBe(
      '2026-04-15T02:41:09.000Z  failed  0x800F0922  2026-03 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)',
    )
  })

  it('at most two failed updates are quoted, and the typed code adds its own line, not a third history line', () => {
    const s = edit((x) => {
      if (x.history.status === 'known')
        x.history.value = [...x.history.value, { ...x.history.value[0]!, date: '2026-04-16T00:00:00.000Z' }]
    })
    const [f] = run(s, '0x800F0922')
    expect(f!.evidence.filter((e) => e.source === 'Windows Update history')).toHaveLength(2)
    expect(f!.evidence.filter((e) => e.source === 'the code you entered')).toEqual([
      { source: 'the code you entered', excerpt: '0x800f0922' },
    ])
  })

  it('a failed history entry without a date is quoted without one', () => {
    const s = edit((x) => {
      if (x.history.status === 'known') x.history.value = x.history.value.map((h) => ({ ...h, date: null }))
    })
    expect(run(s)[0]!.evidence[1]!.excerpt).toBe(
      '  failed  0x800F0922  2026-03 Cumulative Update for Windows 11 Version 24H2 for arm64-based Systems (KB5086672)',
    )
  })

  it('a failed update that has no prerequisite (or is unknown) does not count as a failed cumulative update', () => {
    const s = edit((x) => {
      if (x.history.status === 'known') x.history.value = x.history.value.map((h) => ({ ...h, kb: 'KB9999999' }))
    })
    expect(run(s)[0]).toMatchObject({ severity: 'error' })
    const t = edit((x) => {
      if (x.history.status === 'known') x.history.value = x.history.value.map((h) => ({ ...h, kb: null }))
    })
    expect(run(t)[0]).toMatchObject({ severity: 'error' })
  })

  it('the build not known: "?" where the PC\'s build goes, the branch still named from the checkpoint', () => {
    const s = edit((x) => {
      if (x.os.status === 'known') {
        x.os.value.build = null as unknown as number
        x.os.value.ubr = null
      }
    })
    const [f] = run(s)
    expect(f!.causes[0]).toBe(
      'This PC is at ?.?, below the checkpoint KB5043080 (26100.1742) of Windows 11 24H2; every cumulative update after the checkpoint needs it installed first.',
    )
    expect(f!.technical).toMatch(/ absent at \?\.\?; /)
  })

  it('the OS facts unknown: x64 files by default', () => {
    const s = edit((x) => {
      x.os = { status: 'unknown' } as MachineSnapshot['os']
    })
    expect(run(s)[0]!.remedies[0]!.text).toMatch(/^The x64 MSUs/)
  })

  const checkpointCodes = ['0x800F0922', '0x800F0838', '0x800F081F', '0x80073712', '0x800F0823']
  let ran = 0
  for (const c of checkpointCodes) {
    it(`${c} typed without a failed update raises confidence to 0.75 and is listed`, () => {
      ran++
      expect(run(edit(withoutFailures), c)[0]).toMatchObject({ confidence: 0.75, codes: [c] })
    })
  }
  it('ran every code', () => expect(ran).toBe(5))

  it('no snapshot and 0x800F0838: the exact title, technical line, cause and remedies', () => {
    const [f] = run(null, '0x800F0838')
    expect(f!.title).toBe('A prerequisite (checkpoint) update may be missing')
    expect(f!.technical).toBe('0x800F0838 — name and mapping from community scripts, not Microsoft')
    expect(f!.causes).toEqual([
      'Community scripts for 24H2 and later link this code with a missing checkpoint or a missing earlier cumulative update (unverified). They name it 0x800F0838.',
    ])
    expect(f!.remedies.map((r) => r.id)).toEqual(['R7', 'R4'])
  })
})

describe('missing checkpoint: no failed update and no code (no target to name)', () => {
  it('the technical line ends at the build, two causes, the remedy names only the checkpoint', () => {
    const [f] = run(edit(withoutFailures))
    expect(f!.technical).toBe('Checkpoint cumulative update KB5043080 (26100.1742) absent at 26100.1150')
    expect(f!.causes).toHaveLength(2)
    expect(f!.remedies[0]!.text).toBe(
      "The arm64 MSUs of KB5043080 in one folder (nothing else in it), the target added with DISM: DISM discovers and installs the checkpoint first, in order. Servicing Desk's install does exactly that, with the files fetched from the Microsoft Update Catalog and verified. Restart when asked.",
    )
  })

  it('a typed code adds exactly its own evidence line', () => {
    const [f] = run(edit(withoutFailures), '0x800F0922')
    expect(f!.evidence.map((e) => e.source)).toEqual([
      'Installed packages (DISM)',
      'the code you entered',
      'Get-WindowsPackage -Online (JSON)',
    ])
  })
})
