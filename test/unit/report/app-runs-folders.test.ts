/**
 * readAppRuns skips the journals' reader when none of the folders it reads holds a file: that list (RUN_FOLDERS) is
 * the folders readRunRecords reads, and a run in any of them is still read.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RUN_FOLDERS, readAppRuns } from '../../../main/report/app-runs.ts'
import { tempDirSync } from '../temp-dirs.ts'

const ref = { kind: 'training', name: 'x64-pending-restart' } as const

describe('readAppRuns', () => {
  it("names every folder journals.ts's readRunRecords reads", () => {
    const src = readFileSync(join(import.meta.dirname, '../../../main/report/journals.ts'), 'utf8')
    const body = src.slice(src.indexOf('export function readRunRecords'))
    const read = [...body.matchAll(/join\(dataDir, '([^']+)'\)/g)].map((m) => m[1])
    expect([...new Set(read)].sort()).toEqual([...RUN_FOLDERS].sort())
  })

  it('reads nothing from a data folder without journals, and reads a journal in each folder it names', async () => {
    const dir = tempDirSync('sd-app-runs-')
    expect(await readAppRuns(dir, ref, ref.name)).toEqual({ runs: [], notes: [] })
    for (const folder of RUN_FOLDERS) {
      const one = tempDirSync('sd-app-runs-one-')
      mkdirSync(join(one, folder), { recursive: true })
      writeFileSync(join(one, folder, folder === 'winre-repairs' ? 'x.run.json' : 'x.json'), 'not json')
      // The unreadable journal is a note: the reader ran.
      expect((await readAppRuns(one, ref, ref.name)).notes.length, folder).toBeGreaterThan(0)
    }
  })
})
