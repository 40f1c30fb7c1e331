/** Every analyzer kind, in one list. Add a kind: one import and one entry. */
import type { Analyzer } from './analyzer.ts'

export const analyzers: Analyzer[] = [
]
