/**
 * Every fuzz target, in one list. `npm run fuzz` runs them with many cases; `test/unit/fuzz/` runs the
 * same ones with a few hundred cases in CI. Add a parser or a contract call: the registry test fails
 * until it is listed here (see `coveredParseExports` and `validInputs`).
 */
import type { FuzzTarget } from './target.ts'
import { parserTargets } from './targets/parsers.ts'
import { analyzeTargets } from './targets/analyze.ts'
import { knowledgeTargets } from './targets/knowledge.ts'
import { catalogTargets } from './targets/catalog.ts'
import { contractTargets } from './targets/contract.ts'
import { previewTargets } from './targets/preview.ts'
import { kitTargets } from './targets/kit.ts'
import { reagentcPathTargets } from './targets/reagentc-paths.ts'
import { fleetTargets } from './targets/fleet.ts'

export const fuzzTargets: readonly FuzzTarget<unknown>[] = [
  ...parserTargets,
  ...analyzeTargets,
  ...knowledgeTargets,
  ...catalogTargets,
  ...contractTargets,
  ...kitTargets,
  ...previewTargets,
  ...reagentcPathTargets,
  ...fleetTargets,
]

export function fuzzTarget(name: string): FuzzTarget<unknown> | undefined {
  return fuzzTargets.find((t) => t.name === name)
}
