import { describe, it, expect, beforeEach } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import type { Host, CommandSpec } from '../../../main/host/host.ts'
import { scanMachine } from '../../../main/machine/scan.ts'
import { winreProbe, positionOf } from '../../../main/machine/probes/winre.ts'
import { assessWinre } from '../../../main/diagnose/winre-health.ts'
import { planWinreRepair, resizeScript, predictResizedLayout } from '../../../main/winre/repair-plan.ts'
import { REAGENT_XML_PATH } from '../../../main/machine/winre-commands.ts'
import { loadFixture } from '../../fixtures/load.ts'
import type { Disk, MachineSnapshot, Partition } from '../../../preload/model/snapshot.ts'
import { MachineSnapshotSchema } from '../../../preload/model/snapshot.ts'
import { WinreRepairSchema, WinreHealthSchema } from '../../../preload/model/winre.ts'

const MB = 1024 * 1024
let dir: string
let store: TrainingStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sd-winre-ph-'))
  store = new TrainingStore(dir)
  return () => rmSync(dir, { recursive: true, force: true })
})
const scan = (name: string, host?: Host) => scanMachine(host ?? new TrainingHost(name, store), { probes: undefined })
async function probe(host: Host) {
  return winreProbe.run({ host, signal: new AbortController().signal })
}

/** A Host that answers like the training machine except for the commands named (which fail). */
function failing(inner: Host, names: string[]): Host {
  return {
    info: () => inner.info(),
    openRead: (p) => inner.openRead(p),
    listDir: (p) => inner.listDir(p),
    exists: (p) => inner.exists(p),
    run: async (spec: CommandSpec, o) =>
      names.includes(spec.name)
        ? {
            name: spec.name,
            exitCode: 5,
            stdout: '',
            stderr: 'Access is denied.',
            ok: false,
            timedOut: false,
            cancelled: false,
            truncated: false,
            durationMs: 1,
            commandLine: spec.file,
          }
        : inner.run(spec, o),
  }
}

describe('the WinRE probe', () => {
  it('reads every source and agrees with itself on a training machine', async () => {
    const out = await probe(new TrainingHost('x64-winre-partition-full', store))
    expect(out.value).toMatchObject({
      status: 'enabled',
      location: { disk: 0, partition: 4 },
      version: '10.0.19041.3636',
      imagePresent: true,
      disagreements: [],
      recoveryPartition: { partition: 4, position: 'after', adjacentToOs: true, role: 'recovery' },
      bitlocker: { protectionStatus: 'on', tpmProtector: true },
    })
    expect(out.value.recoveryPartition!.freeBytes).toBe(83 * MB)
    expect(out.evidence[0].excerpt).toMatch(/83 MB free/)
    expect(out.evidence.some((e) => e.source === REAGENT_XML_PATH && /status enabled; WinreBCD/.test(e.excerpt))).toBe(
      true,
    )
  })

  it('says plainly when ReAgent.xml and reagentc disagree (status and version)', async () => {
    const s = store.load('x64-winre-partition-full')
    s.files[REAGENT_XML_PATH] = loadFixture('reagent-xml/disabled-zeroed.xml').text.replace(
      '</WindowsRE>',
      '  <WinreVersion version="10.0.19041.1"/>\n</WindowsRE>',
    )
    store.save(s)
    const out = await probe(new TrainingHost('x64-winre-partition-full', store))
    expect(out.value.status).toBe('enabled')
    expect(out.value.disagreements).toEqual(
      expect.arrayContaining([
        'reagentc /info says WinRE is enabled, ReAgent.xml says disabled.',
        'ReAgent.xml says 10.0.19041.1, but winre.wim as DISM reads it says 10.0.19041.3636.',
      ]),
    )
  })

  it('falls back to ReAgent.xml when reagentc fails, and marks partitions unknown when they cannot be read', async () => {
    const h = new TrainingHost('x64-winre-partition-full', store)
    await h.run({ name: 'winre.reagentc-disable', file: 'reagentc.exe', args: ['/disable'], timeoutMs: 1000 })
    await h.run({ name: 'winre.reagentc-enable', file: 'reagentc.exe', args: ['/enable'], timeoutMs: 1000 })
    const out = await probe(failing(h, ['winre.reagentc-info', 'storage.layout']))
    expect(out.value.status).toBe('enabled')
    expect(out.value.recoveryPartition).toBeNull()
    expect(out.evidence.some((e) => /Partition objects could not be read/.test(e.excerpt))).toBe(true)
  })

  it('a disabled WinRE whose staged image is gone is "image missing"', async () => {
    const s = store.load('arm64-winre-disabled')
    s.winre.stagedImage = false
    store.save(s)
    const out = await probe(new TrainingHost('arm64-winre-disabled', store))
    expect(out.value).toMatchObject({
      status: 'disabled',
      imagePresent: false,
      stagedImagePath: null,
      version: '10.0.26100.7297',
    })
  })

  it('the scan carries the WinRE fact and it validates against the snapshot schema', async () => {
    const snap = await scan('arm64-winre-disabled')
    expect(snap.winre.status).toBe('known')
    expect(MachineSnapshotSchema.safeParse(JSON.parse(JSON.stringify(snap))).success).toBe(true)
  })
})

