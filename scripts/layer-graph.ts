/**
 * The house's import graph as rooms and floors, measured from dependency-cruiser's JSON, not guessed.
 *
 *   node scripts/layer-graph.ts              cruise main/, preload/ and renderer/ now, print the numbers
 *   node scripts/layer-graph.ts --json F     read a saved `depcruise --output-type json` result instead
 *   node scripts/layer-graph.ts --arrows     also list every arrow with its import count
 *
 * A room is a folder right under main/, preload/ or renderer/src/ (main/install, renderer/screens), or a file that
 * lies there on its own (main/services.ts). An arrow is "room A imports room B" (any import, type-only too: a type
 * is a dependency of the design). The MAP below is the designed order of the rooms, bottom first
 * (ARCHITECTURE.md: app/cli/preview → services → domain folders → parse/knowledge/host); an arrow to a room higher
 * on the map is a back-arrow. A room's floor is measured: 0 when it imports no room below it, else one more than
 * the highest floor it imports by a forward arrow. Circles are file-level import cycles (strongly connected
 * components of more than one file). A room missing from the map is named and counted as unplaced: place it.
 * Exits 1 when a rule of the house is broken: a circle, or an arrow from diagnose or knowledge into host.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The designed order, bottom first. Each line's comment says why it sits where it does. */
export const MAP: readonly string[] = [
  // Shared leaves: no room below them.
  'main/errors.ts',
  'main/app-version.ts',
  'main/worker-url.ts',
  'main/bounded-input.ts',
  'main/data-dir.ts',
  'main/system-tools.ts', // the System32 program table and copyable command lines: data, no Host
  'main/atomic-write.ts',
  'main/lock-file.ts', // a lock held across processes (run, machine and download-cache locks)
  'preload/model',
  'preload/contract.ts',
  // The ground floor of ARCHITECTURE.md: pure parsers, knowledge as data, the Host port.
  'main/parse',
  'main/knowledge',
  'main/host',
  // Clients and models that stand on the ground floor.
  'main/catalog',
  'main/folders',
  'main/training', // the training model: implements the Host beside WindowsHost (it imports the Host, never the other way)
  'main/download',
  'main/security',
  'main/analyze',
  'main/runner',
  // Reading a PC and judging it: the timeline feeds the diagnosis; the probes (machine) read the PC through the Host and
  // may use the diagnosis's log scanners; the collector writes the same probes as a script.
  'main/timeline',
  'main/diagnose',
  'main/machine',
  'main/collector',
  // The definitions that produce steps for the runner, and what reads their journals.
  'main/kit',
  'main/install',
  'main/winre',
  'main/repair',
  'main/report',
  'main/media',
  'main/fix-package',
  'main/fleet',
  // The composition root (remote-hosts.ts wires the remote Hosts for it) and the front ends.
  'main/remote-hosts.ts',
  'main/machine-services.ts',
  'main/services.ts',
  'main/fleet-wiring.ts',
  'main/handlers.ts',
  'main/cli',
  'main/preview',
  'main/app',
  'preload/index.ts',
  // The renderer: strings, the router and the bridge below the stores, the flow, the components; the screens and the app on top.
  'renderer/styles.css',
  'renderer/vite-env.d.ts',
  'renderer/strings.ts',
  'renderer/text-decode.ts',
  'renderer/router.ts',
  'renderer/screen-registry.ts',
  'renderer/bridge',
  'renderer/stores',
  'renderer/resume-route.ts',
  'renderer/flow.ts',
  'renderer/components',
  'renderer/screens',
  'renderer/app.tsx',
  'renderer/main.tsx',
]

/** Rules of the house that hold whatever the map says: [from room, to room, why]. */
export const NEVER: readonly [string, string, string][] = [
  ['main/diagnose', 'main/host', 'diagnosis is judged from facts that come in as data; services reach the Host'],
  ['main/knowledge', 'main/host', 'knowledge is data; copyable commands are formatted without the Host'],
]

export function roomOf(path: string): string | null {
  const s = path.split('/')
  if (s[0] === 'main' || s[0] === 'preload') return s.length > 2 ? `${s[0]}/${s[1]}` : path
  if (s[0] === 'renderer' && s[1] === 'src' && s.length > 2) return `renderer/${s[2]}`
  return null
}

interface CruiseModule {
  source: string
  coreModule?: boolean
  dependencies: { resolved: string; coreModule?: boolean; dependencyTypes: string[] }[]
}
const local = (p: string) => /^(main|preload|renderer)\//.test(p) && !p.includes('node_modules')

export interface LayerGraph {
  rooms: string[]
  arrows: Map<string, number>
  backArrows: string[]
  broken: string[]
  floors: Map<string, number>
  circles: string[][]
  unplaced: string[]
}

