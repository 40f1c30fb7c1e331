/** The paste screen's plain words: readable names, values as words, codes found for the next step. */
import { describe, it, expect } from 'vitest'
import { codesIn, humanize, plain } from '../../../renderer/src/components/paste-reading.tsx'

describe('paste reading', () => {
  it('turns keys into words', () => {
    expect(humanize('errorCode')).toBe('Error code')
    expect(humanize('dismVersion')).toBe('DISM version')
    expect(humanize('installedOn')).toBe('Installed on')
    expect(humanize('kb')).toBe('KB')
    expect(humanize('hotfix_id')).toBe('Hotfix ID')
  })
  it('shows values as words, never JSON', () => {
    expect(plain(['0x800f081f', 'KB5043080'])).toBe('0x800f081f, KB5043080')
    expect(plain({ operation: 'RestoreHealth', componentStore: null, repairable: true })).toBe(
      'Operation: RestoreHealth; Repairable: yes',
    )
    expect(plain(null)).toBe('—')
    expect(plain([{ code: '0x800F081F', line: 9 }])).toBe('Code: 0x800F081F; Line: 9')
  })
  it('finds each error code once, normalised, for the next step', () => {
    expect(
      codesIn({
        dism: { errorCode: '0x800f081f' },
        errors: [{ code: '0x800F081F' }, { code: '0x80070002' }],
        message: '0x12345678 is not a code field',
      }),
    ).toEqual(['0x800F081F', '0x80070002'])
  })
})

describe('every reader kind in words', () => {
  it('the paste screen names each kind analyze reads (a kind missing read as "Text the app does not recognise")', async () => {
    const { KIND_NAMES } = await import('../../../main/analyze/detect-kinds.ts')
    const { readingStrings } = await import('../../../renderer/src/components/paste-reading.tsx')
    expect(KIND_NAMES.filter((k) => !readingStrings.kinds[k])).toEqual([])
  })
})
