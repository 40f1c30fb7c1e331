/**
 * The accuracy checks compare a KB by its number: a label written as the text writes it ("kb2999226", "KB 2919355")
 * is the reader's KB2999226, and another number is still a miss.
 */
import { describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runFile } from './corpus-checks.ts'
import { tempDirSync } from '../temp-dirs.ts'

describe('a KB check', () => {
  it('matches the number whatever its case or a space after KB; another number fails', () => {
    const root = tempDirSync('sd-kb-check-')
    mkdirSync(join(root, 'unknown'))
    const rel = 'unknown/en-kb-forms.txt'
    writeFileSync(
      join(root, rel),
      '# source: https://example.invalid/kb\nInstalling kb2999226 failed; KB 2919355 is installed.\n',
    )
    writeFileSync(join(root, `${rel}.expect.json`), JSON.stringify({ kbs: ['kb2999226', 'KB 2919355', 'KB3000000'] }))
    const kb = runFile(root, rel).filter((c) => c.what.startsWith('kb '))
    expect(kb.map((c) => [c.what, c.ok])).toEqual([
      ['kb kb2999226', true],
      ['kb KB 2919355', true],
      ['kb KB3000000', false],
    ])
  })
})
