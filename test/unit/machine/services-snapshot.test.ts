import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'

const services = () => createServices({ dataDir: tempDirSync('sd-svc-'), platform: 'linux' })

describe('snapshot export and import', () => {
  it('round-trips a scan through a file, keeping every fact', async () => {
    const s = services()
    const snap = await s.scan({ kind: 'training', name: 'x64-healthy' })
    const f = join(tempDirSync('sd-snap-'), 'pc.json')
    writeFileSync(f, `\uFEFF${JSON.stringify(snap)}`)
    const { id, snapshot } = await s.loadSnapshotFile(f)
    expect(snapshot).toEqual(snap)
    expect(await s.scan({ kind: 'snapshot', id })).toEqual(snap)
  })

  it('refuses text that is not JSON, a foreign schema version, and a damaged snapshot, each with a clear reason', async () => {
    const s = services()
    expect(() => s.importSnapshot('not json')).toThrow(/not JSON/)
    expect(() => s.importSnapshot('{"hello":1}')).toThrow(/no schemaVersion/)
    expect(() => s.importSnapshot('{"schemaVersion":99}')).toThrow(/schema version 99/)
    const snap = (await s.scan({ kind: 'training', name: 'x64-healthy' })) as unknown as Record<string, unknown>
    expect(() => s.importSnapshot(JSON.stringify({ ...snap, os: { status: 'maybe' } }))).toThrow(/damaged/)
  })

  it('says which file could not be read', async () => {
    await expect(services().loadSnapshotFile('/nonexistent/x.json')).rejects.toThrow(
      /Cannot read the snapshot file '\/nonexistent\/x.json': ENOENT/,
    )
    // A collector file made a training machine is refused in the same words (bounded-input.ts readInputOrRefuse).
    await expect(services().importTrainingMachine('/nonexistent/pc.zip')).rejects.toThrow(
      /^Cannot read the collector file '\/nonexistent\/pc.zip': ENOENT\.$/,
    )
    const dir = tempDirSync('sd-snap-dir-')
    await expect(services().loadSnapshotFile(dir)).rejects.toMatchObject({
      code: 'invalid-input',
      message: `The snapshot file ${dir} is not a file (it is a folder); nothing was read.`,
    })
  })

  it('does not treat a snapshot as a machine it can change', () => {
    expect(() => services().hostFor({ kind: 'snapshot', id: 'abc' })).toThrow(/read-only/)
  })

  it('has no "this PC" off Windows, and defaults to a training machine', () => {
    const s = services()
    expect(s.defaultMachine()).toEqual({ kind: 'training', name: 'arm64-missing-checkpoint' })
    expect(() => s.hostFor({ kind: 'this-pc' })).toThrow(/only on Windows/)
  })
})
