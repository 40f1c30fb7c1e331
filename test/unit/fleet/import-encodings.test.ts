/**
 * Every export read as the tools write it. The same UCUpdateAlert export (its columns as the
 * training fleet writes them from the schema page, main/fleet/training/fleet-generator.ts) stored in each encoding
 * Windows and the portals produce: UTF-8 with and without a BOM, UTF-16LE (Windows PowerShell 5.1's `>` and
 * `Out-File`) with its BOM and without, UTF-16BE, the ANSI code page (`Out-File -Encoding Default`: Windows-1252).
 * Every row is accounted for; the kind comes from the header, never from a word in the text; an unknown file is
 * named with what it is.
 */
import { describe, it, expect, vi } from 'vitest'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { tempDirSync } from '../temp-dirs.ts'
import { createFleet } from '../../../main/fleet/fleet-service.ts'
import { csvText } from '../../../main/fleet/intake/csv.ts'
import { UC_ALERT_COLUMNS } from '../../../main/fleet/training/fleet-generator.ts'
import { IMPORT_BATCH, IMPORT_PART } from '../../../main/fleet/intake/read-export.ts'
import { csvRecordsOf, type CsvItem } from '../../../main/fleet/intake/source.ts'

function fleetIn() {
  const home = tempDirSync('sd-fleet-enc-')
  return {
    home,
    fleet: createFleet({
      dataDir: home,
      appVersion: 'test',
      diagnoseFile: async () => {
        throw new Error('no collected files here')
      },
    }),
  }
}

/** 11 alert rows, one description in German (ö, ß: in Windows-1252 and not ASCII). */
function alertsCsv(): string {
  const rows = Array.from({ length: 11 }, (_, i) => {
    const r: Record<string, string> = {
      TenantId: '00000000-0000-0000-0000-000000000001',
      'TimeGenerated [UTC]': '11/20/2026, 9:00:00.000 AM',
      AzureADDeviceId: `11111111-2222-3333-4444-${String(i).padStart(12, '0')}`,
      DeviceName: `PC-${String(i).padStart(4, '0')}`,
      AlertId: `a${i}`,
      AlertClassification: 'Error',
      AlertType: 'ClientUpdateAlert',
      AlertSubtype: 'InstallFailure',
      AlertStatus: 'Active',
      ErrorCode: '0x80070002',
      Description: i === 3 ? 'Installation fehlgeschlagen: Größe' : 'Install failed',
      'StartTime [UTC]': '11/20/2026, 8:00:00.000 AM',
      Type: 'UCUpdateAlert',
    }
    return UC_ALERT_COLUMNS.map((c) => r[c] ?? '')
  })
  return csvText([[...UC_ALERT_COLUMNS], ...rows])
}

const ENCODINGS: [string, (t: string) => Buffer, string | null][] = [
  ['UTF-8', (t) => Buffer.from(t, 'utf8'), null],
  ['UTF-8 with a BOM', (t) => Buffer.from(`\uFEFF${t}`, 'utf8'), null],
  [
    'UTF-16LE with a BOM (Out-File in Windows PowerShell 5.1)',
    (t) => iconv.encode(t, 'utf16le', { addBOM: true }),
    'UTF-16LE',
  ],
  ['UTF-16LE without a BOM', (t) => iconv.encode(t, 'utf16le', { addBOM: false }), 'UTF-16LE'],
  ['UTF-16BE with a BOM', (t) => iconv.encode(t, 'utf16be', { addBOM: true }), 'UTF-16BE'],
  ['the ANSI code page (Windows-1252)', (t) => iconv.encode(t, 'windows1252'), 'Windows-1252'],
]

describe('an export in each encoding', () => {
  it.each(ENCODINGS)('reads every row of the alert export in %s', async (_name, encode, note) => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'alerts.csv')
    writeFileSync(f, encode(alertsCsv()))
    try {
      const sum = await fleet.importPath(f)
      expect(sum.files[0]).toMatchObject({ kind: 'uc-update-alert', observations: 11, rejected: 0 })
      expect(sum.devices).toBe(11)
      if (note) expect(sum.files[0]!.notes.join(' ')).toContain(note)
      const d = await fleet.store.device('PC-0003')
      expect(d?.observations[0]?.detail).toContain('Größe')
    } finally {
      await fleet.close()
    }
  })
})

