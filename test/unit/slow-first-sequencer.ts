/**
 * The order the unit test files start in. Vitest starts the files it has no timings for (a fresh clone) largest
 * first, and a few of the longest files are small: they started last and the run ended with one of them alone
 * on one core (measured: install/crash-resume started at 411 s of a 518 s run). These files start first, in
 * this order; every other file keeps vitest's own order (longest first when it has timings, else largest).
 * The list is the longest files of a measured run (`.ci-out/vitest.json`); a file missing from the list only
 * starts later, nothing is skipped.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node'

export const SLOW_FIRST = [
  // PowerShell runs (many scripts each, in warm PowerShell processes since test/pwsh/worker-pool.ts): the longest files
  // by far (measured in a fresh-clone CI run: fix-package-run 511 s, started at 280 s of 918; now split in the four
  // sweep files and itself). fleet-checkpoint-run and harness-workers: 55 s and 88 s of a loaded run of the folder.
  'test/unit/pwsh/fix-package-sweep-1.test.ts',
  'test/unit/pwsh/fix-package-sweep-2.test.ts',
  'test/unit/pwsh/fix-package-sweep-3.test.ts',
  'test/unit/pwsh/fix-package-sweep-4.test.ts',
  'test/unit/pwsh/harness-workers.test.ts',
  'test/unit/pwsh/fleet-checkpoint-run.test.ts',
  'test/unit/pwsh/fix-package-run.test.ts',
  // CPU-bound files of pasted text read whole: the analyzers' linear-time parts (about 25 CPU-s each), the detection
  // check over every fixture (about 45), the parsers' linear time. Small files all, so vitest started them last on a
  // fresh clone and the run ended with one of them alone (the analyzers' part 1 for its last 2.5 minutes).
  'test/unit/parse/linear-time-analyzers-1.test.ts',
  'test/unit/parse/linear-time-analyzers-2.test.ts',
  'test/unit/analyze/detect-kinds.test.ts',
  'test/unit/parse/linear-time.test.ts',
  // These do most of their work while vitest collects them (the JSON report shows ~0 s): measured by the progress
  // lines, 74 s and 65 s; generated-scripts-ps51 started at 914 s of 918 and kept one core busy alone to the end.
  'test/unit/pwsh/generated-scripts-ps51.test.ts',
  'test/unit/pwsh/collector-runs.test.ts',
  'test/unit/pwsh/remote-round-trips.test.ts',
  'test/unit/pwsh/collector-folder.test.ts',
  'test/unit/winre/crash-resume.test.ts',
  'test/unit/security/plan-intent.test.ts',
  'test/unit/install/crash-resume.test.ts',
  'test/unit/fuzz/fuzz-targets.test.ts',
  'test/unit/download/hard-crash.test.ts',
  'test/unit/repair/crash-resume.test.ts',
  'test/unit/install/cli-install.test.ts',
  'test/unit/host/remote-faults.test.ts',
  'test/unit/repair/repair-cli.test.ts',
  'test/unit/download/download-file-mutation.test.ts',
  'test/unit/download/download-file-guards.test.ts',
  'test/unit/repair/install-media.test.ts',
  'test/unit/repair/reset-wu-components.test.ts',
  'test/unit/download/download-file.test.ts',
  'test/unit/cli/cli.test.ts',
]

const rank = (spec: TestSpecification): number => {
  const id = spec.moduleId.replaceAll('\\', '/')
  const i = SLOW_FIRST.findIndex((f) => id.endsWith(`/${f}`))
  return i < 0 ? SLOW_FIRST.length : i
}

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Vitest's order keeps each project's files together (projects run one after another); within each run of
    // one project's files, the listed files move to the front in the list's order, the others keep their order.
    const sorted = await super.sort(files)
    const out: TestSpecification[] = []
    for (let start = 0; start < sorted.length; ) {
      let end = start
      while (end < sorted.length && sorted[end].project.name === sorted[start].project.name) end++
      const group = sorted.slice(start, end).map((spec, i) => ({ spec, i, r: rank(spec) }))
      out.push(...group.sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.spec))
      start = end
    }
    return out
  }
}
