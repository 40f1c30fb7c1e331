/**
 * host/pc-path.ts: a training machine names the app's files by the Windows path they have on the modelled PC
 * (C:\ProgramData\ServicingDesk\…), and the training host maps such an argument back to this disk only for a
 * file that exists inside the data folder — never outside it.
 */
import { describe, it, expect } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { localPathOf, pcArgFor, pcPathFor, TRAINING_PC_DATA_DIR } from '../../../main/host/pc-path.ts'
import { commandLineOf } from '../../../main/repair/step-kinds.ts'
import { tempDirSync } from '../temp-dirs.ts'

const data = tempDirSync('sd-pcpath-')
mkdirSync(join(data, 'kits', 'install', 'KB1-arm64'), { recursive: true })
const msu = join(data, 'kits', 'install', 'KB1-arm64', 'windows11.0-kb5086672-arm64.msu')
writeFileSync(msu, 'x')

describe('pcPathFor', () => {
  it('maps a file of the data folder to C:\\ProgramData\\ServicingDesk on a training machine', () => {
    const f = pcPathFor({ kind: 'training', name: 'arm64-missing-checkpoint' }, data)!
    expect(f(msu)).toBe(`${TRAINING_PC_DATA_DIR}\\kits\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu`)
  })
  it('leaves a path outside the data folder, a relative path and the folder itself as they are', () => {
    const f = pcPathFor({ kind: 'training', name: 'x64-healthy' }, data)!
    const cases = ['/media/usb/kit/a.msu', join(data, '..', 'elsewhere.msu'), 'relative/a.msu', data]
    for (const c of cases) expect(f(c)).toBe(c)
    expect(cases).toHaveLength(4)
  })
  it('applies to training machines only: this PC and a snapshot keep their own paths', () => {
    expect(pcPathFor({ kind: 'this-pc' }, data)).toBeUndefined()
    expect(pcPathFor({ kind: 'snapshot', id: 'abc' }, data)).toBeUndefined()
    expect(pcPathFor(null, data)).toBeUndefined()
  })
})

describe('localPathOf (the training host reading the bytes)', () => {
  it('maps an argument naming an existing file of the modelled data folder back to this disk, any case', () => {
    expect(
      localPathOf(
        '/PackagePath:C:\\ProgramData\\ServicingDesk\\kits\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu',
        data,
      ),
    ).toBe(`/PackagePath:${msu}`)
    expect(
      localPathOf(
        '/PackagePath:c:\\programdata\\servicingdesk\\kits\\install\\KB1-arm64\\windows11.0-kb5086672-arm64.msu',
        data,
      ),
    ).toBe(`/PackagePath:${msu}`)
  })
  it('never leaves the data folder and never maps a folder (modelled by the machine) or a missing file', () => {
    const hostile = [
      '/PackagePath:C:\\ProgramData\\ServicingDesk\\..\\..\\etc\\passwd',
      '/PackagePath:C:\\ProgramData\\ServicingDesk\\kits\\..\\..\\x',
      '/PackagePath:C:\\ProgramData\\ServicingDesk\\kits/../../x',
      '/PackagePath:C:\\ProgramData\\ServicingDesk\\',
      '/PackagePath:C:\\ProgramData\\ServicingDesk\\kits\\\\install',
      '/MountDir:C:\\ProgramData\\ServicingDesk\\winre\\mount',
      '/PackagePath:C:\\ProgramData\\ServicingDesk\\kits\\install\\KB1-arm64\\missing.msu',
      '/Source:C:\\ProgramData\\ServicingDesk\\kits\\install\\KB1-arm64',
      '/Online',
    ]
    for (const a of hostile) expect(localPathOf(a, data)).toBe(a)
    expect(hostile).toHaveLength(9)
  })
})

describe('pcArgFor (a path after an option, as repair steps build them)', () => {
  it('maps the path part and keeps the option; leaves other arguments', () => {
    const f = pcArgFor({ kind: 'training', name: 'x64-component-store-corrupt' }, data)!
    expect(f(`/Source:${join(data, 'repair-sources', 'KB5044285-x64', 'source')}`)).toBe(
      `/Source:${TRAINING_PC_DATA_DIR}\\repair-sources\\KB5044285-x64\\source`,
    )
    expect(f('/LimitAccess')).toBe('/LimitAccess')
    expect(f('/Source:/elsewhere/source')).toBe('/Source:/elsewhere/source')
    expect(pcArgFor({ kind: 'this-pc' }, data)).toBeUndefined()
  })
  it("a training machine's repair commands name no path of this computer", () => {
    const env = {
      hostKind: 'training' as const,
      dataDir: data,
      resumeCommand: null,
      pcArg: pcArgFor({ kind: 'training', name: 'x64-component-store-corrupt' }, data),
    }
    const steps = [
      { kind: 'expand-msu', params: { kb: 'KB5044285', arch: 'x64' } },
      { kind: 'expand-cab', params: { kb: 'KB5044285', arch: 'x64', build: 22631 } },
      { kind: 'dism-restore-health', params: { source: { kb: 'KB5044285', arch: 'x64' } } },
    ]
    for (const s of steps) {
      const line = commandLineOf(
        { id: 's1', title: 't', explanation: '', gate: 'always', mayFail: false, destructive: false, ...s },
        env,
      )
      expect(line).toContain(`${TRAINING_PC_DATA_DIR}\\repair-sources\\KB5044285-x64`)
      expect(line).not.toContain(data)
    }
    expect(steps).toHaveLength(3)
  })
})
