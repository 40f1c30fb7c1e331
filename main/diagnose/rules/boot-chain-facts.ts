/**
 * The boot-chain knowledge (knowledge/data/boot-chain.json) as the boot-chain rules use it: a fact's text,
 * whether it is verified, and its sources as URLs a person can open. Unverified facts carry their label.
 */
import data from '../../knowledge/data/boot-chain.json' with { type: 'json' }

type FactId = (typeof data.facts)[number]['id']

const sources = data.sources as Record<string, string>

/** The URL of a source key (the text after " — "), or the key's text when it has no URL. */
export function sourceUrl(key: string): string {
  const t = sources[key] ?? key
  const m = /https?:\/\/\S+/.exec(t)
  return m ? m[0].replace(/[),]+$/, '') : t
}

export function bootFact(id: FactId): { text: string; verified: boolean; sources: string[]; reason: string | null } {
  const f = data.facts.find((x) => x.id === id)
  if (!f) throw new Error(`boot-chain fact ${id} is missing`)
  return {
    text: f.text,
    verified: f.verified,
    sources: f.sources.map(sourceUrl),
    reason: 'reason' in f && typeof f.reason === 'string' ? f.reason : null,
  }
}

/** A fact's text for a person: unverified ones say so and why. */
export function factText(id: FactId): string {
  const f = bootFact(id)
  const src = `source: ${f.sources.map((u) => u.replace(/^https?:\/\//, '')).join(', ')}`
  return f.verified
    ? `${f.text} (${src})`
    : `${f.text} (unverified: ${f.reason ?? 'no Microsoft page we could read states it'}; ${src})`
}

export const BOOT_CHAIN_AS_OF = data.asOf
