/**
 * PowerShell's grammar for tests: tree-sitter-powershell (npm) run by web-tree-sitter from the .wasm the
 * package ships (no native build). Used to prove that a value we put into a generated script is data:
 * it sits inside a comment or a verbatim ('…') string, and the script's commands are the ones we wrote.
 *
 * PowerShell also takes ‘ ’ ‚ ‛ as single quotes, “ ” „ as double quotes and – — ― as dashes
 * (about_Quoting_Rules; its tokenizer's CharExtensions). The grammar knows only the ASCII ones, so the text
 * is mapped to them, character for character (offsets unchanged), before it is parsed: the tree is then
 * the tree PowerShell itself would see.
 */
import { createRequire } from 'node:module'
import { Edit, Language, Parser, type Node, type Tree } from 'web-tree-sitter'

const require = createRequire(import.meta.url)
await Parser.init()
const language = await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm'))
const parser = new Parser()
parser.setLanguage(language)

export function asPowerShellSees(script: string): string {
  return script
    .replace(/^\uFEFF/, ' ')
    .replace(/[\u2018\u2019\u201A\u201B]/g, "'")
    .replace(/[\u201C\u201D\u201E]/g, '"')
    .replace(/[\u2013\u2014\u2015]/g, '-')
}

/**
 * Parses a script. With `from` (the benign script and its tree), only the changed span is re-parsed
 * (tree-sitter's incremental parsing: same result as a fresh parse, many times faster).
 */
export function parsePowerShell(script: string, from?: { script: string; tree: Tree }): Tree {
  const text = asPowerShellSees(script)
  let old: Tree | null = null
  if (from) {
    const a = asPowerShellSees(from.script)
    let start = 0
    while (start < a.length && start < text.length && a[start] === text[start]) start++
    let endA = a.length,
      endB = text.length
    while (endA > start && endB > start && a[endA - 1] === text[endB - 1]) {
      endA--
      endB--
    }
    old = from.tree.copy()
    old.edit(
      new Edit({
        startIndex: start,
        oldEndIndex: endA,
        newEndIndex: endB,
        startPosition: pointAt(a, start),
        oldEndPosition: pointAt(a, endA),
        newEndPosition: pointAt(text, endB),
      }),
    )
  }
  const tree = parser.parse(text, old)
  old?.delete()
  if (!tree) throw new Error('tree-sitter returned no tree')
  return tree
}

function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0,
    lineStart = 0
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++
    lineStart = i + 1
  }
  return { row, column: index - lineStart }
}

function* walk(n: Node): Generator<Node> {
  yield n
  for (const c of n.children) if (c) yield* walk(c)
}

/** The bare command names (`Get-FileHash`, `Write-Host` …) and how many commands there are in all (`& 'x.exe'` too). */
export function commandsOf(tree: Tree): { names: string[]; count: number } {
  const names = new Set(tree.rootNode.descendantsOfType('command_name').map((n) => (n as Node).text.toLowerCase()))
  return { names: [...names].sort(), count: tree.rootNode.descendantsOfType('command').length }
}

/** Node types that are data: nothing inside them runs. Expandable "…" strings are not ($() runs). */
const DATA = new Set(['comment', 'verbatim_string_characters', 'verbatim_here_string_characters'])

/** Where each occurrence of `marker` (case-insensitive) sits: 'data' (comment or verbatim string) or 'code: <node type path>'. */
export function placesOf(tree: Tree, script: string, marker: string): string[] {
  const text = asPowerShellSees(script).toLowerCase()
  const m = marker.toLowerCase()
  const out: string[] = []
  for (let i = text.indexOf(m); i >= 0; i = text.indexOf(m, i + 1)) {
    let n: Node | null = tree.rootNode.descendantForIndex(i, i + m.length)
    const path: string[] = []
    let data = false
    while (n) {
      if (DATA.has(n.type) && n.startIndex <= i && n.endIndex >= i + m.length) {
        data = true
        break
      }
      path.push(n.type)
      n = n.parent
    }
    out.push(data ? 'data' : `code: ${path.slice(0, 4).join(' < ')}`)
  }
  return out
}

export function errorsOf(tree: Tree): string[] {
  const out: string[] = []
  if (!tree.rootNode.hasError) return out
  for (const n of walk(tree.rootNode))
    if (n.isError || n.isMissing)
      out.push(
        `${n.isMissing ? 'missing' : 'error'} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}: ${JSON.stringify(n.text.slice(0, 60))}`,
      )
  return out
}
