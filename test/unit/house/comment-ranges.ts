/**
 * The comments of a TypeScript or JavaScript source, found with TypeScript's own scanner (so a `//` in a string, a
 * template or a regular expression is not taken for one). A `/` is read as a regular expression where an operand
 * may start (after an operator, a keyword or an opening bracket), as the compiler does.
 */
import ts from 'typescript'

export interface CommentRange {
  pos: number
  end: number
  text: string
  line: number
}

const OPERAND_END = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ExclamationToken,
  ts.SyntaxKind.GreaterThanToken,
])

export function commentRanges(text: string, file: string): CommentRange[] {
  const jsx = /\.[jt]sx$/.test(file)
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard,
    text,
  )
  const out: CommentRange[] = []
  // Each open `{`: true when it opened a template's `${`.
  const braces: boolean[] = []
  let prev = ts.SyntaxKind.Unknown
  let line = 1
  let counted = 0
  const lineOf = (pos: number) => {
    for (; counted < pos; counted++) if (text.charCodeAt(counted) === 10) line++
    return line
  }
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      out.push({
        pos: scanner.getTokenStart(),
        end: scanner.getTokenEnd(),
        text: scanner.getTokenText(),
        line: lineOf(scanner.getTokenStart()),
      })
      continue
    }
    if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.NewLineTrivia) continue
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !OPERAND_END.has(prev))
      kind = scanner.reScanSlashToken()
    else if (kind === ts.SyntaxKind.TemplateHead) braces.push(true)
    else if (kind === ts.SyntaxKind.OpenBraceToken) braces.push(false)
    else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (braces.pop()) kind = scanner.reScanTemplateToken(false)
    }
    if (kind === ts.SyntaxKind.TemplateMiddle) braces.push(true)
    prev = kind
  }
  return out
}