describe('positionOf', () => {
  const part = (n: number, offset: number, role: Partition['role'] = 'other'): Partition => ({
    diskNumber: 0,
    partitionNumber: n,
    offsetBytes: offset,
    sizeBytes: 100,
    freeBytes: null,
    type: null,
    role,
    driveLetter: null,
    label: null,
    holdsWinre: false,
  })
  const disk: Disk = {
    number: 0,
    sizeBytes: 1000,
    partitionStyle: 'GPT',
    partitions: [
      part(1, 0, 'recovery'),
      part(2, 100, 'system'),
      part(3, 200, 'os'),
      part(4, 300),
      part(5, 400, 'recovery'),
    ],
  }
  const os = disk.partitions[2]
  it('before, after-but-not-adjacent, same, other disk', () => {
    expect(positionOf([disk], disk.partitions[0], os)).toEqual({ position: 'before', adjacentToOs: false })
    expect(positionOf([disk], disk.partitions[4], os)).toEqual({ position: 'after', adjacentToOs: false })
    expect(positionOf([disk], disk.partitions[3], os)).toEqual({ position: 'after', adjacentToOs: true })
    expect(positionOf([disk], os, os)).toEqual({ position: 'same', adjacentToOs: null })
    expect(positionOf([disk], { ...disk.partitions[4], diskNumber: 1 }, os)).toEqual({
      position: 'other-disk',
      adjacentToOs: false,
    })
    expect(positionOf([disk], disk.partitions[4], null)).toEqual({ position: 'unknown', adjacentToOs: null })
  })
})

