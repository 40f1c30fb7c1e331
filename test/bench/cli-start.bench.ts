/**
 * Benchmark: how long the command line takes to start and answer, against `node -e 0` in the same run.
 * Each command is a child process of the built CLI (out/cli/servicing-desk.js; built first when it is missing or older
 * than a source), run in rounds so a change of load touches every command alike; one round first warms the disk
 * cache and creates the empty fleet store, and is not counted. Wall: spawn to exit. CPU: user + system of the child
 * and its threads (Linux: the children's times in /proc/self/stat, in clock ticks, 10 ms; elsewhere not measured).
 * Each is the median of the rounds; the ratio is to the median of `node -e 0`.
 * Targets, on an idle machine: `explain`, `knowledge`, `analyze` of a small file, `diagnose --code`, `diagnose --machine`,
 * `repairs` and `fleet groups` on an
 * empty store each ≤ 150 ms wall and ≤ 200 ms CPU. And at any load: `diagnose --code`, `diagnose --machine` and `repairs`
 * each ≤ 2× the CPU of `node -e 0` in the same rounds (a `bound:` line each, met or MISSED). Prints numbers; asserts nothing.
 * `npm run bench -- cli-start [--runs N] [--sources] [--cold] [--compare=DIR]` (--sources adds `explain` run from the
 * TypeScript sources, as a fresh clone without a build runs it, and the launcher path `npm run cli` takes).
 * Node's compile cache (main/cli/compile-cache.ts) is the bench's own (XDG_CACHE_HOME in a temp folder): the warm-up
 * round fills it and the rounds measure warm starts; `--cold` adds each command with an empty cache each run (the first
 * start after a build writes the cache and costs more); `--compare=DIR` adds each command of another build (a copy of
 * out/cli made before a change, kept inside the project) in the same rounds.
 * `--instructions` adds each command's instruction count (load-independent, unlike wall time on a shared machine):
 * valgrind --tool=cachegrind, node --single-threaded, the fewest of 3 runs, less Node's own `detail::sprp` (a prime test
 * of random length in Node's start that moves a count by 2-11 M); needs valgrind on PATH.
 * Measured (2026-11-25, 2 cores shared with seven other agents' work, load 28: every number runs slow; medians of 5
 * interleaved rounds, /usr/bin/time; "before" is commit 4f79d9a run from its sources, every command module and the
 * services loaded at start): `node -e 0` 870 ms wall / 130 ms CPU;
 *   explain 0x800f0922   before 14.2 s / 2,740 ms CPU (21x node)  after 1.30 s / 220 ms CPU (1.7x)
 *   knowledge            before 15.0 s / 2,630 ms CPU (20x)       after 1.74 s / 300 ms CPU (2.3x)
 *   analyze 1.3 KB --json before 6.1 s / 1,090 ms CPU (8.4x)      after 1.97 s / 340 ms CPU (2.6x)
 *   fleet groups (empty) before 14.8 s / 2,600 ms CPU (20x)       after 2.58 s / 470 ms CPU (3.6x)
 * Round 2 (2026-11-25, still no idle machine; medians of 9 rounds, three runs at load 6.1-6.8, 2 cores shared):
 *   node -e 0 203-228 ms wall / 110-120 ms CPU; explain 332-455 / 180-230 ms CPU (1.6-1.9x node); knowledge 334-484 /
 *   190-210 (1.7-1.8x); analyze 356-605 / 220-260 (2.0-2.2x); fleet groups 331-397 / 170-200 (1.5-1.7x); explain via
 *   the launcher 330-449 / 200-230. In instructions (valgrind --tool=cachegrind, node --single-threaded, load-free):
 *   node -e 0 ~95 M; explain 350 -> 221 M, knowledge 504 -> 266, analyze 469 -> 338, fleet groups 768 -> 209.
 * What round 2 took out: the ES facades of Node's built-ins (vite.cli.config.ts takes them from
 * process.getBuiltinModule; child_process and crypto load on first use), the making of process.stdout/stderr (~45 M
 * instructions: main/cli/std-write.ts writes to the descriptors), zod for knowledge (overlay schema only with an overlay
 * file) and fleet groups (the store alone: no intake readers, no single-PC diagnosis, no zod), and half the launcher's
 * currency check. Tried and not kept: Node's compile cache (module.enableCompileCache / NODE_COMPILE_CACHE: no gain,
 * the cache's reads cost what the compile saved), a minified bundle, an ASCII-only bundle (both measured no better).
 * Round 4 (2026-11-26, instructions as above, --single-threaded): node -e 0 93 M; explain 229 -> 209 M, knowledge 266 ->
 *   252, analyze 335 -> 316, fleet groups 209 -> 206. Taken out: the eight modules every start loads in one chunk
 *   (vite.cli.config.ts START_MODULES) with their built-ins from process.getBuiltinModule (a `process$1` import had
 *   escaped the rewrite and loaded node:process's ES facade), and DISM's localized state words matched in lower case
 *   with their side letters checked by hand (`\p{L}` lookarounds under `iu` built the Unicode letter set through ICU
 *   and closed each class over case: ~28 M); analyze then 307 M. Then the knowledge's sorts of release dates and KB ids
 *   by code unit, not localeCompare (its first call loads ICU's collation data: ~66 M): knowledge 252 -> 186 M.
 *   Wall, idle (load 0.7, 9 rounds): node -e 0 95 ms; explain 151 (+56 over node; round 3 +60), knowledge 136 (+41; was
 *   +59), analyze 174 (+79; was +87), fleet groups 140 (+45; was +57). Runs a minute apart on this idle machine differ by
 *   10-20 ms (one gave node -e 0 119 ms); the instruction counts above do not. An A/B of the round-3 build (df74722)
 *   against this one, 15 interleaved rounds: explain 150/151, analyze 176/180, knowledge 147/135, fleet groups 141/135.
 * What is left: Node's own start (~95 M), commander and the data folder's guard (~20 M), each command's own modules
 * (analyze loads every kind's reader to tell the kind: ~130 M).
 * Round 5 (2026-11-26; instructions as above but without node's `detail::sprp`, a prime test of random length in Node's
 *   own start that moved a run's count by 2-11 M: minimum of 3 runs; node -e 0 87.5 M on this count): the bundle is ASCII
 *   (vite.cli.config.ts: charset 'ascii', comments dropped; one non-ASCII character made Node decode a chunk from UTF-8
 *   to a two-byte string V8 scans two bytes a character) and the knowledge's JSON files are JSON.parse text, not object
 *   literals compiled as code. f79b493 -> this: explain 203.8 -> 193.7 M, knowledge 183.5 -> 168.8, analyze 297.2 ->
 *   287.1, fleet groups 199.3 -> 186.7. Where explain's rest goes (callgrind): module compile ~27 M, lazy function
 *   compiles ~22 M, regular expressions ~13 M (45 patterns; ICU's case closing ~4 M of it), JSON.parse ~8 M, GC ~6 M;
 *   calling explain() itself is ~21 M of it (normalizing the code ~7, the citations ~5). Tried and not kept: the CLI as
 *   CommonJS (an empty CJS entry costs ~33 M less than an ES one, but the bundle as CJS cost more until its built-ins
 *   were made lazy, then only ~8 M less, with require(esm) of execa and default-import interop to prove: not done);
 *   commander's `\p{ID_Continue}` variadic test guarded by an ASCII test (no change once the count left out sprp); the
 *   JSON text re-quoted in single quotes with JSON-level \u escapes (~3 M on the error codes' chunk: not kept);
 *   Node's compile cache (again no gain). Measured, not done (they need V8 flags on Node's command line, which a
 *   technician's `node servicing-desk.js` or the package's bin does not pass; set at run time through node:v8 they cost
 *   ~35 M more): --min-semi-space-size=16 (fewer young-generation collections) explain -6 M, analyze -8 M;
 *   --regexp-tier-up-ticks=20 (a pattern run a few times on short text stays interpreted, not compiled twice) explain
 *   -3 M, analyze -7 M. Wall at load 1.6 (the lead's suite beside it; not idle, not comparable to the targets): node -e 0
 *   134 ms, explain 221, knowledge 195, analyze 238, fleet groups 209.
 * Round 6 (2026-11-26; instructions as round 5, now printed by --instructions): 29b02f4 -> this: explain 193.6 -> 191.6 M,
 *   knowledge 168.9 -> 166.1, analyze 286.9 -> 224.0, fleet groups 187.7 -> 184.2 (node -e 0 87.5). What went: analyze
 *   ran every reader's detector and so loaded every reader's parsers; main/analyze/detect-kinds.ts now tells five kinds
 *   itself (their readers' detect is the same function) and, for the others, gives each one's highest score and a cheap
 *   gate, so only the readers that can be the answer are imported (analyze-loading.ts; a package list: the package
 *   reader alone; -43 M). Its always-loaded modules in one chunk (vite.cli.config.ts ANALYZE_MODULES; 20 chunks -> 11,
 *   -18 M). Every command: output.ts looked through PATH's folders and read package.json at every start to say how to
 *   run itself (self-command.ts); now on the first line that names a command (-2 to -3 M under a shell's PATH of 12
 *   folders, -13 M under npm's of 17: under `npm run bench` every CLI count had been ~10 M higher than run by hand).
 *   Tried and not kept: the same chunk grouping for fleet groups (+26 M), a package.json beside the bundle to end
 *   Node's package scope walk (-0.3 M). Wall at load 5.2 (15 rounds, not idle, not comparable to the targets): node -e 0
 *   155 ms, explain 213 (+58), knowledge 189 (+35), analyze 225 (+70), fleet groups 220 (+65); CPU 110 / 170 / 160 /
 *   180 / 160 ms. What is left, by cpu-prof: module compiles and the loader (~20% of analyze), the error codes' JSON
 *   (explain and analyze, ~8 M), explain's step kinds (a regex compiled per kind tried), commander's registering of
 *   fleet's subcommands and the SQLite store's open (fleet groups).
 * Round 7 (2026-11-26; instructions as round 6): 90d2820 -> this: analyze 219.3 -> 188.1 M (190 M without the two readings taken back), explain 191.3 -> 186.7,
 *   knowledge 166.2 -> 164.1, fleet groups 185.1 -> 185.0 (node -e 0 87.5). What went from analyze: the error codes' tables
 *   and the servicing chains, a JSON string literal each that every start scanned and parsed, are files beside the bundle
 *   read on first use (vite.cli.config.ts LAZY_DATA; error-codes.ts and servicing-chains.ts read their data only when
 *   called): a package list uses neither (-16 M); detection skips the kinds whose highest score cannot beat the best so far
 *   (a package list: 1 of 5 detections) and English package states are read by a table, not eleven patterns (-7 M); a
 *   pattern is not run (so not compiled) where a cheap look says it cannot match: symptoms, the web-page tags, stripped
 *   tildes, the paste prefixes (-6 M); the status words in the start chunk (-0.7 M). A package list read first without
 *   the servicing chains' code and again with it when it names a cumulative update (-1.8 M on the bench's list) was
 *   taken back: a PC's real list always names one, and there the second reading costs more than it saved. The
 *   CLI's analyze starts no worker thread (the app's analyze-off-thread.ts does). Wall, 9 rounds: at load 2.5 node -e 0 99
 *   ms, explain 134, knowledge 132, analyze 138, fleet groups 137 (CPU 130-140 ms); at load 2.1-2.2 node -e 0 128-134,
 *   analyze 168-180 (+40-47, the least of the four). 15 rounds interleaved with 90d2820's build at load 2.3-3.1: analyze
 *   172 -> 147 ms wall, 180 -> 150 ms CPU. Left: analyze parses ~10 M more module text than explain (its reader and the
 *   text cleaning) and loads two re-export chunks (~0.5 M each) the bundler makes for its dynamic imports.
 * Round 8 (2026-11-26; a faster machine than round 7's: node -e 0 25 ms wall here, 100-107 ms there; instructions as
 *   round 7, node -e 0 87.7 M). `--cold --compare=out/cli-base --instructions`, out/cli-base a build of 6950884, 15 rounds
 *   at load 1.1. Warm / cold / before, instructions: explain 163.9 / 184.2 / 186.8 M; knowledge 155.5 / 172.8 / 164.3;
 *   analyze 171.9 / 202.6 / 190.4; fleet groups 153.7 / 177.2 / 185.4. Wall (median): explain 40 / 48 / 45 ms; knowledge
 *   38 / 48 / 40; analyze 42 / 53 / 45; fleet groups 39 / 51 / 44. What went: Node's compile cache in the user's own
 *   cache folder (main/cli/compile-cache.ts; a folder per build; never on Windows; -9 to -19 M warm, +8 to +12 M on the first
 *   start after a build, which writes it; a cachegrind run under --single-threaded has a cache of its own (V8's flags
 *   are in its key), so a count not preceded by such a run measures a cold start: maybe why rounds 2 and 5 saw no gain); node:fs/promises loaded on first call (fleet groups -19 M); a curated code's entry
 *   without the ~500 reference entries and the WU page's codes (explain -9.6 M); step kinds try only the patterns a
 *   command can match (explain -2.8 M); citations read each file's sources on first use, the chains' apart (explain
 *   -1 M). GC: one scavenge per command (explain had two), ~1 ms of a 40 ms start. Left: Node's own ESM start (an empty
 *   .mjs is 100.5 M, an empty .cjs 79.4 M), each module ~0.8 M to load, commander's option objects.
 * Round 9 (2026-11-27; instructions as round 8, fewest of 2; node -e 0 87.5 M): 825b3f5 -> this: diagnose --code 249.5 ->
 *   240.0 M, diagnose --machine 873 -> 813 (no remembered verdict: 785 -> 727), repairs 1,076 -> 849. What went: repairs'
 *   runner, locks, script writer and (no journal) journal store with their zod schemas; analyze's start chunk (the
 *   scan's readers share only the console text and the outcome words with it, now a chunk apart); a remote PC's Host,
 *   transport and iconv-lite. CPU at load 5.5, 7 rounds, --compare: diagnose --machine 510 -> 470 ms, repairs 620 -> 500
 *   (node -e 0 120). Left (docs/cli.md): ~65 chunks, the training machine's rendering, the log scan, zod for a remembered
 *   verdict.
 * Round 10 (2026-11-27; instructions as round 9, with a remembered verdict as these rounds have it): diagnose --machine
 *   822 -> 626 M, repairs 844 -> 644, diagnose --code 254 both. What went: ICU's locale data (localeCompare's collator for sorts of ISO times,
 *   toLocaleString's number format for the training WinRE image's size; main/parse/locale-free.ts) and zod for a
 *   remembered verdict's file as the app writes it (main/timeline/verdict-memory-check.ts). CPU at load 31, 5 rounds,
 *   --compare: diagnose --machine 680 -> 560 ms, repairs 730 -> 560 (node -e 0 160). Left: docs/cli.md.
 * Round 11 (2026-11-27): no node:crypto, perf_hooks or training-state copies for a read, no WebAssembly finder for a small
 *   log, the renderers of machine-changing commands on first use, the scan and training machine in one chunk (docs/cli.md).
 *   diagnose --machine 629.1 -> 525.4 M; CPU at load 13.6, 7 rounds, --compare: diagnose --machine 450 -> 380 ms (2.9x),
 *   repairs 470 -> 390 (3.0x), diagnose --code 260 (2.0x) (node -e 0 130). The bound lines: met / MISSED per command.
 * Round 12 (2026-11-28): the advice gate tries a kind's alternatives by their words, never read's whole pattern of 20
 *   programs (~50 M to compile twice). Instructions 610.7 -> 568.0 M (diagnose --machine), 633.1 -> 591.9 (repairs),
 *   334.6 -> 312.6 (diagnose --code); CPU at load 34, 5 rounds, --compare (node -e 0 140 ms): diagnose --code 320 -> 300
 *   ms (2.3x -> 2.1x), diagnose --machine 490 -> 470 (3.5x -> 3.4x), repairs 500 -> 460 (3.6x -> 3.3x).
 * Round 13 (2026-11-28): no outcome words' table for a diagnosis without a text (the BitLocker words apart,
 *   knowledge/bitlocker-words.ts) and no hardware-block patterns run on an empty text. Instructions 318.3 -> 281.9 M
 *   (diagnose --code), 572.5 -> 536.6 (diagnose --machine), 601.3 -> 565.0 (repairs); CPU at load 22.7, 15 rounds
 *   (docs/cli.md): 2.13x -> 2.04x, 3.22x -> 3.14x, 3.36x -> 3.22x node -e 0.
 * Round 19 (2026-11-28): no Node streams for a training machine's files (Host.openRead gives any async iterable of chunks;
 *   the training host's is one chunk). Instructions 535.6 -> 500.0 M (diagnose --machine), 563.1 -> 529.5 (repairs),
 *   282.8 / 283.1 (diagnose --code); CPU by wait4, 21 rounds at load 6 (docs/cli.md): 4.61x -> 4.49x, 4.83x -> 4.62x.
 *   Measured, not done (docs/cli.md): the bundle as CommonJS with each chunk's code cache written after the run
 *   (vm.Script createCachedData, so it holds the functions the command compiled; Node's compile cache holds only the
 *   top level): 280.4 -> 198.1 M, 498.6 -> 350.8, 528.5 -> 370.7; CPU 2.45x -> 1.94x, 4.10x -> 3.09x, 4.21x -> 3.16x.
 * Round 20 (2026-11-28): the step kinds' schemas built on first read (repairs of x64-component-store-corrupt 609.9 ->
 *   602.4 M; this bench's repairs, on a machine with no steps of ours, 533.5 / 533.6) and node:readline/promises on
 *   first question (repairs 530.9 -> 524.7 M). This bench at load 9.9: 283.1 M (3.22x node's 87.8), 503.1 (5.73x),
 *   524.7 (5.98x); bound lines 3.00x / 5.50x / 6.00x MISSED. Where the rest goes and
 *   why 2x is out of reach by this way of starting (an empty ES entry is 100.7 M; a second Node for a snapshot 87 M
 *   more): docs/cli.md.
 * Round 21 (2026-11-28): a text's facts and story read once per process (analyze's verdict reads the same text again)
 *   and the known issues (234 KB of JSON) as lazily read data. This bench at load 1.6, --compare against 8072569:
 *   explain 212.1 -> 201.2 M, knowledge 182.1 -> 178.8, analyze 593.2 -> 538.8 (6.79x -> 6.16x node's 87.4), diagnose
 *   --code 287.5 -> 283.2 (3.24x), diagnose --machine 506.7 -> 502.5 (5.75x), repairs 526.9 -> 524.8 (6.00x).
 * Round 30 (2026-11-29): the chunks' imports of each other resolved by URL (main/cli/chunk-resolve.ts), the known issues
 *   read only where a row can be met, the codes in play read once per input (docs/cli.md). This bench, 15 rounds at load
 *   5.8, --compare against 5982ab7: instructions diagnose --code 297.5 -> 246.9 M (2.82x node's 87.5), diagnose
 *   --machine 513.7 -> 475.6, repairs 534.9 -> 497.5, explain 202.1 -> 197.5; CPU 80 -> 70 ms, 150 -> 130, 150 -> 140
 *   (node -e 0 30; clock ticks of 10 ms). Then the entry's own --no-lazy (main/cli/bin.ts): this bench at load 1.3,
 *   CPU diagnose --code 60 ms (2.00x, its bound met in that run), --machine 140 (4.67x), repairs 120 (4.00x); by
 *   getrusage, 30 interleaved runs twice: 80 -> 66, 147 -> 116, 138 -> 120.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { builtCli } from '../../bin/built-cli.mjs'

const root = join(import.meta.dirname, '../..')
const args = process.argv.slice(2)
const runsAt = args.indexOf('--runs')
const ROUNDS = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1]) || 9) : 9
const withSources = args.includes('--sources')
const withInstructions = args.includes('--instructions')
const withCold = args.includes('--cold')
/**
 * `--compare=DIR`: another build of the CLI (a folder holding servicing-desk.js, inside the project so that it finds
 * node_modules: e.g. a copy of out/cli made before a change), measured in the same rounds. One word, `=`: npm run bench
 * takes a word without a dash for a benchmark's name.
 */
