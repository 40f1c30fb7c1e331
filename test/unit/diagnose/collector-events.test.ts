/**
 * The collector gathers servicing and Windows Update events (Get-WinEvent as JSON, main/collector/steps.ts); the
 * diagnosis of its file reads them like pasted events: a WindowsUpdateClient 20 "Installation Failure" names its code
 * and KB, and the finding for that code cites the event. The message is a real one (Microsoft's 0x80070002 article,
 * test/fixtures/wu-event/event20-0x80070002.txt) in the collector's own record shape.
 */
import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { wuEventsFromRecords } from '../../../main/parse/wu-event.ts'
import { createServices } from '../../../main/services.ts'
import { tempDirSync } from '../temp-dirs.ts'
import { loadFixture } from '../../fixtures/load.ts'

/** The Description line of the captured event 20. */
const message = /^Description:\s*\r?\n(.+)$/m.exec(loadFixture('wu-event/event20-0x80070002.txt').text)![1]!.trim()
const record = (over: Record<string, unknown> = {}) => ({
  log: 'System',
  provider: 'Microsoft-Windows-WindowsUpdateClient',
  id: 20,
  level: 'Error',
  time: '2026-11-20T08:14:02.0000000Z',
  message,
  ...over,
})
const SOURCE = /^Collector file: servicing and Windows Update events/

describe('servicing events in a collector file', () => {
  it('each Get-WinEvent record reads as an event: 20 is a failure with its code and KB; one object (a single event) too; not JSON gives none', () => {
    expect(message).toMatch(
      /^Installation Failure: Windows failed to install the following update with error 0x80070002/,
    )
    const [e, other] = wuEventsFromRecords(
      JSON.stringify([
        record(),
        record({ provider: 'Microsoft-Windows-TPM-WMI', id: 1801, message: 'Secure Boot CA/keys need to be updated.' }),
      ]),
    )
    expect(e).toMatchObject({
      id: 20,
      kind: 'failed',
      code: '0x80070002',
      kb: 'KB4586793',
      provider: 'Microsoft-Windows-WindowsUpdateClient',
      time: '2026-11-20T08:14:02.0000000Z',
      line: 1,
    })
    expect(other).toMatchObject({ id: 1801, kind: 'other', code: null })
    expect(wuEventsFromRecords(JSON.stringify(record()))).toHaveLength(1)
    expect(wuEventsFromRecords('')).toEqual([])
    expect(wuEventsFromRecords('The term Get-WinEvent is not recognized')).toEqual([])
    expect(wuEventsFromRecords(JSON.stringify([null, 7, { id: 'x', message }, { id: 20 }]))).toEqual([])
  })

  it("diagnose --snapshot reads the file's events: the failure's code becomes a finding that cites the event", async () => {
    const dir = tempDirSync('sd-cevents-')
    const services = createServices({ dataDir: join(dir, 'data'), platform: 'linux' })
    const zip = join(dir, 'pc.zip')
    writeFileSync(zip, await services.collect({ kind: 'training', name: 'x64-healthy' }))
    const { id } = await services.loadSnapshotFile(zip)
    const ref = { kind: 'snapshot' as const, id }
    const cites = async () =>
      (await services.diagnose({ machine: ref })).findings.filter((f) => f.evidence.some((x) => SOURCE.test(x.source)))
    expect(await cites()).toEqual([])
    // The file as a PC with that event would have written it: the recorded answer of the events step.
    const commands = services.snapshotHostById(id)!.archive.snapshot.commands
    const rec = commands.find((c) => c.name === 'events.servicing')
    expect(rec).toBeDefined()
    Object.assign(rec!, { exitCode: 0, stdout: JSON.stringify([record()]), stderr: '' })
    const found = await cites()
    expect(found.flatMap((f) => f.codes)).toContain('0x80070002')
    expect(found.flatMap((f) => f.evidence).find((x) => SOURCE.test(x.source))?.excerpt).toBe(message)
  })
})
