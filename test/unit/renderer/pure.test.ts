/** The renderer's pure pieces: flow order, routes, text decoding, package filters, chain and timeline layout, health. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { diagnosisScreenOf, firstOfStep, flowOrder, neighbours } from '../../../renderer/src/flow.ts'
import { paramOf, screenOf } from '../../../renderer/src/router.ts'
import { decodeTextBytes } from '../../../renderer/src/text-decode.ts'
import { choicesOf, filterPackages, noFilter } from '../../../renderer/src/components/package-filter.ts'
import { chainItems, positionOf, stagedUbrs } from '../../../renderer/src/components/chain-items.ts'
import { timelineMarks } from '../../../renderer/src/components/history-timeline.tsx'
import { partitionBoxes } from '../../../renderer/src/components/disk-layout.tsx'
import { assessHealth, formatBytes } from '../../../preload/model/health.ts'
import type { ScreenDef } from '../../../renderer/src/screen-registry.ts'
import type {
  InstalledPackage,
  MachineSnapshot,
  UpdateHistoryEntry,
  WinreFact,
} from '../../../preload/model/snapshot.ts'
import { chainOfBuild } from '../../../main/report/chain-of-build.ts'

const C = () => null
const screens: ScreenDef[] = [
  { id: 'start', label: 'Start', step: 1, component: C },
  { id: 'paste', label: 'Paste', component: C },
  { id: 'proof', label: 'Proof', step: 4, component: C },
  { id: 'overview', label: 'Overview', step: 1, component: C },
  { id: 'install', label: 'Install', step: 3, component: C },
  { id: 'diagnosis', label: 'Diagnosis', step: 2, component: C },
]

describe('guided flow', () => {
  it('walks steps in order, registry order within a step, and leaves expert tools out', () => {
    expect(flowOrder(screens).map((s) => s.id)).toEqual(['start', 'overview', 'diagnosis', 'install', 'proof'])
    expect(neighbours(screens, 'overview')).toMatchObject({ prev: { id: 'start' }, next: { id: 'diagnosis' } })
    expect(neighbours(screens, 'proof').next).toBeNull()
    expect(neighbours(screens, 'paste')).toEqual({ prev: null, next: null })
    expect(firstOfStep(screens, 3)?.id).toBe('install')
    expect(
      firstOfStep(
        screens.filter((s) => s.step !== 3),
        3,
      ),
    ).toBeNull()
    expect(diagnosisScreenOf(screens)).toBe('diagnosis')
    expect(diagnosisScreenOf(screens.filter((s) => s.id !== 'diagnosis'))).toBeNull()
  })
})

describe('routes', () => {
  it('reads the screen and its parameters from the hash', () => {
    expect(screenOf('')).toBe('start')
    expect(screenOf('diagnosis?code=0x800F0922')).toBe('diagnosis')
    expect(paramOf('diagnosis?code=0x800F0922', 'code')).toBe('0x800F0922')
    expect(paramOf('diagnosis', 'code')).toBeNull()
    expect(paramOf('x?code=%3Cb%3E', 'code')).toBe('<b>')
  })
})

describe('decodeTextBytes', () => {
  const text = 'Host Name: PC-Ä€\r\nOS Version: 10.0.26100'
  it('reads UTF-16 LE and BE with a byte-order mark (PowerShell 5.1 Out-File)', () => {
    expect(decodeTextBytes(new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]))).toBe(text)
    const be = Buffer.from(text, 'utf16le').swap16()
    expect(decodeTextBytes(new Uint8Array([0xfe, 0xff, ...be]))).toBe(text)
  })
  it('recognises UTF-16 without a mark by its zero bytes', () => {
    expect(decodeTextBytes(new Uint8Array(Buffer.from(text, 'utf16le')))).toBe(text)
    expect(decodeTextBytes(new Uint8Array(Buffer.from(text, 'utf16le').swap16()))).toBe(text)
  })
  it('reads UTF-8 with or without a mark, and empty input', () => {
    expect(decodeTextBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]))).toBe(text)
    expect(decodeTextBytes(new Uint8Array(Buffer.from(text)))).toBe(text)
    expect(decodeTextBytes(new Uint8Array())).toBe('')
    expect(decodeTextBytes(new Uint8Array([0xff]))).toBe('\uFFFD')
  })
  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => typeof decodeTextBytes(b) === 'string'))
  })
})

const pkg = (
  identity: string,
  state: InstalledPackage['state'],
  releaseType: string | null,
  kb: string | null = null,
): InstalledPackage => ({ identity, kb, arch: 'x64', version: null, state, releaseType, installTime: null })

describe('package filters', () => {
  const list = [
    pkg('Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1150.1.10', 'installed', 'Security Update', 'KB5040435'),
    pkg('Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1742.1.10', 'install-pending', 'Update', 'KB5043080'),
    pkg('Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~10.0.26100.1', 'installed', null),
  ]
  it('filters by state, release type and text (identity or KB, any case)', () => {
    expect(filterPackages(list, noFilter)).toHaveLength(3)
    expect(filterPackages(list, { ...noFilter, state: 'install-pending' }).map((p) => p.kb)).toEqual(['KB5043080'])
    expect(filterPackages(list, { ...noFilter, releaseType: 'Security Update' })).toHaveLength(1)
    expect(filterPackages(list, { ...noFilter, text: ' kb5043080 ' })).toHaveLength(1)
    expect(filterPackages(list, { ...noFilter, text: 'rollupfix', state: 'install-pending' })).toEqual([])
  })
  it('offers the distinct values present', () => {
    expect(choicesOf(list, 'state')).toEqual(['install-pending', 'installed'])
    expect(choicesOf(list, 'releaseType')).toEqual(['Security Update', 'Update'])
  })
})

describe('update chain', () => {
  const chain = chainOfBuild(26100)
  it('marks the checkpoint missing below it, and installed at or above it', () => {
    const below = chainItems(chain, 1150, new Set(['KB5086672']))
    expect(below.find((i) => i.kb === 'KB5043080')?.state).toBe('missing')
    expect(below.find((i) => i.kb === 'KB5086672')?.state).toBe('failed')
    expect(positionOf(below, 1150)).toBe(-1)
    const above = chainItems(chain, 8117, new Set())
    expect(above.find((i) => i.kb === 'KB5043080')?.state).toBe('installed')
    expect(above.find((i) => i.kb === 'KB5086672')?.state).toBe('installed')
    expect(above.find((i) => i.kb === 'KB5083769')?.state).toBe('not-installed')
    expect(above[positionOf(above, 8117)].kb).toBe('KB5086672')
  })
  it('keeps the picture short: checkpoint, the PC’s update, the next, failed ones and the newest', () => {
    expect(chain.updates.length).toBeGreaterThan(10)
    // The chain ends at the branch's newest update (KB5129195), the one `knowledge` and media name: the optional
    // preview KB5124010 released after it is not drawn as a newer step.
    expect(chainItems(chain, 8117, new Set()).map((i) => i.kb)).toEqual([
      'KB5043080',
      'KB5086672',
      'KB5083769',
      'KB5129195',
    ])
    expect(chainItems(chain, 1150, new Set(['KB5086672'])).map((i) => i.kb)).toEqual([
      'KB5043080',
      'KB5086672',
      'KB5129195',
    ])
    // An update whose build rests on one secondary source says so in the picture.
    expect(chainItems(chainOfBuild(22631), 7584, new Set(), 22631).find((i) => i.kb === 'KB5129242')?.build).toBe(
      '22631.7584 (unverified)',
    )
    expect(chainItems(chain, 9168, new Set()).find((i) => i.kb === 'KB5121003')?.build).toBe('26100.9168')
  })
  it('names the update by the machine’s own build on a branch that shares the servicing base (25H2)', () => {
    const items = chainItems(chainOfBuild(26200), 8117, new Set(), 26200)
    expect(items.find((i) => i.kb === 'KB5086672')).toMatchObject({ build: '26200.8117', state: 'installed' })
    // The checkpoint keeps its own build: KB5043080 is 26100.1742, on a 25H2 PC too.
    expect(items.find((i) => i.kb === 'KB5043080')).toMatchObject({ build: '26100.1742', checkpoint: true })
  })
  it('shows an update installed and waiting for the restart as staged, kept in the short picture', () => {
    // A cumulative update above the PC's level whose package is installed and waits for the restart (x64-pending-restart).
    const target = chain.updates.find((u) => !u.checkpoint && u.ubr > 8117 && u.ubr < 9168)!
    const items = chainItems(chain, 8117, new Set(), null, new Set([target.ubr]))
    expect(items.find((i) => i.kb === target.kb)?.state).toBe('staged')
    expect(items.find((i) => i.kb === 'KB5086672')?.state).toBe('installed')
    expect(
      stagedUbrs([
        { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.14', state: 'install-pending' },
        { identity: 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8117.1.7', state: 'installed' },
        { identity: 'Package_for_KB5043080~31bf3856ad364e35~amd64~~26100.1742.1.10', state: 'install-pending' },
      ]),
    ).toEqual(new Set([8655]))
  })
  it('with an unknown level nothing is claimed installed', () => {
    expect(chainItems(chain, null, new Set()).some((i) => i.state === 'installed')).toBe(false)
  })
})

describe('timeline and disk layout', () => {
  const h = (date: string | null, result: UpdateHistoryEntry['result']): UpdateHistoryEntry => ({
    title: 't',
    kb: null,
    date,
    operation: 'install',
    result,
    hresult: null,
  })
  it('places entries by date, stacks close ones, skips undated or unparseable dates', () => {
    const { marks, from, to } = timelineMarks([
      h('2026-04-15T02:00:00Z', 'failed'),
      h('2024-07-10T09:00:00Z', 'succeeded'),
      h(null, 'failed'),
      h('garbage', 'failed'),
      h('2026-04-15T03:00:00Z', 'aborted'),
    ])
    expect(marks.map((m) => m.kind)).toEqual(['succeeded', 'failed', 'failed'])
    expect(from).toBe('2024-07-10')
    expect(to).toBe('2026-04-15')
    expect(marks[0].x).toBeLessThan(marks[1].x)
    expect(marks[2].y).toBeLessThan(marks[1].y)
    expect(timelineMarks([])).toEqual({ marks: [], from: null, to: null })
  })
  it('draws partitions to scale, and a tiny one still visible', () => {
    const GB = 1024 ** 3
    const boxes = partitionBoxes(
      {
        number: 0,
        sizeBytes: 100 * GB,
        partitionStyle: 'GPT',
        partitions: [
          {
            diskNumber: 0,
            partitionNumber: 2,
            offsetBytes: GB,
            sizeBytes: 98 * GB,
            freeBytes: null,
            type: null,
            role: 'os',
            driveLetter: 'C',
            label: null,
            holdsWinre: false,
          },
          {
            diskNumber: 0,
            partitionNumber: 1,
            offsetBytes: 1024 * 1024,
            sizeBytes: 1024 * 1024,
            freeBytes: null,
            type: null,
            role: 'msr',
            driveLetter: null,
            label: null,
            holdsWinre: false,
          },
        ],
      },
      1000,
    )
    expect(boxes.map((b) => b.p.partitionNumber)).toEqual([1, 2])
    expect(boxes[1].w).toBeCloseTo(980)
    expect(boxes[1].x).toBeCloseTo(10)
    expect(boxes[0].w).toBe(2)
  })
})

describe('assessHealth', () => {
  const unknownAll = (): MachineSnapshot => ({
    schemaVersion: 1,
    takenAt: '2026-01-01T00:00:00Z',
    origin: { kind: 'snapshot', name: 'PC', title: 'PC' },
    appVersion: '1',
    probeTimings: {},
    os: { status: 'unknown', error: 'no os', evidence: [] },
    packages: { status: 'unknown', error: 'DISM timed out', evidence: [] },
    history: { status: 'unknown', error: 'x', evidence: [] },
    hotfixes: { status: 'unknown', error: 'x', evidence: [] },
    reboot: { status: 'unknown', error: 'access denied', evidence: [] },
    storage: { status: 'unknown', error: 'x', evidence: [] },
    services: { status: 'unknown', error: 'x', evidence: [] },
    winre: { status: 'unknown', error: 'reagentc failed', evidence: [] },
  })
  it('takes the diagnosis into account: a problem found for an area is never an OK tile; a note changes nothing', () => {
    const s = unknownAll()
    s.winre = {
      status: 'known',
      evidence: [],
      value: {
        status: 'enabled',
        location: null,
        bcdId: null,
        version: '10.0.19041.3636',
        stagedImagePath: null,
        imagePresent: true,
        disagreements: [],
      } as unknown as WinreFact,
    }
    expect(assessHealth(s).find((c) => c.id === 'winre')!.level).toBe('ok')
    const stale = assessHealth(s, undefined, [
      { id: 'winre-stale', title: 'WinRE is out of date', severity: 'warning' },
    ]).find((c) => c.id === 'winre')!
    expect(stale).toMatchObject({ level: 'warn', value: 'problem found' })
    expect(stale.detail).toMatch(/^The diagnosis found: WinRE is out of date\./)
    const corrupt = assessHealth(s, undefined, [
      { id: 'component-store-corruption', title: 'The component store is damaged', severity: 'critical' },
    ]).find((c) => c.id === 'packages')!
    expect(corrupt.level).toBe('bad')
    const note = assessHealth(s, undefined, [{ id: 'emulated-process', title: 'Emulated', severity: 'info' }])
    expect(note).toEqual(assessHealth(s))
  })
  it('says unknown with the probe’s reason, never a guess', () => {
    const checks = assessHealth(unknownAll())
    expect(checks.map((c) => c.level)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
      'unknown',
    ])
    expect(checks[0].detail).toBe('DISM timed out')
    expect(checks[4].detail).toBe('reagentc failed')
  })
  it('flags low space, disabled services, a pending restart and a full recovery partition', () => {
    const s = unknownAll()
    const GB = 1024 ** 3
    s.storage = {
      status: 'known',
      evidence: [],
      value: {
        systemDrive: { letter: 'C', sizeBytes: 100 * GB, freeBytes: 5 * GB },
        bitlocker: { protectionStatus: 'off', encryptionPercentage: null, tpmProtector: null },
        disks: [
          {
            number: 0,
            sizeBytes: 100 * GB,
            partitionStyle: 'GPT',
            partitions: [
              {
                diskNumber: 0,
                partitionNumber: 4,
                offsetBytes: 99 * GB,
                sizeBytes: 500 * 1024 * 1024,
                freeBytes: 83 * 1024 * 1024,
                type: null,
                role: 'recovery',
                driveLetter: null,
                label: null,
                holdsWinre: true,
              },
            ],
          },
        ],
      },
    }
    s.services = {
      status: 'known',
      evidence: [],
      value: [{ name: 'wuauserv', displayName: null, status: 'stopped', startType: 'disabled' }],
    }
    s.reboot = {
      status: 'known',
      evidence: [],
      value: { pending: true, sources: [{ id: 'cbs', label: 'CBS RebootPending', pending: true, detail: '' }] },
    }
    // Only the fields the check reads; the WinRE fact has more (its probe's own).
    s.winre = {
      status: 'known',
      evidence: [],
      value: {
        status: 'enabled',
        location: null,
        bcdId: null,
        version: '10.0.19041.3636',
        stagedImagePath: null,
        imagePresent: true,
        disagreements: [],
      } as unknown as WinreFact,
    }
    const byId = Object.fromEntries(assessHealth(s).map((c) => [c.id, c]))
    expect(byId.space.level).toBe('bad')
    expect(byId.services.level).toBe('bad')
    // Plain words in front, the identifiers on the technical part.
    expect(byId.services.detail).toContain('Windows Update')
    expect(byId.services.detail).not.toContain('wuauserv')
    expect(byId.services.technical).toContain('wuauserv')
    expect(byId.restart).toMatchObject({ level: 'warn' })
    expect(byId.restart.detail).toContain('Windows servicing')
    expect(byId.restart.technical).toContain('CBS RebootPending')
    // Too small for a WinRE update is a problem (the update fails with 0x80070643), not mere attention.
    expect(byId.winre).toMatchObject({ level: 'bad', value: '83 MB free' })
  })
  it('formats sizes plainly', () => {
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB')
    expect(formatBytes(83 * 1024 ** 2)).toBe('83 MB')
    expect(formatBytes(-1)).toBe('?')
    expect(formatBytes(Number.NaN)).toBe('?')
  })
})
