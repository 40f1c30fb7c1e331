/**
 * 0x80070424 (ERROR_SERVICE_DOES_NOT_EXIST): a service the update or its installer needs is not installed. Typed, or
 * in an installer's log, it names that cause (a service that is gone, not one set to Disabled), with the reads that
 * confirm it first and the repair upgrade that brings it back. Lines written here, never a capture's own.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { explain } from '../../../main/knowledge/error-explain.ts'

describe('a service that is not installed', () => {
  it("the knowledge holds the code's name, meaning and cause", () => {
    const e = explain('0x80070424', null)
    expect(e.ok && e.value.known).toBe(true)
    expect(e.ok && e.value.name).toBe('ERROR_SERVICE_DOES_NOT_EXIST')
  })

  it.each([
    ['typed', { code: '0x80070424' }],
    [
      "in an installer's log",
      {
        text: 'e000: Error 0x80070424: Failed to open WU service.\ne000: Error 0x80070424: Failed to execute MSU package.',
      },
    ],
  ])('%s: its own finding, reads first', (_how, args) => {
    const top = diagnose(args).findings[0]!
    expect(top.id).toBe('services-disabled:not-installed')
    expect(top.codes).toEqual(['0x80070424'])
    expect(top.remedies[0]!.commands).toEqual([
      '%SystemRoot%\\System32\\sc.exe query wuauserv',
      '%SystemRoot%\\System32\\sc.exe query bits',
    ])
  })

  it('a disabled service stays the disabled reading', () => {
    expect(diagnose({ code: '0x80070422' }).findings[0]!.id).toBe('services-disabled')
  })
})