const compareArg = args.find((a) => a.startsWith('--compare='))
const compare = compareArg ? resolve(root, compareArg.slice('--compare='.length)) : null

/** The children's CPU seconds so far (utime + stime of every waited-for child), or null where /proc is not there. */
function childrenCpu(): number | null {
  try {
    // Fields after the command name (which may hold spaces, in parentheses): cutime and cstime are the 16th and 17th.
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[13]) + Number(f[14])) / TICKS
  } catch {
    return null
  }
}
const TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })
  return Number(r.stdout) || 100
})()

let cli = builtCli(root).path
if (!cli) {
  process.stdout.write(
    `the built CLI is missing or older than a source (${builtCli(root).reason}): building it (vite.cli.config.ts)\n`,
  )
  const [{ build }, { cliBuildConfig }] = await Promise.all([import('vite'), import('../../vite.cli.config.ts')])
  await build(cliBuildConfig())
  cli = builtCli(root).path
  if (!cli) throw new Error(`the CLI built is not current: ${builtCli(root).reason}`)
}

const home = mkdtempSync(join(tmpdir(), 'sd-cli-start-'))
/** cachegrind's output files: not in the data folder the commands read. */
const counts = mkdtempSync(join(tmpdir(), 'sd-cli-start-counts-'))
/**
 * The commands' cache root (XDG_CACHE_HOME): Node's compile cache of the built CLI goes to servicing-desk/compile-cache
 * in it (main/cli/compile-cache.ts). The warm-up round fills it, so the rounds measure warm starts, as every start after
 * a build's first is; `--cold` adds each command with an empty cache every run (the first start after a build).
 */
