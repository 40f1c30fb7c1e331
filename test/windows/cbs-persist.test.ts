/**
 * CbsPersist archives on real Windows: a CBS log compressed with makecab.exe (as Windows compresses CBS.log)
 * is expanded by our `expand.exe -F:*` spec into the folder our PowerShell spec prepares, the expanded log is
 * the one we pick, and our cleanup spec removes the folder.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWindowsHost } from '../../main/host/windows-host.ts'
import {
  cleanupCbsPersistCommand,
  expandCbsPersistCommand,
  expandedLogName,
  prepareCbsPersistCommand,
} from '../../main/machine/cbs-persist.ts'
import { loadFixture } from '../fixtures/load.ts'
import { noteSkipped, onWindows } from './on-windows.ts'

noteSkipped('the CbsPersist archive tests')

describe.skipIf(!onWindows)('CbsPersist archives on Windows', () => {
  const host = createWindowsHost()

  it('expands a makecab archive into the prepared folder, reads its log, and cleans up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-cbsp-'))
    const log = join(dir, 'CbsPersist_20260310101500.log')
    writeFileSync(log, loadFixture('cbs-log/0x800f0922-scheduled-task.log').text)
    const cab = join(dir, 'CbsPersist_20260310101500.cab')
    const made = await host.run({
      name: 'test.makecab',
      file: 'makecab.exe',
      args: [log, cab],
      timeoutMs: 60_000,
      outputEncoding: 'console',
    })
    expect(made.ok).toBe(true)
    const work = join(dir, 'work')
    expect((await host.run(prepareCbsPersistCommand(work, ['CbsPersist_20260310101500']))).ok).toBe(true)
    const dest = join(work, 'CbsPersist_20260310101500')
    const r = await host.run(expandCbsPersistCommand(cab, dest))
    expect(r.ok).toBe(true)
    expect(r.stdout).toMatch(/CbsPersist_20260310101500\.log/)
    expect(expandedLogName('CbsPersist_20260310101500.cab', await host.listDir(dest))).toBe(
      'CbsPersist_20260310101500.log',
    )
    expect((await host.run(cleanupCbsPersistCommand(work))).ok).toBe(true)
    expect(existsSync(work)).toBe(false)
  })
})
