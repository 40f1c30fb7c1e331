/**
 * Every command a rule writes has a known step kind. The gate (main/knowledge/remedy-steps.ts) treats a command of no
 * known kind as destructive and never offers it (deny by default), so a rule's command the registry does not know is
 * advice that silently never reaches anyone. This scans main/diagnose, main/knowledge and main/analyze with TypeScript's own parser and collects what rules
 * write as commands:
 *  - the `commands` argument of every `customRemedy(…)` call;
 *  - every `commands:` / `fillIn:` property of an object literal (`remedy('R5', { commands: […] })`, the steps before
 *    a withheld step in main/knowledge/preconditions.ts);
 *  - the knowledge data's remedies (main/knowledge/data/error-codes.json).
 * Each string literal in those places is a command (a template literal with each value it can take). Each
 * must have a known kind, as written and as a person copies it (its program by its full path).
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { kindOfCommand } from '../../../main/knowledge/remedy-steps.ts'
import { copyableCommand } from '../../../main/system-tools.ts'

const ROOT = join(import.meta.dirname, '../../..')

function files(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) files(p, out)
    else if (/\.tsx?$/.test(f) && !f.endsWith('.d.ts')) out.push(p)
  }
  return out
}

interface Written {
  where: string
  command: string
}

/**
 * The string and template literals of an expression. A template's `${…}` is each literal it can take (either branch
 * of a condition), else the word VALUE (a service name, a build: text of the kind the rule puts there).
 */
function literals(node: ts.Node, out: string[] = []): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text)
  else if (ts.isTemplateExpression(node)) {
    let texts = [node.head.text]
    for (const span of node.templateSpans) {
      const e = span.expression
      const options =
        ts.isConditionalExpression(e) && [e.whenTrue, e.whenFalse].every((b) => ts.isStringLiteralLike(b))
          ? [e.whenTrue, e.whenFalse].map((b) => (b as ts.StringLiteral).text)
          : ['VALUE']
      texts = texts.flatMap((t) => options.map((o) => `${t}${o}${span.literal.text}`))
    }
    out.push(...texts)
  } else ts.forEachChild(node, (c) => void literals(c, out))
  return out
}

/** A conditional's test and an index are no commands: only the values an expression can take. */
function values(node: ts.Node, out: string[] = []): string[] {
  if (ts.isConditionalExpression(node)) {
    values(node.whenTrue, out)
    values(node.whenFalse, out)
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)
    values(node.right, out)
  else if (ts.isArrayLiteralExpression(node)) for (const e of node.elements) values(e, out)
  else if (ts.isSpreadElement(node) || ts.isParenthesizedExpression(node)) values(node.expression, out)
  else if (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    /^(map|flatMap)$/.test(node.expression.name.text) &&
    node.arguments[0] &&
    ts.isArrowFunction(node.arguments[0]) &&
    !ts.isBlock(node.arguments[0].body)
  )
    // `names.flatMap((n) => [`sc config ${n} …`])`: the lines the callback makes, not the list it runs over.
    values(node.arguments[0].body, out)
  else literals(node, out)
  return out
}

/** What rules write as commands in main/, as the TypeScript parser reads it. */
function writtenCommands(): Written[] {
  const out: Written[] = []
  // Where remedies are written (the gate's input); Fix it's by-hand blocks (main/repair) are the repair's own steps.
  for (const file of ['main/diagnose', 'main/knowledge', 'main/analyze'].flatMap((d) => files(join(ROOT, d)))) {
    const text = readFileSync(file, 'utf8')
    if (!/customRemedy\(|commands:|fillIn:/.test(text)) continue
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    const at = (n: ts.Node) => `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'customRemedy') {
        const arg = n.arguments[3]
        if (arg) for (const c of values(arg)) out.push({ where: at(arg), command: c })
      }
      if (
        ts.isPropertyAssignment(n) &&
        (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) &&
        (n.name.text === 'commands' || n.name.text === 'fillIn') &&
        ts.isArrayLiteralExpression(n.initializer)
      )
        for (const c of values(n.initializer)) out.push({ where: at(n), command: c })
      ts.forEachChild(n, visit)
    }
    visit(sf)
  }
  const data = JSON.parse(readFileSync(join(ROOT, 'main/knowledge/data/error-codes.json'), 'utf8')) as {
    remedies: { id: string; commands: string[] }[]
  }
  for (const r of data.remedies) for (const c of r.commands) out.push({ where: `error-codes.json ${r.id}`, command: c })
  return out
}

describe('every command a rule writes has a known step kind (deny by default drops the others)', () => {
  const written = writtenCommands()

  it('finds the commands of customRemedy, of remedy overrides, of the steps before and of the knowledge data', () => {
    const where = (re: RegExp) => written.filter((w) => re.test(w.where)).length
    expect(written.length).toBeGreaterThan(100)
    expect(where(/text-floor\.ts/)).toBeGreaterThan(10)
    expect(where(/store-corruption\.ts/)).toBeGreaterThan(1)
    expect(where(/preconditions\.ts/)).toBeGreaterThan(1)
    expect(where(/error-codes\.json/)).toBeGreaterThan(5)
    // A template literal is read with each value it can take.
    expect(written.map((w) => w.command)).toContain('sc config VALUE start= auto')
    expect(written.map((w) => w.command)).toContain('sc config VALUE start= demand')
  })

  it('each one, as written and as a person copies it, is of a known kind', () => {
    const unknown = written
      .flatMap((w) => [w.command, copyableCommand(w.command)].map((c) => ({ ...w, command: c })))
      .filter((w) => kindOfCommand(w.command).id === 'unclassified')
      .map((w) => `${w.where}: ${w.command}`)
    expect([...new Set(unknown)]).toEqual([])
  })
})
