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

/** The tracked files under these paths (folders or patterns of the top folder). */
function tracked(...paths: string[]): string[] {
  return execFileSync('git', ['ls-files', ...paths], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
}

/** A test's title: the first string given to describe, it or test (their .each/.skip/.runIf forms included). */
const TITLE = /\b(?:describe|it|test)(?:\.\w+(?:\([^()]*\))?)*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g

describe('comments cite no issue numbers', () => {
  it('finds the citations it is meant to find, and only in comments', () => {
    const src = [
      "const a = 'issue 33' // read as data (issue 33)",
      'const re = /#1 \\/\\/ issue 4/ // a regex is not a comment; #12 here is',
      '/* see dotnet/runtime#68671 and `install.wim #2` */',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text whose template literal is scanned
      'const t = `${a} // issue 5 ${`#6`}` /* Issue 7 */',
    ].join('\n')
    const found = commentRanges(src, 'x.ts').flatMap((c) => citedNumbers(c.text))
    expect(found).toEqual(['issue 33', '#12', 'Issue 7'])
  })

  it('no comment in main/, renderer/, preload/, scripts/ or test/ cites one', () => {
    // The configuration files at the top of the tree are code a newcomer reads first.
    const files = tracked('main', 'renderer', 'preload', 'scripts', 'test', 'bin', '*.ts', '*.cjs', '*.mjs').filter(
      (f) => /\.(?:[cm]?[jt]sx?)$/.test(f) && !f.startsWith('test/fixtures/'),
    )
    expect(files.length).toBeGreaterThan(500)
    const cites: string[] = []
    for (const f of files) {
      for (const c of commentRanges(readFileSync(join(root, f), 'utf8'), f)) {
        for (const n of citedNumbers(c.text)) cites.push(`${f}:${c.line}: ${n}`)
      }
    }
    expect(cites, 'write the reason instead of the issue number').toEqual([])
  })

  it("no test's title, no PowerShell comment and no text the app ships cites one", () => {
    const cites: string[] = []
    const note = (f: string, text: string, at: number) => {
      for (const n of citedNumbers(text)) cites.push(`${f}:${at}: ${n}`)
    }
    // This file's own examples are titles inside strings.
    const self = 'test/unit/house/no-issue-numbers.test.ts'
    const testFiles = tracked('test', 'scripts').filter((x) => /\.[jt]sx?$/.test(x) && !x.startsWith('test/fixtures/'))
    for (const f of testFiles.filter((x) => x !== self)) {
      const src = readFileSync(join(root, f), 'utf8')
      for (const m of src.matchAll(TITLE)) note(f, m[2] ?? '', src.slice(0, m.index).split('\n').length)
    }
    for (const f of tracked('*.ps1')) {
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const at = line.indexOf('#')
          if (at >= 0) note(f, line.slice(at), i + 1)
        })
    }
    // What the app ships (its scripts' comments, its styles, its knowledge's notes) is read by people with no tracker.
    for (const f of tracked('main', 'renderer', 'preload').filter((x) => !/\.md$/.test(x))) {
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.replace(/`[^`\n]*`/g, '').matchAll(/\b[Ii]ssues? #?\d+/g))
            if (!/[\w.-]+\/[\w.-]+ issues? #?\d/.test(line)) cites.push(`${f}:${i + 1}: ${m[0]}`)
        })
    }
    expect(cites, 'write the reason instead of the issue number').toEqual([])
  })

  it('finds a title that cites one, and leaves a quoted or repository reference alone', () => {
    const src =
      "describe('remedy risk (issue 50 §1)', () => {\n  it.runIf(ps)(`a stick #12`, () => {})\n  test('see `#4`', () => {})"
    expect([...src.matchAll(TITLE)].flatMap((m) => citedNumbers(m[2] ?? ''))).toEqual(['issue 50', '#12'])
  })
})
