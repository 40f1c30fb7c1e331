/**
 * Every training machine's scan shows the facts its scenario needs, read through the real probes and
 * parsers from what the training renderers print (the same formats as Windows).
 */
import { describe, it, expect } from 'vitest'
import { scanMachine } from '../../../main/machine/scan.ts'
import { TrainingStore } from '../../../main/training/store.ts'
import { TrainingHost } from '../../../main/training/training-host.ts'
import { trainingProfiles } from '../../../main/training/profiles/index.ts'
import { MachineSnapshotSchema, type MachineSnapshot } from '../../../preload/model/snapshot.ts'
import { tempDirSync } from '../temp-dirs.ts'

const scans = new Map<string, MachineSnapshot>()
async function scan(name: string): Promise<MachineSnapshot> {
  if (!scans.has(name))
    scans.set(name, await scanMachine(new TrainingHost(name, new TrainingStore(tempDirSync('sd-ts-')))))
  return scans.get(name)!
}
function known<K extends 'packages' | 'history' | 'hotfixes' | 'reboot' | 'storage' | 'services'>(
  s: MachineSnapshot,
  k: K,
) {
  const f = s[k]
  if (f.status !== 'known') throw new Error(`${k} is unknown: ${f.error}`)
  return f.value as Extract<MachineSnapshot[K], { status: 'known' }>['value']
}

describe('training machine scans', () => {
  for (const p of trainingProfiles) {
    it(`${p.name}: every fact of this issue is known, with evidence, and the snapshot matches its schema`, async () => {
      const s = await scan(p.name)
      expect(MachineSnapshotSchema.safeParse(s).success).toBe(true)
      for (const k of ['packages', 'history', 'hotfixes', 'reboot', 'storage', 'services'] as const) {
        expect(s[k].status, `${k}: ${s[k].status === 'unknown' ? s[k].error : ''}`).toBe('known')
        expect(s[k].evidence.length).toBeGreaterThan(0)
      }
      expect(known(s, 'services').map((x) => x.name)).toEqual([
        'wuauserv',
        'bits',
        'cryptsvc',
        'trustedinstaller',
        'msiserver',
        'usosvc',
      ])
      expect(known(s, 'packages').packages).toHaveLength(p.packages.length)
    })
  }

  it('arm64-missing-checkpoint: no checkpoint baseline, and KB5086672 failed with 0x800F0922', async () => {
    const s = await scan('arm64-missing-checkpoint')
    const pk = known(s, 'packages')
    expect(pk.lcu).toMatchObject({ build: 26100, ubr: 1150 })
    expect(pk.checkpoint).toMatchObject({ kb: 'KB5043080', build: 26100, ubr: 1742, present: false })
    expect(pk.packages.every((x) => x.arch === 'arm64')).toBe(true)
    const failed = known(s, 'history').filter((h) => h.result === 'failed')
    expect(failed.map((h) => [h.kb, h.hresult])).toEqual([
      ['KB5086672', '0x800F0922'],
      ['KB5086672', '0x800F0922'],
    ])
    expect(known(s, 'reboot').pending).toBe(false)
    expect(known(s, 'storage').bitlocker).toEqual({
      protectionStatus: 'on',
      encryptionPercentage: 100,
      tpmProtector: true,
      recoveryPassword: true,
    })
  })

  it('x64-pending-restart: each restart signal reported with its evidence, the staged LCU Install Pending, CBS_E_PENDING in history', async () => {
    const s = await scan('x64-pending-restart')
    const rb = known(s, 'reboot')
    expect(rb.pending).toBe(true)
    expect(rb.sources.filter((x) => x.pending).map((x) => x.id)).toEqual([
      'cbs-reboot-pending',
      'cbs-packages-pending',
      'cbs-pending-xml',
      'wu-reboot-required',
      'pending-file-rename',
    ])
    expect(s.reboot.evidence.find((e) => /RebootPending/.test(e.source))?.excerpt).toMatch(/^PENDING:/)
    const pk = known(s, 'packages')
    expect(pk.packages.find((x) => x.version === '26100.8655.1.14')).toMatchObject({
      state: 'install-pending',
      arch: 'x64',
    })
    expect(pk.lcu?.ubr).toBe(8117)
    expect(known(s, 'history')[0]).toMatchObject({ kb: 'KB5095011', result: 'failed', hresult: '0x800F0806' })
  })

  it('x64-component-store-corrupt: the November LCU failed with 0x80073712', async () => {
    const h = known(await scan('x64-component-store-corrupt'), 'history')
    expect(h.filter((x) => x.result === 'failed').map((x) => x.hresult)).toEqual(['0x80073712', '0x80073712'])
  })

  it('x64-winre-partition-full: the recovery partition holds WinRE and has about 83 MB free; KB5034441 failed with 0x80070643', async () => {
    const s = await scan('x64-winre-partition-full')
    const rec = known(s, 'storage').disks[0].partitions.find((x) => x.role === 'recovery')!
    expect(rec.holdsWinre).toBe(true)
    expect(Math.round(rec.freeBytes! / 1024 / 1024)).toBe(83)
    expect(
      known(s, 'history')
        .filter((x) => x.result === 'failed')
        .map((x) => [x.kb, x.hresult]),
    ).toEqual([
      ['KB5034441', '0x80070643'],
      ['KB5034441', '0x80070643'],
    ])
  })

  it('arm64-winre-disabled: no partition holds WinRE (reagentc names no location)', async () => {
    const s = await scan('arm64-winre-disabled')
    const parts = known(s, 'storage').disks[0].partitions
    expect(parts.some((x) => x.holdsWinre)).toBe(false)
    expect(parts.find((x) => x.role === 'recovery')).toBeTruthy()
    expect(s.storage.evidence[0].excerpt).toMatch(/did not name a WinRE location/)
  })

  it('x64-healthy: checkpoint present, nothing pending, no failure in history', async () => {
    const s = await scan('x64-healthy')
    expect(known(s, 'packages').checkpoint.present).toBe(true)
    expect(known(s, 'packages').lcu?.ubr).toBe(8655)
    expect(known(s, 'reboot').pending).toBe(false)
    expect(known(s, 'history').some((x) => x.result === 'failed')).toBe(false)
    expect(known(s, 'storage').systemDrive.freeBytes).toBeGreaterThan(100 * 1024 ** 3)
  })
})
