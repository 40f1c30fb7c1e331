/**
 * diagnose(): diagnose-core.ts with the reader of pasted text (pasted-text.ts), for callers that may hand it a text.
 * The diagnosis service loads that reader only when a request carries a text (a code or a machine needs none of it).
 */
import type { DiagnoseOutput } from '../../preload/model/diagnosis.ts'
import { type DiagnoseArgs, diagnoseCore } from './diagnose-core.ts'
import { readPastedText } from './pasted-text.ts'

export type { DiagnoseArgs } from './diagnose-core.ts'

export function diagnose(args: DiagnoseArgs): DiagnoseOutput {
  return diagnoseCore(args, readPastedText)
}
