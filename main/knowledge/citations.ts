/**
 * Turns the knowledge data's internal citation keys into what a person can read: `[S21]` becomes the
 * source's name (its quoted title, or its first part), `R0`…`R10` become the remedy's title, and pointers
 * into our own reference notes ("see 1.4") are dropped. The keys stay in the data (`sources[].key`,
 * `remedies[].id`) for machines; human text (meanings, causes, remedy texts, step explanations) never
 * carries them.
 */
import { errorCodeSources, standardRemedy } from './error-codes.ts'
import chains from './data/servicing-chains.json' with { type: 'json' }
import winre from './data/winre-targets.json' with { type: 'json' }
import issues from './data/known-issues.json' with { type: 'json' }

/**
 * The data files' source tables in the order a key is looked up: a key defined in two files keeps its first
 * definition (a later file's spread overwrote the WinRE file's S22, so the WinRE Server 2022 target showed
 * the wrong source); the knowledge test checks that a key two files share names the same address. Each table is read
 * when a look-up first reaches it, not at import: the CLI reads the servicing chains' sources from a file
 * beside its bundle on first use, and `explain` resolves a key only after WinRE's table and the chains' have said they
 * do not hold it — the same answers as the one merged table this used to build at import
 * (test/unit/knowledge/citations-resolve.test.ts).
 */
const tables: readonly (() => Record<string, string>)[] = [
  () => winre.sources as Record<string, string>,
  () => chains.sources as Record<string, string>,
  errorCodeSources,
  () => issues.sources as Record<string, string>,
]

/** The full text we keep for a source key, or null for an unknown key (one only an object's prototype has included). */
export function sourceText(key: string): string | null {
  for (const table of tables) {
    const t = table()
    if (Object.hasOwn(t, key)) return t[key] ?? null
  }
  return null
}

/** A short name for a source: its quoted title when it has one, else the text before " — " / " (". */
export function sourceName(key: string): string | null {
  const t = sourceText(key)
  if (!t) return null
  const quoted = /"([^"]{4,120})"/.exec(t) ?? /“([^”]{4,120})”/.exec(t)
  if (quoted) return `“${quoted[1]}”`
  const head = t
    .split(/ — | \(|; /)[0]
    .trim()
    .replace(/[.;,]$/, '')
  return head.length > 100 ? `${head.slice(0, 97)}…` : head
}

/**
 * The texts already made human, by their text: the same few hundred knowledge texts pass through here on every
 * diagnosis (six expressions each; 10% of the CPU of the property test that diagnoses 2,000 PC states), and the
 * answer depends on the text alone (the source tables and the standard remedies do not change while running).
 */
const humanized = new Map<string, string>()
const HUMANIZED_MAX = 4096
const HUMANIZED_LONGEST = 4096

/** Human text without internal keys: `[S21]` → `(source: “…”)`, `R0` → `“Read the servicing logs first”`, "see 1.4" dropped. */
export function humanizeCitations(text: string): string {
  const hit = humanized.get(text)
  if (hit !== undefined) return hit
  const out = humanizedOnce(text)
  if (text.length <= HUMANIZED_LONGEST) {
    if (humanized.size >= HUMANIZED_MAX) humanized.clear()
    humanized.set(text, out)
  }
  return out
}

function humanizedOnce(text: string): string {
  let out = text.replace(/\s*\[([A-Za-z][A-Za-z0-9-]{0,15})\]/g, (whole, key: string) => {
    const name = sourceName(key)
    return name ? ` (source: ${name})` : whole
  })
  // A remedy's id, never the R2 of a Windows name ("Windows Server 2012 R2", "8.1/2012 R2"): a year before it is a name.
  out = out.replace(/(?<!\d[ \u00a0])\b(R\d{1,2})\b/g, (whole, id: string) => {
    const r = standardRemedy(id)
    return r ? `“${r.title}”` : whole
  })
  out = out
    .replace(/\s*\((?:see|cf\.) (?:§\s?)?\d+(?:\.\d+)*\)/gi, '')
    .replace(/[,;]?\s*(?:see|cf\.) (?:§\s?)?\d+(?:\.\d+)+\b/gi, '')
  out = out.replace(/\s*\(servicing-facts §[\d.]+\)/g, '').replace(/\s*servicing-facts §[\d.]+/g, '')
  return out
}
