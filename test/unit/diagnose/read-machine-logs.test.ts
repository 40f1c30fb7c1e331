import { describe, it, expect } from 'vitest'
import { Readable } from 'node:stream'
import type { Host, CommandSpec, CommandResult, HostInfo } from '../../../main/host/host.ts'
import { readMachineLogs, CBS_DIR, DISM_LOG } from '../../../main/machine/read-machine-logs.ts'
import { primaryEpisode } from '../../../main/parse/cbs-log.ts'
import { loadFixture } from '../../fixtures/load.ts'

/** A machine that only has files (the Host's file side); running commands is not part of this test. */
class FilesHost implements Host {
  readonly files: Map<string, string>
  readonly opened: string[] = []
  constructor(files: Record<string, string>) {
    this.files = new Map(Object.entries(files))
  }
  info(): HostInfo {
    return { kind: 'training', name: 'files', title: 'files', processArch: 'x64', elevated: true }
  }
  async run(spec: CommandSpec): Promise<CommandResult> {
    throw new Error(`no commands here: ${spec.name}`)
  }
  async openRead(path: string): Promise<Readable> {
    this.opened.push(path)
    const c = this.files.get(path)
    if (c === undefined) throw Object.assign(new Error(`File not found: ${path}`), { code: 'ENOENT' })
    return Readable.from([Buffer.from(c)])
  }
  async listDir(path: string): Promise<string[]> {
    const prefix = path.endsWith('\\') ? path : `${path}\\`
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length))
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path)
  }
}

describe('readMachineLogs', () => {
  it('reads CbsPersist logs oldest first, then CBS.log, never opens a .cab itself (a Host that cannot run expand: a note), and streams DISM.log', async () => {
    const host = new FilesHost({
      [`${CBS_DIR}\\CbsPersist_20260301101010.log`]: loadFixture('cbs-log/0x800f0831-manifest-missing.log').text,
      [`${CBS_DIR}\\CbsPersist_20260101101010.cab`]: 'MSCF binary',
      [`${CBS_DIR}\\CbsPersist_20260201101010.log`]: loadFixture('cbs-log/0x80070002-symptoms.log').text,
      [`${CBS_DIR}\\CBS.log`]: loadFixture('cbs-log/0x800f0922-scheduled-task.log').text,
      [DISM_LOG]: loadFixture('dism-log/0x80070002-analyze-store.log').text,
    })
    const { logs, notes } = await readMachineLogs(host)
    expect(logs.cbs.map((l) => l.source.split('\\').pop())).toEqual([
      'CbsPersist_20260201101010.log',
      'CbsPersist_20260301101010.log',
      'CBS.log',
    ])
    expect(host.opened.some((p) => p.endsWith('.cab'))).toBe(false)
    expect(primaryEpisode(logs.cbs[2]!.analysis)?.outcomeCode).toBe('0x800F0922')
    expect(logs.dism[0]!.analysis.firstError?.code).toBe('0x80070002')
    expect(notes).toEqual([
      expect.stringMatching(
        /^CbsPersist archives not read: could not create C:\\ProgramData\\ServicingDesk\\cbspersist\\\w+ \(exit -1: no commands here: logs.cbspersist-prepare\)\.$/,
      ),
    ])
  })

  it('a machine without logs gives notes, not errors; an unreadable log is a note too', async () => {
    const { logs, notes } = await readMachineLogs(new FilesHost({}))
    expect(logs.cbs).toEqual([])
    expect(notes.join('\n')).toMatch(/No CBS.log found[\s\S]*No DISM log/)
    const broken = new FilesHost({ [`${CBS_DIR}\\CBS.log`]: 'x' })
    broken.openRead = async () => {
      throw new Error('Access is denied.')
    }
    const r = await readMachineLogs(broken)
    expect(r.notes.join('\n')).toMatch(/Cannot read C:\\Windows\\Logs\\CBS\\CBS.log: Access is denied/)
  })
})