export function layerGraph(modules: CruiseModule[]): LayerGraph {
  const files = modules.filter((m) => !m.coreModule && local(m.source))
  const arrows = new Map<string, number>()
  const rooms = new Set<string>()
  const fileAdj = new Map<string, string[]>()
  for (const m of files) {
    const from = roomOf(m.source)!
    rooms.add(from)
    const deps = m.dependencies.filter((d) => !d.coreModule && local(d.resolved))
    fileAdj.set(
      m.source,
      deps.map((d) => d.resolved),
    )
    for (const d of deps) {
      const to = roomOf(d.resolved)
      if (!to || to === from) continue
      rooms.add(to)
      const k = `${from} → ${to}`
      arrows.set(k, (arrows.get(k) ?? 0) + 1)
    }
  }
  const pos = new Map(MAP.map((r, i) => [r, i]))
  const unplaced = [...rooms].filter((r) => !pos.has(r)).sort()
  const at = (r: string) => pos.get(r) ?? MAP.length
  const pairs = [...arrows.keys()].map((k) => k.split(' → ') as [string, string])
  const backArrows = pairs
    .filter(([a, b]) => at(b) > at(a))
    .map(([a, b]) => `${a} → ${b}`)
    .sort()
  const broken = pairs.filter(([a, b]) => NEVER.some(([x, y]) => x === a && y === b)).map(([a, b]) => `${a} → ${b}`)
  // Floors: longest chain of forward arrows below each room (the forward arrows form no cycle: they follow the map).
  const floors = new Map<string, number>()
  const order = [...rooms].sort((a, b) => at(a) - at(b))
  for (const r of order) {
    let f = 0
    for (const [a, b] of pairs) if (a === r && at(b) < at(a)) f = Math.max(f, (floors.get(b) ?? 0) + 1)
    floors.set(r, f)
  }
  return { rooms: order, arrows, backArrows, broken, floors, circles: cycles(fileAdj), unplaced }
}

/** Strongly connected components of more than one file (Tarjan, iterative enough for this size). */
function cycles(adj: Map<string, string[]>): string[][] {
  let n = 0
  const index = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = []
  const visit = (v: string) => {
    index.set(v, n)
    low.set(v, n)
    n++
    stack.push(v)
    on.add(v)
    for (const w of adj.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = []
      let w: string
      do {
        w = stack.pop()!
        on.delete(w)
        c.push(w)
      } while (w !== v)
      if (c.length > 1) out.push(c.sort())
    }
  }
  for (const v of adj.keys()) if (!index.has(v)) visit(v)
  return out
}

function main(argv: string[]): number {
  const i = argv.indexOf('--json')
  const root = process.cwd()
  const text =
    i >= 0
      ? readFileSync(argv[i + 1]!, 'utf8')
      : execFileSync(
          join(root, 'node_modules/.bin/depcruise'),
          ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'main', 'preload', 'renderer'],
          { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 },
        )
  const g = layerGraph((JSON.parse(text) as { modules: CruiseModule[] }).modules)
  const byFloor = new Map<number, string[]>()
  for (const r of g.rooms) byFloor.set(g.floors.get(r)!, [...(byFloor.get(g.floors.get(r)!) ?? []), r])
  const floorCount = byFloor.size ? Math.max(...byFloor.keys()) + 1 : 0
  console.log('Floors (top first):')
  for (let f = floorCount - 1; f >= 0; f--)
    console.log(`  ${String(f).padStart(2)}  ${(byFloor.get(f) ?? []).join('  ')}`)
  if (argv.includes('--arrows')) {
    console.log('Arrows:')
    for (const [k, c] of [...g.arrows].sort()) console.log(`  ${k}  (${c})`)
  }
  console.log(`Back-arrows (${g.backArrows.length}):`)
  for (const a of g.backArrows) console.log(`  ${a}  (${g.arrows.get(a)} import${g.arrows.get(a) === 1 ? '' : 's'})`)
  console.log(`Broken rules (${g.broken.length}):`)
  for (const a of g.broken) console.log(`  ${a}: ${NEVER.find(([x, y]) => a === `${x} → ${y}`)![2]}`)
  console.log(`Circles (${g.circles.length}):`)
  for (const c of g.circles) console.log(`  ${c.join(' ↔ ')}`)
  if (g.unplaced.length)
    console.log(
      `Unplaced rooms (${g.unplaced.length}), add them to MAP in scripts/layer-graph.ts: ${g.unplaced.join(' ')}`,
    )
  console.log(
    `${g.rooms.length} rooms on ${floorCount} floors, ${g.arrows.size} arrows, ${g.backArrows.length} back-arrows, ${g.broken.length} broken rules, ${g.circles.length} circles`,
  )
  return g.circles.length || g.broken.length ? 1 : 0
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2))