describe('the kind of a file', () => {
  it('is not told by a word in its text: notes that mention AlertStatus and one collector line are refused with what they are', async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'notes.txt')
    writeFileSync(
      f,
      'Meeting notes\r\nWe looked at AlertStatus in UCUpdateAlert and the ClientSubstate of a few PCs.\r\nOne PC printed SDC1 host=PC-1 taken=2026-11-20T10:00:00.000Z codes=0x80070002\r\nNext steps: export the report.\r\n',
    )
    try {
      await expect(fleet.importPath(f)).rejects.toThrow(
        /Cannot tell what notes\.txt is\. It is text with no header row.*Export instead/,
      )
    } finally {
      await fleet.close()
    }
  })
  it('names a table it does not read by its columns', async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'other.csv')
    writeFileSync(f, 'Computer,Owner,Room\r\nPC-1,Ann,12\r\n')
    try {
      await expect(fleet.importPath(f)).rejects.toThrow(/a table with the columns Computer, Owner, Room/)
    } finally {
      await fleet.close()
    }
  })
})

describe('a large export', () => {
  it('is stored in batches, each its own transaction, with every line accounted for', async () => {
    const { home, fleet } = fleetIn()
    const f = join(home, 'lines.txt')
    const n = IMPORT_BATCH * 2 + 123
    const lines: string[] = []
    for (let i = 0; i < n; i++)
      lines.push(
        `SDC1 host=PC-${i} taken=2026-11-21T10:00:00.000Z build=26100.8117 arch=AMD64 winre=enabled codes=0x800F0922 file=C:\\x\\PC-${i}.zip`,
      )
    lines.splice(7, 0, 'not a line')
    writeFileSync(f, `${lines.join('\r\n')}\r\n`)
    const add = vi.spyOn(fleet.store, 'addObservations')
    await fleet.ready()
    // The rows each transaction holds when it commits (the last is the refresh's, after the file).
    const committed: number[] = []
    const db = fleet.store.db
    const commit = db.commit.bind(db)
    vi.spyOn(db, 'commit').mockImplementation(async () => {
      committed.push((await db.get<{ n: number }>('SELECT count(*) AS n FROM observations'))!.n)
      return commit()
    })
    try {
      const sum = await fleet.importPath(f)
      // Handed over in parts of IMPORT_PART rows, stored in transactions of IMPORT_BATCH rows.
      expect(Math.max(...add.mock.calls.map((c) => c[0].length))).toBe(IMPORT_PART)
      expect(committed).toEqual([IMPORT_BATCH, IMPORT_BATCH * 2, n, n])
      expect(sum.files[0]).toMatchObject({ observations: n, added: n, rejected: 1 })
      expect(sum.rejected).toEqual([{ file: f, row: 8, error: expect.stringMatching(/not a collector line/) }])
      expect(sum.devices).toBe(n)
    } finally {
      await fleet.close()
    }
  })
})

describe('a CSV export read a chunk at a time', () => {
  it('hands on each record with the line csv-parse counts it ending on, and a record it cannot read as an error at its line', async () => {
    // A quoted field over two lines, an empty line, LF and CR endings, a doubled quote, a short record, a quote never closed.
    const text = 'a,b,c\r\n1,"x\r\ny",3\r\n\r\n4,5,6\n7,"8""q",9\r10,11\r\n"bad,12,13\r\n14,15,16\r\n'
    // The lines as csv-parse's own record info (`info: true`) numbered them before records were taken as it parses.
    const want = [
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x\r\ny', '3'], line: 4 },
      { fields: ['4', '5', '6'], line: 6 },
      { fields: ['7', '8"q', '9'], line: 7 },
      { fields: ['10', '11'], line: 8 },
      { error: 'a quoted field is not closed (the rest of the file is inside it)', line: 12 },
    ]
    for (const size of [1, 2, 5, 64 * 1024]) {
      async function* chunks() {
        const b = Buffer.from(text)
        for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size)
      }
      const got: CsvItem[] = []
      for await (const part of csvRecordsOf(chunks())) got.push(...part)
      expect(got, `chunks of ${size} bytes`).toEqual(want)
    }
  })
})
