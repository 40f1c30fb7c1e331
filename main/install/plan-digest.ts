/**
 * The digest that ties a journal to its plan: SHA-256 of the plan's canonical JSON (keys
 * sorted at every level, no spaces). A journal records it when it is created; every load recomputes it,
 * and a run compares it with the plan the person confirmed, so a journal whose plan was swapped or edited
 * is refused.
 */
import { createHash } from 'node:crypto'

import { canonicalJson } from '../runner/canonical-json.ts'

export { canonicalJson }

/** SHA-256 (hex) of a plan's canonical JSON. */
export function planDigest(plan: unknown): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex')
}
