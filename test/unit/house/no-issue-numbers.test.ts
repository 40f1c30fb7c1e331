/**
 * Comments give the reason, never an issue number: `issue 33` or `#33` means nothing to someone reading the code
 * outside the tracker. A reference another reader can open stays allowed: a repository's own thread
 * (`dotnet/runtime#68671`, `kbupdate#222`), and anything quoted in backticks (`install.wim #2` is data).
 */
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { commentRanges } from './comment-ranges.ts'

const root = join(import.meta.dirname, '../../..')
const CITES = /\b[Ii]ssues? #?\d+|(?<![\w.-])#\d+/g

/** The issue numbers a comment's text cites, with backtick-quoted data left out. */
function citedNumbers(comment: string): string[] {
  return [...comment.replace(/`[^`\n]*`/g, '').matchAll(CITES)].map((m) => m[0])
}

describe('comments cite no issue numbers', () => {
  it('finds the citations it is meant to find, and only in comments', () => {
    const src = [
      "const a = 'issue 33' // read as data (issue 33)",
      'const re = /#1 \\/\\/ issue 4/ // a regex is not a comment; #12 here is',
      '/* see dotnet/runtime#68671 and `install.wim #2` */',
      'const t = `${a} // issue 5 ${`#6`}` /* Issue 7 */',
    ].join('\n')
    const found = commentRanges(src, 'x.ts').flatMap((c) => citedNumbers(c.text))
    expect(found).toEqual(['issue 33', '#12', 'Issue 7'])
  })

  it('no comment in main/, renderer/, preload/, scripts/ or test/ cites one', () => {
    const files = execFileSync('git', ['ls-files', 'main', 'renderer', 'preload', 'scripts', 'test', 'bin'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(?:[cm]?[jt]sx?)$/.test(f) && !f.startsWith('test/fixtures/'))
    expect(files.length).toBeGreaterThan(500)
    const cites: string[] = []
    for (const f of files) {
      for (const c of commentRanges(readFileSync(join(root, f), 'utf8'), f)) {
        for (const n of citedNumbers(c.text)) cites.push(`${f}:${c.line}: ${n}`)
      }
    }
    expect(cites, 'write the reason instead of the issue number').toEqual([])
  })
})
