/**
 * The collector's file opened as a machine: a training machine's collected zip gives the same facts as the
 * live machine and its findings cite lines of the zip's CBS.log; a damaged, truncated or hostile zip is one
 * plain sentence and nothing is kept.
 */
import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { createServices } from '../../../main/services.ts'
import { readZip, writeZip, ZipError } from '../../../main/collector/zip.ts'
import { readCollectorArchive, writeCollectorArchive, CollectorArchiveError } from '../../../main/collector/archive.ts'
import { CollectorSnapshotSchema } from '../../../preload/model/collector.ts'
import { tempDirSync } from '../temp-dirs.ts'

const dir = tempDirSync('sd-collector-')
const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
const machine = 'x64-component-store-corrupt'
const zip = await services.collect({ kind: 'training', name: machine })
const zipFile = join(dir, 'before.zip')
writeFileSync(zipFile, zip)

const strip = (s: object) => {
  const { takenAt: _t, origin: _o, probeTimings: _p, appVersion: _a, ...rest } = s as Record<string, unknown>
  return JSON.parse(JSON.stringify(rest))
}

describe('a collector file opened as a machine', () => {
  it('gives the facts the live machine gives', async () => {
    const live = await services.scan({ kind: 'training', name: machine })
    const { snapshot } = await services.loadSnapshotFile(zipFile)
    expect(snapshot.origin).toMatchObject({ kind: 'snapshot', name: 'HD-DESK-114' })
    expect(strip(snapshot)).toEqual(strip(live))
  })

  it("is diagnosed from its own logs: a finding cites a line of the zip's CBS.log", async () => {
    const { id } = await services.loadSnapshotFile(zipFile)
    const out = await services.diagnose({ machine: { kind: 'snapshot', id } })
    const store = out.findings.find((f) => /component store/i.test(f.title))
    expect(store).toBeDefined()
    expect(
      store!.evidence.some(
        (e) =>
          /CBS\\CBS\.log/.test(e.source) &&
          /line \d+/.test(e.excerpt + e.source) &&
          /0x80073712|Hydration failed|Payload Corrupt|manifest missing/.test(e.excerpt),
      ),
    ).toBe(true)
    expect(out.notes.join(' ')).not.toMatch(/carries no logs/)
  })

  it('holds the schema, the manifest and the log tails', () => {
    const a = readCollectorArchive(zip)
    expect(CollectorSnapshotSchema.safeParse(a.snapshot).success).toBe(true)
    expect([...a.files.keys()]).toContain('c:\\windows\\logs\\cbs\\cbs.log')
    expect(a.snapshot.files.some((f) => f.from?.endsWith('.cab'))).toBe(true)
  })
})