const cache = mkdtempSync(join(tmpdir(), 'sd-cli-start-cache-'))
const small = join(root, 'test/fixtures/dism-packages/en-us-table-24h2-openssh2282.txt')
interface Case {
  label: string
  argv: string[]
  target: boolean
  cold?: boolean
  /** Bounded by CPU_RATIO_BOUND × node -e 0's CPU in the same rounds (met or MISSED, whatever the load). */
  ratioBound?: boolean
}
/**
 * The bound on a machine's diagnosis and the repairs: they start like explain, within this many times `node -e 0`'s
 * CPU. A ratio to node measured in the same rounds holds at any load, unlike the wall and CPU targets of an idle machine.
 */
const CPU_RATIO_BOUND = 2
const commands: { label: string; args: string[]; ratioBound?: boolean }[] = [
  { label: 'explain 0x800f0922', args: ['explain', '0x800f0922'] },
  { label: 'knowledge', args: ['knowledge'] },
  { label: 'analyze (1.3 KB DISM list) --json', args: ['analyze', small, '--json'] },
  { label: 'fleet groups (empty store)', args: ['fleet', 'groups'] },
  { label: 'diagnose --code 0x80073712', args: ['diagnose', '--code', '0x80073712'], ratioBound: true },
  {
    label: 'diagnose --machine x64-component-store-corrupt',
    args: ['diagnose', '--machine', 'x64-component-store-corrupt'],
    ratioBound: true,
  },
  { label: 'repairs', args: ['repairs'], ratioBound: true },
]
if (compare && !existsSync(join(compare, 'servicing-desk.js')))
  throw new Error(`--compare ${compare}: no servicing-desk.js there`)
