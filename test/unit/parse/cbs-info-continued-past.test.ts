/**
 * A CBS.log whose only failures are lines CBS itself logged at Info (a step it worked around) and which then runs on to
 * an orderly end reports no failure of its own; a graver failure anywhere keeps every error. Lines written for this
 * test in CBS.log's documented format, not taken from any capture.
 */
import { describe, expect, it } from 'vitest'
import { analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { firstFailure } from '../../../main/diagnose/text-verdict.ts'

const at = (t: string, level: string, src: string, msg: string) =>
  `2024-06-02 09:${t}, ${level.padEnd(22)}${src}    ${msg}`
const start = [
  at('10:01', 'Info', 'CBS', 'TI: --- Initializing Trusted Installer ---'),
  at(
    '10:02',
    'Info',
    'CBS',
    'Session: 31100222_4017745561 initialized by client WindowsUpdateAgent, external staging directory: (null)',
  ),
]
const workedAround = [
  at(
    '10:05',
    'Info',
    'CBS',
    'Failed to move \\\\?\\C:\\Windows\\CbsTemp\\31100222_4017745561\\ to temp directory, will delete in-place instead [HRESULT = 0x80070020 - ERROR_SHARING_VIOLATION]',
  ),
  at(
    '10:05',
    'Info',
    'CBS',
    'Failed to unload offline registry hive: the client may still need it open. [HRESULT = 0x80070005 - E_ACCESSDENIED]',
  ),
]
const okEnd = [
  at(
    '10:09',
    'Info',
    'CBS',
    'Exec: Processing complete, session(Corruption Repairing): 31100222_4017745561 [HRESULT = 0x00000000 - S_OK]',
  ),
  at('10:10', 'Info', 'CBS', 'Starting TrustedInstaller finalization.'),
  at('10:10', 'Info', 'CBS', 'Ending TrustedInstaller finalization.'),
]
const log = (...parts: string[][]) => parts.flat().join('\n')

describe('a CBS.log that runs on past its own Info failures', () => {
  it('is no failure: the codes are routine codes, no error line, no finding', () => {
    const text = log(start, workedAround, okEnd)
    const a = analyzeCbsLogText(text)
    expect(a.errors).toEqual([])
    expect(a.episodes).toEqual([])
    expect(a.routineCodes).toMatchObject({ '0x80070020': 1, '0x80070005': 1 })
    expect(firstFailure(diagnose({ text }).findings)).toBeNull()
  })

  it('a log that stops after them (no orderly end) keeps them as errors', () => {
    const text = log(start, workedAround)
    expect(analyzeCbsLogText(text).errors.map((e) => e.code)).toEqual(['0x80070020', '0x80070005'])
    expect(firstFailure(diagnose({ text }).findings)).not.toBeNull()
  })

  it('an Error line, a failed completion or a store marked corrupt keeps every error', () => {
    const graver = [
      [at('10:06', 'Error', 'CBS', 'Failed to stage package. [HRESULT = 0x800F0922 - CBS_E_INSTALLERS_FAILED]')],
      [
        at(
          '10:08',
          'Info',
          'CBS',
          'Exec: Processing complete.  Session: 31100222_4017745561, Package: Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.4412.1.9 [HRESULT = 0x800F0922 - CBS_E_INSTALLERS_FAILED]',
        ),
      ],
      [
        at(
          '10:07',
          'Info',
          'CBS',
          'Mark store corruption flag because of package: Package_for_RollupFix. [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]',
        ),
      ],
    ]
    for (const g of graver) {
      const text = log(start, workedAround, g, okEnd)
      expect(analyzeCbsLogText(text).errors.length).toBeGreaterThanOrEqual(2)
      expect(firstFailure(diagnose({ text }).findings)).not.toBeNull()
    }
  })
})
