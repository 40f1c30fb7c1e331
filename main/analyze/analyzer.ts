/**
 * Analyze: a person pastes text (a command's output, a log); we detect what it is and extract facts.
 *
 * Each kind is one Analyzer in `kinds/`, registered in `registry.ts`. Analyzers are pure and total:
 * they never throw, whatever the text.
 */
export interface AnalyzeFinding {
  id: string
  severity: 'critical' | 'error' | 'warning' | 'info'
  title: string
  detail: string
}

export interface AnalyzeOutput {
  facts: Record<string, unknown>
  findings: AnalyzeFinding[]
  warnings: string[]
}

export interface Analyzer {
  kind: string
  /** Human label for the UI, e.g. "DISM package list". */
  label: string
  /** 0 (certainly not this kind) … 1 (certainly this kind). Must be cheap and never throw. */
  detect(text: string): number
  analyze(text: string): AnalyzeOutput
}

export interface AnalyzeResult extends AnalyzeOutput {
  kind: string
}