const compareName = compare ? relative(root, compare) || compare : ''
const cases: Case[] = [
  { label: 'node -e 0', argv: ['-e', '0'], target: false },
  ...commands.map((c) => ({ label: c.label, argv: [cli, ...c.args], target: true, ratioBound: c.ratioBound })),
  ...(withCold
    ? commands.map((c) => ({ label: `${c.label} [cache cold]`, argv: [cli, ...c.args], target: false, cold: true }))
    : []),
  ...(compare
    ? commands.map((c) => ({
        label: `${c.label} [${compareName}]`,
        argv: [join(compare, 'servicing-desk.js'), ...c.args],
        target: false,
      }))
    : []),
  {
    label: 'explain via bin/servicing-desk.mjs',
    argv: [join(root, 'bin/servicing-desk.mjs'), 'explain', '0x800f0922'],
    target: false,
  },
  ...(withSources
    ? [
        {
          label: 'explain from the sources (main/cli/bin.ts)',
          argv: [join(root, 'main/cli/bin.ts'), 'explain', '0x800f0922'],
          target: false,
        },
      ]
    : []),
]

/** The children's environment: the bench's data folder, and its cache root (an empty one for a cold case). */
function envFor(c: Case): NodeJS.ProcessEnv {
  const xdg = c.cold ? mkdtempSync(join(cache, 'cold-')) : cache
  // Without NODE_COMPILE_CACHE / NODE_DISABLE_COMPILE_CACHE from the caller (Node takes the latter set to anything as off).
  const { NODE_COMPILE_CACHE: _cache, NODE_DISABLE_COMPILE_CACHE: _off, ...env } = process.env
  return { ...env, SERVICING_DESK_HOME: home, XDG_CACHE_HOME: xdg }
}

