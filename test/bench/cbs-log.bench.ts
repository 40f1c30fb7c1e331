/**
 * Benchmark: streaming CBS.log scan vs `grep -c` on the same generated file, in the same run.
 *
 * Generates a CBS.log of `--size-mb N` (default 1024) in os.tmpdir() — routine Appl/Plan/CSI lines with a
 * failing session every ~40 000 lines (CSI (F) records, HRESULT lines, WER report, a RestoreHealth block)
 * — then times `grep -c -E` with the scanner's own marker pattern (same work: find every line the scanner
 * must read) and our scan (scanLogFile: marker search per block on every core + the full CBS scanner on
 * matching lines). Prints the ratios, the scan's CPU time on all threads (wall time is noisy on a shared
 * machine), the one-thread scan (scanLogLines over a stream, as before) with a check that both passed on
 * the same lines (sha256 of numbers and texts), and the scan's peak RSS, with the load average. Targets
 * ≤ 1.0× `grep -c -E`, ≤ 1.5× `grep -c -F` of five plain markers, peak RSS < 200 MB.
 * Deletes the file afterwards.
 *
 * What bounds the scan now (round 4): one SIMD pass and the reads. The prefilter's candidate
 * lines are found by main/diagnose/needle-lines.ts: a WebAssembly SIMD routine (Teddy: nibble tables for
 * the first 4 bytes of all 18 needles in 8 buckets, one 16-byte load per step, the lookups shifted with
 * i8x16.shuffle, flagged lanes confirmed with a masked 8-byte compare, newlines counted on the way) over
 * each 64 KB slice copied into its memory; only candidate lines become strings. Before: 16 Buffer.indexOf
 * passes + /ailed|issing/ over a latin1 view of every slice, and a str.indexOf per line to count lines.
 * Profile (perf, one thread, 256 MB, warm, load ~1.6): the wasm routine 39 % of samples (alone: 4.4 GB/s,
 * 61–66 ms per 256 MB at load 2.4), the kernel's page-cache copy (copy_to_iter, filemap_*) ~18 %, the copy
 * into wasm memory 3 %, the rest start-up (module compile, JIT). One thread, warm: 94–95 ms per 256 MB
 * (CPU 101–111 ms) — about grep -F's 0.45 s/GB; the rest of a bench run is fixed cost: the worker's
 * start-up from source (ready ~60–70 ms after it is started, load 3.9; its JIT warm-up after that), not
 * split over the threads, and the wasm routine's first ~8 MB on V8's baseline tier (Liftoff, ~3 ms in
 * all). What mattered, measured in order:
 * - the one pass (3-byte fingerprint, the round-3 needles): 1 GB at load 2.7: 445 ms, CPU 833 ms; 0.38×
 *   grep -E, 0.91× grep -F (before, load 0.6: 792 ms, CPU 1477 ms; 0.66×, 1.60×). The flagged lanes were
 *   the cost: 19 630 per 4 MB of this log ("ure"/"boo"/"qui"/"ail" start every Plan line's
 *   "failure source", "reboot required"), each a walk over all needles;
 * - 4-byte fingerprints, buckets merged by fewest admitted byte tuples, only the flagged buckets' needles
 *   confirmed, and needles that START where a marker is rare in routine lines (CBS_PREFILTER: `iled`,
 *   `e status`, `ot mark` …, no regex part): 3 272 flagged per 4 MB (all "ired", from `iled`+`ires`);
 *   1 GB at load 2.3: 362 ms, CPU 668 ms; 0.30× grep -E, 0.76× grep -F;
 * - the one-thread path of scanLogFile (small files, saturated machine) reads synchronously into one
 *   reused buffer, not a stream's fresh 256 KB buffers: 256 MB 94–95 ms (CPU 101–111) vs 114–120 ms
 *   (CPU 158–160), load 2.6;
 * - one load per 16 bytes with shifted lookups instead of four overlapping loads: 61–66 vs 75–76 ms per
 *   256 MB (load 2.4). Not kept: relaxed_swizzle (no difference beyond the noise at load 2.3–2.8);
 * - a finder (its WebAssembly memory) reused by the next 8 MB part on the thread: 256 MB in parts, load 2.5,
 *   70–74 ms (CPU 73–83) vs 78–84 ms (CPU 88–112); another pair equal within the noise (other sessions'
 *   work moved single runs by ±40 % this afternoon, so small steps could not be told apart).
 * The whole bench, 3 runs in a row each time (other sessions' work running, never idle this afternoon):
 * before the finder reuse, load 1.8–2.1: our scan 418 / 431 / 521 ms (CPU 790–974 ms on both threads),
 * grep -F 511–512 ms: 0.82 / 0.84 / 1.02× (target ≤ 1.5), grep -E 1237–1353 ms: 0.34 / 0.32 / 0.42×
 * (target ≤ 1.0); with it, load 1.9–2.3: 502 / 540 / 470 ms, grep -F 840 / 897 / 487 ms: 0.60 / 0.60 /
 * 0.97×, grep -E 0.41 / 0.35 / 0.39×; again at load 2.4–2.6: 580 / 802 / 817 ms (CPU 795–966 ms: the two
 * threads got well under two cores), grep -F 499 / 888 / 896 ms: 1.16 / 0.90 / 0.91×, grep -E 0.46 /
 * 0.51 / 0.67×. At load 4.3–5.3 (no worker: the machine counts as saturated)
 * 493–538 ms, 0.55–0.62× grep -F (grep itself slowed to 840–900 ms). Not done: reading straight into the
 * wasm memory (saves the 3 % copy); handing the compiled module to the worker.
 *
 * Round 3: the cores. scanLogFile (main/diagnose/log-scan-file.ts)
 * cuts the file into 8 MB blocks at line starts; the calling thread scans blocks from the front (from the
 * first byte, so a worker's start-up is not waited for) and os.availableParallelism() − 1 workers from the
 * back; the lines are handed on in order, and the calling thread never waits on a worker. On a saturated
 * machine (1-minute load ≥ cores + 1) no worker is started (see below; the bench prints the count). Per byte it does the one-thread work below plus ~5 % (CPU, all
 * threads, 512 MB: 1162 ms vs 1104 ms one-thread, load 14.8); the fixed cost is a worker's start-up: from
 * source (node + type stripping of its modules) ~60–150 ms of CPU (measured under load 11–13: a bare
 * worker 60 ms, + stripping 25 ms, + log-stream.ts' modules 60 ms); the built app's worker is plain JS.
 * Also in round 3: a slice's cut line is copied alone (Buffer.concat of carry + the whole 64 KB slice was
 * ~7 % of the profile) and a block is read into one reused buffer (fresh 256 KB buffers page-faulted:
 * `read` was 176 ms per 256 MB). So on 2 idle cores the scan should take a little over half the
 * one-thread time (~0.7× grep -E and ~1.3× grep -F from round 2's one-thread ratios) — NOT measured idle:
 * this session's machine ran at load 12–16 with the kernel's autogroup scheduling on
 * (/proc/sys/kernel/sched_autogroup_enabled = 1), where a process gets one group's share whatever its
 * thread count (two busy threads of a plain loop: 0.32 cores, one: 0.28), so under load the two-thread
 * scan is not faster in wall time (512 MB at load 14.8: 2354 ms vs 1122 ms one-thread, 1.40× grep -E; 1 GB
 * at load 13.5: 4480 vs 1571 ms, CPU 1652 vs 1493 ms) — worse, in fact: with two runnable threads the
 * process got 0.33–0.55 cores in all, with one 0.9 (the group's weight is split over the cores it runs
 * on). Hence fileScanWorkers() starts none when the machine is saturated.
 *
 * Round 2 (one thread; node --cpu-prof, 256 MB file): the marker regex is no longer
 * run over every byte. A prefilter (CBS_PREFILTER in main/parse/cbs-log.ts) searches 16 short needles that
 * each start at a rare byte (`Error`, `HRESUL`, `Cannot`, `upt`, `back`, `boot m` …) with Buffer.indexOf in
 * the raw slice, plus the regex /ailed|issing/ (no rare byte in them), and tests CBS_MARKERS only on the
 * lines found. Profile after: Buffer.indexOf ~170 ms + that regex ~36 ms per 256 MB (before: the 14-way
 * regex 230–290 ms), reading ~50–80 ms, GC ~55–80 ms (the 64 KB latin1 views and 256 KB read buffers).
 * A/B in one session (8 alternating runs, 256 MB, load 3.4–3.7): median wall 531 → 487 ms, CPU 546 → 508 ms
 * (−7 %), again at load 4.5: 439–447 → 419–430 ms wall (−4 %); the whole 1 GB bench back to back at load
 * 7.5–8.8: before 1.20× grep -E / 3.35× grep -F, after 1.14× / 2.34× (grep itself is slowed by the load,
 * so the ratios move with it). Real but small: the targets stay out of reach this way. Measured (micro-benchmarks, 256 MB):
 * - Node's Buffer.indexOf is a memchr of the needle's FIRST byte then a compare, for needles < 7 bytes;
 *   longer needles switch to Boyer-Moore-Horspool at ~2.5 GB/s (`Cannot repair` 95 ms, `Readiness` 108 ms,
 *   `by client` 108 ms), so long literals are slower than short ones. Cost follows the first byte's
 *   frequency: `HRESUL`/`y clie`/`hase` ~2 ms, `Error` (E 5.5 per 1000 bytes) 12 ms, `Cannot` (C 10.9) 17 ms,
 *   `ure re`/`upt` (u 12.5) 21 ms, `issing` (i 31) 47 ms, `ailed` (a 43) 61 ms.
 * - irregexp has a cliff: /ailed|issing/ 60 ms, /ailed|issing|orrupt/ 175–295 ms, the full 14-way 250–390 ms;
 *   a lookahead in front (?=[adgilnoprstu]) makes it 600 ms. Splitting the markers into several small
 *   regexes costs ≥ 50 ms per pass (17 ms of it the latin1 view alone).
 * - Concatenating only the cut line instead of carry+slice (no 64 KB copy per slice): no measurable change
 *   (GC 76 vs 80 ms): the GC work comes from the latin1 views and read buffers, not from the copies.
 * The needles are chosen by byte frequency in this bench's generated log (real CBS.logs share its line
 * shapes, but the gain there is not measured). grep -F's multi-pattern search reads ~2.5 GB/s per core;
 * reaching ≤ 1.0× grep -E needed one pass for all literals (a WebAssembly Teddy): round 4, above.
 */
