/**
 * host/pc-path.ts, each guard alone (a trust check: the training host maps a modelled
 * PC path back to this disk only for an existing file inside the data folder). The path parts that are
 * refused even when what they resolve to exists inside the folder (counts asserted), an argument that is
 * only the path, a relative path when the data folder is the working folder, and the module's constants
 * read from a freshly loaded module. The common cases are in pc-path.test.ts.
 */
import { describe, expect, it, vi } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { localPathOf, pcPathFor, TRAINING_PC_DATA_DIR } from '../../../main/host/pc-path.ts'
import { tempDirSync } from '../temp-dirs.ts'

const data = tempDirSync('sd-pcpath-guard-')
mkdirSync(join(data, 'kits', 'install', 'KB1-arm64'), { recursive: true })
const msu = join(data, 'kits', 'install', 'KB1-arm64', 'windows11.0-kb5086672-arm64.msu')
writeFileSync(msu, 'x')
const PC = 'C:\\ProgramData\\ServicingDesk\\'
const REST = 'kits\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu'

describe('localPathOf: each refused path part alone (the file it would name exists)', () => {
  const refused = [
    `${PC}kits\\..\\kits\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu`,
    `${PC}kits\\.\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu`,
    `${PC}kits\\\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu`,
    `${PC}kits/install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu`,
    `/PackagePath:${PC}.\\${REST}`,
  ]
  it(`${refused.length} arguments with '..', '.', an empty part or a '/' are left as they are`, () => {
    let ran = 0
    for (const a of refused) {
      expect(localPathOf(a, data), a).toBe(a)
      ran++
    }
    expect(ran).toBe(5)
  })

  it('an argument that is only the path (at its start) is mapped; one without the prefix is never mapped, whatever its tail names', () => {
    expect(localPathOf(`${PC}${REST}`, data)).toBe(msu)
    const noPrefix = `${'x'.repeat(PC.length - 1)}${REST}`
    expect(localPathOf(noPrefix, data)).toBe(noPrefix)
    expect(localPathOf(`X${REST}`, data)).toBe(`X${REST}`)
  })
})

describe('pcPathFor: a relative path stays relative even when it would resolve inside the data folder', () => {
  it('the working folder as the data folder: "kits\\…" and a relative path of the file are not mapped; the absolute path is', () => {
    const f = pcPathFor({ kind: 'training', name: 'arm64-missing-checkpoint' }, process.cwd())!
    const rel = relative(process.cwd(), msu)
    expect(f('kits/install/a.msu')).toBe('kits/install/a.msu')
    expect(f(rel)).toBe(rel)
    expect(f(join(process.cwd(), 'kits', 'a.msu'))).toBe(`${TRAINING_PC_DATA_DIR}\\kits\\a.msu`)
  })
})

describe("pc-path: the module's constants, as the module is when loaded", () => {
  it('the modelled data folder and the prefix it matches in any case', async () => {
    vi.resetModules()
    const m = await import('../../../main/host/pc-path.ts')
    expect(m.TRAINING_PC_DATA_DIR).toBe('C:\\ProgramData\\ServicingDesk')
    expect(m.pcPathFor({ kind: 'training', name: 'x' }, data)!(msu)).toBe(`C:\\ProgramData\\ServicingDesk\\${REST}`)
    expect(m.localPathOf(`/PackagePath:${PC}${REST}`, data)).toBe(`/PackagePath:${msu}`)
    expect(m.localPathOf(`/PackagePath:${PC.toUpperCase()}${REST}`, data)).toBe(`/PackagePath:${msu}`)
    expect(m.localPathOf(`/PackagePath:${REST}`, data)).toBe(`/PackagePath:${REST}`)
  })
})