describe('a damaged, truncated or hostile collector file', () => {
  const entries = readZip(zip)
  const rezip = (change: (m: Map<string, Buffer>) => void) => {
    const m = new Map(entries)
    change(m)
    return writeZip([...m].map(([name, data]) => ({ name, data })))
  }
  const refused = async (buf: Buffer) => {
    const f = join(dir, `bad-${Math.random().toString(36).slice(2)}.zip`)
    writeFileSync(f, buf)
    const before = (await services.listTrainingMachines()).machines.length
    const err = await services.loadSnapshotFile(f).then(
      () => null,
      (e: Error) => e,
    )
    expect(err, 'refused').not.toBeNull()
    expect(err!.message.split(/(?<=[.:])\s+(?=[A-Z])/).length, err!.message).toBeLessThanOrEqual(2)
    expect((await services.listTrainingMachines()).machines.length).toBe(before)
    return err!.message
  }

  it('truncated', async () => {
    expect(await refused(zip.subarray(0, Math.floor(zip.length / 2)))).toMatch(/truncated|damaged/)
  })
  it('one byte changed in a log', async () => {
    const name = 'files/C/Windows/Logs/CBS/CBS.log'
    expect(
      await refused(
        rezip((m) => {
          const b = Buffer.from(m.get(name)!)
          b[10] ^= 1
          m.set(name, b)
        }),
      ),
    ).toMatch(/SHA-256/)
  })
  it('an entry the manifest does not list', async () => {
    expect(await refused(rezip((m) => m.set('files/extra.txt', Buffer.from('x'))))).toMatch(/does not list/)
  })
  it('not a zip at all', async () => {
    expect(await refused(Buffer.from('PK\u0003\u0004 not really a zip'))).toMatch(/cannot be opened/)
  })
  it('a snapshot.json of another shape', async () => {
    const bad = { ...readCollectorArchive(zip).snapshot, computerName: '' }
    expect(() => writeCollectorArchive(bad, new Map())).toThrow()
    expect(
      await refused(rezip((m) => m.set('snapshot.json', Buffer.from('{"format":"servicing-desk-collector"}')))),
    ).toMatch(/SHA-256|damaged/)
  })

  it('path traversal, absolute and drive-letter names', () => {
    for (const name of [
      '../evil.txt',
      'files/../../evil',
      '/etc/passwd',
      'C:/Windows/x',
      'files\\..\\x',
      'a/./b',
      'x\u0000y',
    ]) {
      const z = handZip([{ name, data: Buffer.from('hi') }])
      expect(() => readZip(z), name).toThrow(ZipError)
      expect(() => readZip(z), name).toThrow(/unsafe name/)
    }
  })

  it('a zip bomb: an entry that inflates past its stated size, or states more than the limit', () => {
    const big = Buffer.alloc(8 * 1024 * 1024)
    expect(() => readZip(handZip([{ name: 'a.txt', data: big, statedSize: 1000 }]))).toThrow(/stated size|checksum/)
    expect(() => readZip(handZip([{ name: 'a.txt', data: Buffer.alloc(10), statedSize: 200 * 1024 * 1024 }]))).toThrow(
      /at most/,
    )
    const many = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.txt`, data: big }))
    expect(() =>
      readZip(handZip(many), { maxEntries: 300, maxEntryBytes: 32 * 1024 * 1024, maxTotalBytes: 30 * 1024 * 1024 }),
    ).toThrow(/unpacks to more than/)
  })

  it('duplicate names and encrypted entries', () => {
    expect(() =>
      readZip(
        handZip([
          { name: 'a.txt', data: Buffer.from('1') },
          { name: 'A.txt', data: Buffer.from('2') },
        ]),
      ),
    ).toThrow(/twice/)
    expect(() => readZip(handZip([{ name: 'a.txt', data: Buffer.from('1'), flags: 1 }]))).toThrow(/encrypted/)
  })

  it('the archive reader turns every zip error into its own one sentence', () => {
    expect(() => readCollectorArchive(handZip([{ name: '../x', data: Buffer.from('1') }]))).toThrow(
      CollectorArchiveError,
    )
  })
})

/** A zip built by hand, so a test can plant what writeZip refuses (unsafe names, lying sizes, flags). */
function handZip(items: { name: string; data: Buffer; statedSize?: number; flags?: number }[]): Buffer {
  const { crc32 } = process.getBuiltinModule('node:zlib') as typeof import('node:zlib')
  const parts: Buffer[] = [],
    cen: Buffer[] = []
  let off = 0
  for (const it of items) {
    const name = Buffer.from(it.name, 'utf8'),
      packed = deflateRawSync(it.data),
      size = it.statedSize ?? it.data.length
    const loc = Buffer.alloc(30)
    loc.writeUInt32LE(0x04034b50, 0)
    loc.writeUInt16LE(8, 8)
    loc.writeUInt32LE(crc32(it.data), 14)
    loc.writeUInt32LE(packed.length, 18)
    loc.writeUInt32LE(size, 22)
    loc.writeUInt16LE(name.length, 26)
    const c = Buffer.alloc(46)
    c.writeUInt32LE(0x02014b50, 0)
    c.writeUInt16LE((it.flags ?? 0) | 0x800, 8)
    c.writeUInt16LE(8, 10)
    c.writeUInt32LE(crc32(it.data), 16)
    c.writeUInt32LE(packed.length, 20)
    c.writeUInt32LE(size, 24)
    c.writeUInt16LE(name.length, 28)
    c.writeUInt32LE(off, 42)
    parts.push(loc, name, packed)
    cen.push(c, name)
    off += 30 + name.length + packed.length
  }
  const cd = Buffer.concat(cen),
    end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(items.length, 8)
  end.writeUInt16LE(items.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(off, 16)
  return Buffer.concat([...parts, cd, end])
}