import { createWriteStream, createReadStream, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { loadavg, cpus } from 'node:os'
import { scanLogLines, CBS_MARKERS, CBS_FULL_AFTER } from '../../main/diagnose/log-stream.ts'
import { scanLogFile, fileScanWorkers } from '../../main/diagnose/log-scan-file.ts'
import { createCbsScanner, primaryEpisode } from '../../main/parse/cbs-log.ts'

// Child mode: scan one file and report time and this process's own peak RSS (so generation doesn't count).
const scanArg = process.argv.indexOf('--scan-file')
if (scanArg !== -1) {
  const r = await timeScan(process.argv[scanArg + 1]!)
  process.stdout.write(`${JSON.stringify({ ...r, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`)
  process.exit(0)
}

const arg = process.argv.indexOf('--size-mb')
const sizeMb = arg !== -1 ? Number(process.argv[arg + 1]) : 1024
if (!Number.isFinite(sizeMb) || sizeMb <= 0) {
  process.stderr.write('usage: cbs-log.bench.ts [--size-mb N]\n')
  process.exit(2)
}
const file = join(tmpdir(), `sd-bench-cbs-${process.pid}.log`)

async function generate(bytes: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 })
  const pkg = 'Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.8655.1.9'
  const routine = [
    `Info                  CBS    Appl: detect Parent, Package: ${pkg}, Parent: Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~10.0.26100.1, Disposition = Detect, VersionComp: EQ, ServiceComp: GE, BuildComp: EQ, DistributionComp: GE, RevisionComp: GE, Exist: present`,
    `Info                  CBS    Plan: Package: ${pkg}, current: Installed, pending: Default, start: Installed, applicable: Installed, targeted: Installed, limit: Installed, status: 0x0, failure source: None, reboot required: False, client id: UpdateAgentLCU, initiated offline: False, execution sequence: 1518, first merged sequence: 1518`,
    'Info                  CSI    00000a4f Performing 1 operations as follows:',
    `Info                  CBS    Exec: Processing started.  Client: WindowsUpdateAgent, Session: 31228175_1902231875, Package: ${pkg}`,
    'Info                  CSI    00000a50 Creating NT transaction (seq 2), objectname [6]"(null)"',
    'Info                  CBS    DWLD:Resolved package content from staged folder',
  ]
  const failing = [
    'Info                  CBS    Session: 31228176_2280391762 initialized by client WindowsUpdateAgent, external staging directory: (null), external registry directory: (null)',
    "Error                 CSI    00000c68 (F) Logged @: [l:49 ml:50]'InstallTaskOnline: RegisterTask failed 0x80070002'",
    'Error                 CSI    00000c71 (F) Failed execution of queue item Installer: Task Scheduler ({01234567-89ab-cdef-0123-456789abcdef}) with HRESULT HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND).  Failure will not be ignored: A rollback will be initiated after all the operations in the installer queue are completed; installer is reliable',
    'Error                 CBS    Startup: Failed to process advanced operation queue, startupPhase: 0.  A rollback transaction will be created. [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]',
    `Info                  CBS    WER: Generating failure report for package: ${pkg}, status: 0x800f0922, failure source: Execute, start state: Staged, target state: Installed, client id: WindowsUpdateAgent`,
  ]
  let written = 0,
    i = 0,
    t = Date.parse('2026-06-10T07:00:00Z')
  const p = (n: number) => String(n).padStart(2, '0')
  while (written < bytes) {
    const parts: string[] = []
    for (let k = 0; k < 2000; k++, i++) {
      if (i % 50 === 0) t += 1000
      const d = new Date(t)
      const ts = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}, `
      if (i % 40_000 === 39_000) for (const l of failing) parts.push(ts + l)
      else parts.push(ts + routine[i % routine.length]!)
    }
    const chunk = `${parts.join('\r\n')}\r\n`
    written += Buffer.byteLength(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return statSync(file).size
}

function timeGrep(): { ms: number; count: number } {
  const t0 = performance.now()
  const r = spawnSync('grep', ['-c', '-E', CBS_MARKERS.source.replace(/\(\?:/g, '('), file], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  })
  const ms = performance.now() - t0
  if (r.error) throw r.error
  return { ms, count: Number(r.stdout.trim()) }
}

/** A cheaper baseline: fixed-string grep for the plain error markers only (fewer markers than the scanner needs). */
function timeGrepFixed(): { ms: number; count: number } {
  const t0 = performance.now()
  const r = spawnSync(
    'grep',
    ['-c', '-F', '-e', 'Error', '-e', 'HRESULT = 0x8', '-e', 'Failed', '-e', 'failed', '-e', 'Corrupt', file],
    { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
  )
  const ms = performance.now() - t0
  if (r.error) throw r.error
  return { ms, count: Number(r.stdout.trim()) }
}

async function timeScan(file: string): Promise<{
  ms: number
  workers: number
  cpuMs: number
  passed: number
  lines: number
  peakRss: number
  firstError: string | null
  sha256: string
}> {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const scanner = createCbsScanner()
  const hash = createHash('sha256')
  const onLine = (l: string, n: number) => {
    hash.update(`${n}\t${l}\n`)
    scanner.line(l, n)
  }
  const options = { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 200 }
  // --one-thread: the reading every caller used before scanLogFile (a stream, this thread only).
  const workers = fileScanWorkers()
  const st = process.argv.includes('--one-thread')
    ? await scanLogLines(createReadStream(file, { highWaterMark: 256 * 1024 }), onLine, options)
    : await scanLogFile(file, onLine, options)
  const a = scanner.finish()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  const ep = primaryEpisode(a)
  return {
    ms,
    workers: process.argv.includes('--one-thread') ? 0 : workers,
    cpuMs: (cpu.user + cpu.system) / 1000,
    passed: st.passed,
    lines: st.lines,
    peakRss: peak,
    firstError: ep?.firstError?.code ?? null,
    sha256: hash.digest('hex'),
  }
}

try {
  process.stdout.write(`cbs-log: generating ${sizeMb} MB CBS.log in ${tmpdir()} …\n`)
  const size = await generate(sizeMb * 1024 * 1024)
  // Warm the page cache for both contestants, then alternate runs and keep the best of each.
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] })
  const greps = [timeGrep(), timeGrep()]
  const fixed = [timeGrepFixed(), timeGrepFixed()].reduce((a, b) => (b.ms < a.ms ? b : a))
  const scanOnce = (...extra: string[]) => {
    const r = spawnSync(process.execPath, [process.argv[1]!, '--scan-file', file, ...extra], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`scan child failed: ${r.stderr}`)
    const j = JSON.parse(r.stdout) as Awaited<ReturnType<typeof timeScan>> & { maxRss: number }
    return { ...j, peakRss: Math.max(j.peakRss, j.maxRss) }
  }
  const scans = [scanOnce(), scanOnce()]
  const one = scanOnce('--one-thread')
  const g = greps.reduce((a, b) => (b.ms < a.ms ? b : a))
  const s = scans.reduce((a, b) => (b.ms < a.ms ? b : a))
  const peak = Math.max(...scans.map((x) => x.peakRss))
  const ratio = s.ms / g.ms
  const ratioF = s.ms / fixed.ms
  const mbps = size / 1024 / 1024 / (s.ms / 1000)
  process.stdout.write(
    [
      `cbs-log: file ${(size / 1024 / 1024).toFixed(0)} MB, ${s.lines} lines; grep -c matched ${g.count} lines, scanner read ${s.passed}`,
      `cbs-log: grep -c -E  ${g.ms.toFixed(0)} ms`,
      `cbs-log: our scan    ${s.ms.toFixed(0)} ms, CPU ${s.cpuMs.toFixed(0)} ms on all threads, ${s.workers} worker(s) + this thread (${mbps.toFixed(0)} MB/s; first error of the last failing session ${s.firstError})`,
      `cbs-log: one thread  ${one.ms.toFixed(0)} ms, CPU ${one.cpuMs.toFixed(0)} ms; lines passed on identical (sha256 of numbers and texts): ${scans.every((x) => x.sha256 === one.sha256 && x.lines === one.lines && x.passed === one.passed) ? 'yes' : 'NO'}`,
      `cbs-log: ratio ${ratio.toFixed(2)}x grep -E (target <= 1.00) ${ratio <= 1 ? 'OK' : 'OVER'}`,
      `cbs-log: grep -c -F of 5 plain error markers ${fixed.ms.toFixed(0)} ms (${fixed.count} lines): our scan is ${ratioF.toFixed(2)}x that (target <= 1.50) ${ratioF <= 1.5 ? 'OK' : 'OVER'}`,
      `cbs-log: peak RSS of the scanning process ${(peak / 1024 / 1024).toFixed(0)} MB (target < 200) ${peak < 200 * 1024 * 1024 ? 'OK' : 'OVER'}`,
      `cbs-log: load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs (the targets are for load < 3)`,
      '',
    ].join('\n'),
  )
} finally {
  rmSync(file, { force: true })
}
