/**
 * explain(code): what an error code means, its likely causes and remedies in escalation order, with
 * sources. An unknown code is decoded (severity, facility, Win32 part) and honestly called unknown.
 */
import type { ExplainResult, Remedy } from '../../preload/model/diagnosis.ts'
import { normalizeErrorCode, formatCode, type CodeContext } from './error-normalize.ts'
import {
  errorCodeEntry,
  codeForName,
  standardRemedy,
  errorCodeSources,
  errorCodesAsOf,
  documentedMeaning,
} from './error-codes.ts'
import { decodeHresult } from './error-decode.ts'
import { humanizeCitations as h, sourceText } from './citations.ts'
import { humanRemedy } from './remedy-text.ts'
import { adviseRemedies, NO_EVIDENCE, type AdviceFacts } from './remedy-steps.ts'
import { gateRemedyText } from './advice-words.ts'
import { decodeExtendCode, documentedPairs } from './setup-extend.ts'

export type ExplainOutcome = { ok: true; value: ExplainResult } | { ok: false; error: string }

/** Normalises with the knowledge's name table (so `CBS_E_PENDING` works too). */
export function normalizeCode(text: unknown, context: CodeContext = 'auto') {
  return normalizeErrorCode(text, context, codeForName)
}

/**
 * `facts`: the evidence the remedies are gated on. A code alone is no evidence, so by default no
 * destructive step is offered; null leaves the remedies ungated for a caller that gates them itself on the
 * evidence it holds (diagnose: main/diagnose/advice-facts.ts).
 */
export function explain(input: string, facts: AdviceFacts | null = NO_EVIDENCE): ExplainOutcome {
  const gate = (rs: Remedy[]) => (facts ? adviseRemedies(rs, facts) : rs)
  // The summary in words passes the same gate as the remedies it names.
  const words = (raw: string) => (facts ? gateRemedyText(raw, facts) : h(raw))
  const text = typeof input === 'string' ? input : ''
  const norm = normalizeCode(text, 'auto')
  if (!norm) {
    return {
      ok: false,
      error: `'${text.slice(0, 80)}' does not look like an error code. Give a code such as 0x800F0922, 800f0922, -2146498270, 2148469026, 740 or CBS_E_INSTALLERS_FAILED.`,
    }
  }
  let code = norm.code
  let entry = errorCodeEntry(code)
  // A small number typed without 0x-context may also be a literal (e.g. wusa's 87 is both); prefer the known one.
  if (!entry && norm.liftedFromWin32) {
    const literal = errorCodeEntry(formatCode(norm.raw))
    if (literal) {
      entry = literal
      code = literal.code
    }
  }
  const decoded = decodeHresult(code)
  const extendMeaning = norm.extend ? decodeExtendCode(norm.extend, code) : null
  const srcList = (keys: string[]) =>
    keys.map((key) => ({ key, text: sourceText(key) ?? errorCodeSources()[key] ?? key }))
  // Microsoft's Setup pages document some result codes only together with an extend code: the code alone lists them.
  const pairs = norm.extend ? [] : documentedPairs(code)
  const pairLines = pairs.map((p) => `${code} - ${p.extend}: ${p.cause} Mitigation: ${p.mitigation}`)
  if (!entry && pairs.length) {
    return {
      ok: true,
      value: {
        code,
        extend: norm.extend,
        extendMeaning,
        input: text,
        known: true,
        name: null,
        nameNote: 'Microsoft names no symbol for it on these pages',
        component: 'Windows Setup',
        meaning: `Microsoft documents ${code} together with a Setup extend code (${pairs.map((p) => p.extend).join(', ')}); give the extend code from the rollback message or setupact.log for its row.`,
        causes: pairLines,
        remedyText:
          'Match the extend code Setup reported (the rollback message or SetupDiag) to the row above and follow its mitigation; read setupact.log / setuperr.log under $WINDOWS.~BT\\Sources\\Panther for the failing phase.',
        remedies: gate([humanRemedy(standardRemedy('R0')!)]),
        sources: srcList(['S28', 'S29']),
        verified: true,
        decoded,
        asOf: errorCodesAsOf(),
      },
    }
  }
  if (!entry) {
    const facility = decoded.facilityName
      ? `${decoded.facilityName} (${decoded.facility})`
      : `facility ${decoded.facility}`
    // Microsoft documents the code's name and message, but the knowledge holds no cause of a servicing failure for it:
    // said as its meaning, and the code stays not known.
    const documented = documentedMeaning(code)
    const parts = [
      documented
        ? `${documented.name}: ${documented.meaning}. Servicing Desk's knowledge holds no cause for it (as of ${errorCodesAsOf()})`
        : `Not in Servicing Desk's knowledge (as of ${errorCodesAsOf()}). Decoded: ${decoded.severity === 'error' ? 'an error' : 'a success/informational value'}`,
      ...(documented ? [] : [facility]),
    ]
    if (decoded.win32 != null) parts.push(`Win32 error ${decoded.win32}`)
    return {
      ok: true,
      value: {
        code,
        extend: norm.extend,
        extendMeaning,
        input: text,
        known: false,
        name: documented?.name ?? null,
        nameNote: null,
        component: documented?.component ?? null,
        meaning: `${parts.join('; ')}.`,
        causes: [],
        remedyText: 'Read the servicing logs for the first error near the failure time.',
        remedies: gate([humanRemedy(standardRemedy('R0')!)]),
        sources: srcList([...(documented?.sources ?? []), 'HDR', ...(extendMeaning?.sources ?? [])]),
        verified: false,
        decoded,
        asOf: errorCodesAsOf(),
      },
    }
  }
  const remedies: Remedy[] = entry.remedyIds.map((id) => standardRemedy(id)).filter((r): r is Remedy => r !== null)
  return {
    ok: true,
    value: {
      code,
      extend: norm.extend,
      extendMeaning,
      input: text,
      known: true,
      name: entry.name,
      nameNote: entry.nameNote,
      component: entry.component,
      // Microsoft's row for this exact result/extend pair says what the pair means; the result code alone is a part of it.
      meaning: extendMeaning?.pair
        ? `${extendMeaning.pair.cause} (${code} alone: ${h(entry.meaning)})`
        : h(entry.meaning),
      causes: [...entry.causes.map(h), ...pairLines],
      remedyText: words(entry.remedyText),
      remedies: gate(remedies.map(humanRemedy)),
      sources: srcList([
        ...new Set([...entry.sources, ...(extendMeaning?.sources ?? []), ...(pairs.length ? ['S28', 'S29'] : [])]),
      ]),
      verified: entry.verified,
      decoded,
      asOf: errorCodesAsOf(),
    },
  }
}