function once(c: Case): { wall: number; cpu: number | null } {
  const cpu0 = childrenCpu()
  const t0 = performance.now()
  const env = envFor(c)
  const r = spawnSync(process.execPath, c.argv, {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  const wall = performance.now() - t0
  const cpu1 = childrenCpu()
  if (r.status !== 0) throw new Error(`${c.label}: exit ${r.status}: ${r.stderr}`)
  return { wall, cpu: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) * 1000 }
}

/**
 * Millions of instructions of one command (the fewest of `runs`), by cachegrind's count less the functions named
 * `sprp`; null without valgrind.
 */
function instructions(c: Case, runs = 3): number | null {
  let best: number | null = null
  // --single-threaded is part of the compile cache's key (V8's flags): one start with it, not counted, fills the cache
  // the counted runs read, as the wall rounds' warm-up does for theirs.
  if (!c.cold)
    spawnSync(process.execPath, ['--single-threaded', ...c.argv], { cwd: root, env: envFor(c), stdio: 'ignore' })
  for (let i = 0; i < runs; i++) {
    const out = join(counts, `cachegrind-${i}.out`)
    const r = spawnSync(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        `--cachegrind-out-file=${out}`,
        process.execPath,
        '--single-threaded',
        ...c.argv,
      ],
      { cwd: root, env: envFor(c), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    )
    if (r.error || r.status !== 0) return null
    let total = 0
    let sprp = 0
    let inSprp = false
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      if (line.startsWith('fn=')) inSprp = line.includes('sprp')
      else if (line.startsWith('summary: ')) total = Number(line.slice(9))
      else if (inSprp) {
        const n = Number(line.split(' ')[1])
        if (Number.isFinite(n)) sprp += n
      }
    }
    rmSync(out, { force: true })
    const m = (total - sprp) / 1e6
    if (best === null || m < best) best = m
  }
  return best
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

try {
  const load = loadavg()[0]
  process.stdout.write(
    `cli-start: ${ROUNDS} rounds after one warm-up, load ${load.toFixed(1)} on ${cpus().length} cores; the built CLI ${cli}; Node's compile cache warm (filled by the warm-up round)${withCold ? ', and cold ([cache cold]: empty each run)' : ''}\n`,
  )
  for (const c of cases) once(c)
  const walls = new Map<Case, number[]>(cases.map((c) => [c, []]))
  const cpus_ = new Map<Case, number[]>(cases.map((c) => [c, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      const m = once(c)
      walls.get(c)!.push(m.wall)
      if (m.cpu !== null) cpus_.get(c)!.push(m.cpu)
    }
  }
  const base = cases[0]!
  const baseWall = median(walls.get(base)!)
  const baseCpu = cpus_.get(base)!.length ? median(cpus_.get(base)!) : null
  process.stdout.write(
    `${'command'.padEnd(46)} ${'wall ms'.padStart(8)} ${'x node'.padStart(7)} ${'+ node'.padStart(7)} ${'CPU ms'.padStart(8)} ${'x node'.padStart(7)}  target (≤ 150 ms wall, ≤ 200 ms CPU, idle)\n`,
  )
  for (const c of cases) {
    const w = median(walls.get(c)!)
    const cs = cpus_.get(c)!
    const cpu = cs.length ? median(cs) : null
    const ratio = (x: number, b: number | null) => (b ? `${(x / b).toFixed(1)}x` : '-')
    const verdict = !c.target
      ? ''
      : w <= 150 && (cpu === null || cpu <= 200)
        ? 'met'
        : `not met here${load > 1 ? ` (at load ${load.toFixed(1)})` : ''}`
    process.stdout.write(
      `${c.label.padEnd(46)} ${w.toFixed(0).padStart(8)} ${ratio(w, baseWall).padStart(7)} ${(c === base ? '' : `+${(w - baseWall).toFixed(0)}`).padStart(7)} ${(cpu === null ? '-' : cpu.toFixed(0)).padStart(8)} ${(cpu === null ? '-' : ratio(cpu, baseCpu)).padStart(7)}  ${verdict}\n`,
    )
  }
  if (baseCpu === null) process.stdout.write('CPU not measured: no /proc/self/stat here.\n')
  else
    for (const c of cases.filter((x) => x.ratioBound)) {
      // As printed (two decimals): CPU in clock ticks comes back as 260.00000000000003 ms, never a ratio of 2.01.
      const ratio = Number((median(cpus_.get(c)!) / baseCpu).toFixed(2))
      process.stdout.write(
        `bound: ${c.label} CPU ≤ ${CPU_RATIO_BOUND}× node -e 0: ${ratio.toFixed(2)}× ${ratio <= CPU_RATIO_BOUND ? 'met' : 'MISSED'}\n`,
      )
    }
  process.stdout.write(
    `load (1-minute average) ${load.toFixed(1)} at the start of the wall rounds, ${loadavg()[0].toFixed(1)} at their end\n`,
  )
  if (withInstructions) {
    process.stdout.write(
      `instructions (valgrind cachegrind, node --single-threaded, fewest of 3, less Node's sprp; compile cache warm unless [cache cold]):\n`,
    )
    const baseIr = instructions(base)
    if (baseIr === null) process.stdout.write('not measured: valgrind is not on PATH or failed.\n')
    else {
      for (const c of cases) {
        const ir = c === base ? baseIr : instructions(c)
        process.stdout.write(
          `${c.label.padEnd(46)} ${ir === null ? '-' : `${ir.toFixed(1)} M`.padStart(9)} ${ir === null || c === base ? '' : `+${(ir - baseIr).toFixed(1)} M over node -e 0`}\n`,
        )
      }
    }
  }
  if (load > 1)
    process.stdout.write(
      `Load ${load.toFixed(1)} on ${cpus().length} cores is not idle: every number here runs slow, \`node -e 0\` too; the target is for an idle machine, so "not met here" says only what this run saw.\n`,
    )
} finally {
  rmSync(home, { recursive: true, force: true })
  rmSync(counts, { recursive: true, force: true })
  rmSync(cache, { recursive: true, force: true })
}