describe('health and repair planning (pure)', () => {
  const mutate = (
    s: MachineSnapshot,
    f: (w: Extract<MachineSnapshot['winre'], { status: 'known' }>['value']) => void,
  ): MachineSnapshot => {
    const c = structuredClone(s)
    if (c.winre.status === 'known') f(c.winre.value)
    return c
  }
  const plan = (snapshot: MachineSnapshot, extra: Partial<Parameters<typeof planWinreRepair>[0]> = {}) =>
    planWinreRepair({
      id: 'test-repair',
      createdAt: '2026-11-21T00:00:00Z',
      ref: { kind: 'training', name: snapshot.origin.name },
      health: assessWinre(snapshot),
      snapshot,
      safeOsPackage: {
        kb: 'KB5087593',
        fileName: 'windows10.0-kb5087593-x64.cab',
        path: 'C:\\p\\windows10.0-kb5087593-x64.cab',
        source: 'by-name',
      },
      elevated: true,
      ...extra,
    })

  it('outputs validate against their schemas', async () => {
    const snap = await scan('x64-winre-partition-full')
    const h = assessWinre(snap)
    expect(WinreHealthSchema.safeParse(h).success).toBe(true)
    expect(WinreRepairSchema.safeParse(plan(snap)).success).toBe(true)
  })

  it('winre.wim missing: a critical finding, the repair refused, restoring from media explained', async () => {
    const snap = mutate(await scan('arm64-winre-disabled'), (w) => {
      w.imagePresent = false
      w.stagedImagePath = null
    })
    const h = assessWinre(snap)
    expect(h.findings[0]).toMatchObject({ id: 'image-missing', severity: 'critical' })
    expect(h.findings[0].detail).toMatch(/installation media of the same Windows build \(26200\)/)
    const r = plan(snap)
    expect(r.steps).toEqual([])
    expect(r.refused).toMatch(/restored from installation media/)
    expect(r.manual[0].title).toMatch(/Restore winre.wim/)
  })

  it('a recovery partition before Windows: no resize offered, the reason given as a manual step', async () => {
    const snap = mutate(await scan('x64-winre-partition-full'), (w) => {
      w.recoveryPartition!.position = 'before'
      w.recoveryPartition!.adjacentToOs = false
    })
    const h = assessWinre(snap)
    expect(h.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['partition-before-os', 'partition-too-small']))
    const r = plan(snap)
    expect(r.steps.map((s) => s.command.name)).not.toContain('winre.diskpart')
    expect(r.manual.map((m) => m.detail).join(' ')).toMatch(/before the Windows partition/)
    expect(r.layoutAfter).toBeNull()
  })

  it('WinRE on the Windows partition is a finding; not too-small', async () => {
    const snap = mutate(await scan('x64-winre-partition-full'), (w) => {
      w.recoveryPartition = {
        ...w.recoveryPartition!,
        partition: 3,
        role: 'os',
        position: 'same',
        adjacentToOs: null,
        freeBytes: 10 * MB,
      }
    })
    const ids = assessWinre(snap).findings.map((f) => f.id)
    expect(ids).toContain('on-os-partition')
    expect(ids).not.toContain('partition-too-small')
  })

  it('stale without a Safe OS file: no Safe OS steps, a manual "get the KB" instead', async () => {
    const snap = await scan('arm64-winre-disabled')
    const r = plan(snap, { safeOsPackage: null })
    expect(r.steps.map((s) => s.command.name)).toEqual(['winre.reagentc-enable', 'winre.reagentc-info'])
    expect(r.manual[0].title).toBe('Get KB5089593')
    expect(r.expected.version).toBe('10.0.26100.7297')
  })

  it('not elevated: refused with the reason; a snapshot: a note that it runs on that PC', async () => {
    const snap = await scan('arm64-winre-disabled')
    expect(plan(snap, { elevated: false })).toMatchObject({
      steps: [],
      refused: expect.stringMatching(/administrator/),
    })
    expect(plan(snap, { ref: { kind: 'snapshot', id: 'abc' } }).notes.join(' ')).toMatch(/snapshot of another PC/)
  })

  it('unreadable WinRE: the repair is refused with the probe error', async () => {
    const snap = await scan('arm64-winre-disabled')
    const broken = { ...snap, winre: { status: 'unknown' as const, error: 'reagentc timed out', evidence: [] } }
    expect(assessWinre(broken).findings[0]).toMatchObject({ id: 'unreadable', detail: 'reagentc timed out' })
    expect(plan(broken).refused).toMatch(/reagentc timed out/)
  })

  it('MBR disks get "set id=27" and no GPT attributes; the predicted layout moves 250 MB', () => {
    const mk = (style: 'GPT' | 'MBR'): Disk => ({
      number: 1,
      sizeBytes: 10_000 * MB,
      partitionStyle: style,
      partitions: [
        {
          diskNumber: 1,
          partitionNumber: 1,
          offsetBytes: MB,
          sizeBytes: 9_000 * MB,
          freeBytes: 5_000 * MB,
          type: null,
          role: 'os',
          driveLetter: 'C',
          label: null,
          holdsWinre: false,
        },
        {
          diskNumber: 1,
          partitionNumber: 2,
          offsetBytes: 9_001 * MB,
          sizeBytes: 500 * MB,
          freeBytes: 50 * MB,
          type: '0x27',
          role: 'recovery',
          driveLetter: null,
          label: null,
          holdsWinre: true,
        },
      ],
    })
    expect(resizeScript(mk('MBR'), 1, 2)).toContain('create partition primary id=27')
    expect(resizeScript(mk('MBR'), 1, 2).some((l) => l.startsWith('gpt'))).toBe(false)
    expect(resizeScript(mk('GPT'), 1, 2)).toContain('gpt attributes=0x8000000000000001')
    const after = predictResizedLayout(mk('GPT'), 1, 2)
    expect(after.partitions[0].sizeBytes).toBe(8_750 * MB)
    expect(after.partitions[1]).toMatchObject({ offsetBytes: 8_751 * MB, sizeBytes: 750 * MB, freeBytes: 300 * MB })
  })
})
