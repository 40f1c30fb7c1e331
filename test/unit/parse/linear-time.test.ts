/**
 * Every parser reads in linear time. The reagentc reader's `\s{2,}(?:\/\/|#)\s.*$` took 8 s on a
 * pasted status line followed by 100,000 blanks: a pattern that starts a match at each blank of a long run and scans
 * the rest of the run from there is quadratic in the run. The fuzzer never tried that shape (its long runs are lines
 * of their own), so here every parser gets it on purpose: each line of its real seeds with 5,000 then 30,000 blanks after it
 * (then a letter, a colon or a `#`) or before its first colon, about 1 MB an input, and one status line with 1 MB of blanks after it. A linear parser reads
 * that in tens of milliseconds; the old reagentc pattern needs minutes. CPU time is bounded (test/unit/cpu-time.ts),
 * never wall time.
 */
import { describe, it, expect } from 'vitest'
import { BOUND_MS, hostile, linesOf } from './linear-time-inputs.ts'
import { cpuMs } from '../cpu-time.ts'
import { loadSeeds } from '../../fuzz/seeds.ts'
import { coveredParseExports } from '../../fuzz/targets/parsers.ts'
import { parseOemCodePageFromReg, parseChcp } from '../../../main/parse/code-page.ts'
import { parseComputerInfo } from '../../../main/parse/computer-info.ts'
import { parseDismImageInfo } from '../../../main/parse/dism-image-info.ts'
import { parseDismCurrentEdition } from '../../../main/parse/dism-edition.ts'
import { parseDismOutput } from '../../../main/parse/dism-output.ts'
import { parseDismPackages } from '../../../main/parse/dism-packages.ts'
import { parseHotfixList } from '../../../main/parse/hotfix-list.ts'
import { parseManageBdeStatus } from '../../../main/parse/manage-bde-status.ts'
import { parseNativeArchJson } from '../../../main/parse/native-arch.ts'
import { parsePackageIdentity } from '../../../main/parse/package-identity.ts'
import { parsePackageIdentity as parseCbsPackageIdentity, analyzeCbsLogText } from '../../../main/parse/cbs-log.ts'
import { analyzeDismLogText } from '../../../main/parse/dism-log.ts'
import { parseLastBoot } from '../../../main/parse/last-boot.ts'
import { parseReagentXml } from '../../../main/parse/reagent-xml.ts'
import { parseReagentc, parseGlobalrootPath } from '../../../main/parse/reagentc.ts'
import { parseCollectorLines } from '../../../main/parse/collector-line.ts'
import { parseRebootPending } from '../../../main/parse/reboot-pending.ts'
import { parseRegQuery } from '../../../main/parse/reg-query.ts'
import { parseServices } from '../../../main/parse/services.ts'
import { analyzeSetupLog } from '../../../main/parse/setup-log.ts'
import { parseSetupDiag } from '../../../main/parse/setupdiag.ts'
import { parseStorageLayout } from '../../../main/parse/storage-layout.ts'
import { parseSysteminfo } from '../../../main/parse/systeminfo.ts'
import { parseUpdateHistory } from '../../../main/parse/update-history.ts'
import { parseIntegrityLevel } from '../../../main/parse/whoami-groups.ts'
import { parseWuEvents } from '../../../main/parse/wu-event.ts'
import { parseWindowsUpdateLog } from '../../../main/parse/windowsupdate-log.ts'
import { parseCmtraceLog } from '../../../main/parse/cmtrace-log.ts'
import { parseOsBlocks } from '../../../main/parse/os-blocks.ts'
import { parseUpdateLists } from '../../../main/parse/update-lists.ts'
import { parseDismMountedImages } from '../../../main/parse/dism-mounted.ts'
import { parseBootChain } from '../../../main/parse/boot-chain.ts'
import { parseRobocopySummary } from '../../../main/parse/robocopy.ts'
import { unwrapConsoleLines } from '../../../main/parse/console-text.ts'
import { parseWimHeader, parseWimXml } from '../../../main/parse/wim-header.ts'
import { parsePeFileVersion } from '../../../main/parse/pe-version.ts'

type Parser = { file: string; seeds: readonly string[]; run: (text: string) => unknown }

const PARSERS: Parser[] = [
  { file: 'code-page.ts', seeds: ['fixture:reg-query'], run: (t) => [parseOemCodePageFromReg(t), parseChcp(t)] },
  { file: 'computer-info.ts', seeds: ['fixture:systeminfo', 'fixture:computerinfo'], run: parseComputerInfo },
  { file: 'dism-image-info.ts', seeds: ['fixture:dism-image-info', 'fixture:dism-output'], run: parseDismImageInfo },
  { file: 'dism-edition.ts', seeds: ['fixture:dism-edition', 'fixture:dism-output'], run: parseDismCurrentEdition },
  {
    file: 'dism-output.ts',
    seeds: ['fixture:dism-output', 'fixture:dism-install', 'fixture:dism-remove'],
    run: (t) => parseDismOutput(t, 0x800f0922),
  },
  { file: 'dism-packages.ts', seeds: ['fixture:dism-packages'], run: parseDismPackages },
  { file: 'hotfix-list.ts', seeds: ['fixture:hotfix'], run: parseHotfixList },
  { file: 'manage-bde-status.ts', seeds: ['training:storage.manage-bde'], run: parseManageBdeStatus },
  { file: 'native-arch.ts', seeds: ['training:os.native-arch'], run: parseNativeArchJson },
  { file: 'package-identity.ts', seeds: ['fixture:dism-packages'], run: parsePackageIdentity },
  {
    file: 'cbs-log.ts',
    seeds: ['fixture:cbs-log', 'fixture:sfc'],
    run: (t) => [analyzeCbsLogText(t), parseCbsPackageIdentity(t)],
  },
  { file: 'dism-log.ts', seeds: ['fixture:dism-log'], run: analyzeDismLogText },
  { file: 'last-boot.ts', seeds: ['fixture:last-boot'], run: parseLastBoot },
  { file: 'reagent-xml.ts', seeds: ['fixture:reagent-xml'], run: parseReagentXml },
  { file: 'reagentc.ts', seeds: ['fixture:reagentc'], run: (t) => [parseReagentc(t), parseGlobalrootPath(t)] },
  { file: 'collector-line.ts', seeds: ['fixture:reg-query'], run: (t) => parseCollectorLines(`SDC1 host=PC1 ${t}`) },
  { file: 'reboot-pending.ts', seeds: ['training:reboot.sources'], run: parseRebootPending },
  { file: 'reg-query.ts', seeds: ['fixture:reg-query'], run: parseRegQuery },
  { file: 'services.ts', seeds: ['training:services.state'], run: parseServices },
  { file: 'setup-log.ts', seeds: ['fixture:setup-log'], run: analyzeSetupLog },
  { file: 'setupdiag.ts', seeds: ['fixture:setupdiag'], run: parseSetupDiag },
  { file: 'storage-layout.ts', seeds: ['training:storage.layout'], run: (t) => parseStorageLayout(t, t) },
  { file: 'systeminfo.ts', seeds: ['fixture:systeminfo'], run: parseSysteminfo },
  { file: 'update-history.ts', seeds: ['fixture:update-history'], run: parseUpdateHistory },
  { file: 'whoami-groups.ts', seeds: [], run: parseIntegrityLevel },
  { file: 'wu-event.ts', seeds: ['fixture:wu-event', 'fixture:events'], run: parseWuEvents },
  { file: 'windowsupdate-log.ts', seeds: ['fixture:corpus-2026-11/windowsupdate-log'], run: parseWindowsUpdateLog },
  {
    file: 'cmtrace-log.ts',
    seeds: ['fixture:corpus-2026-11/configmgr-log', 'fixture:corpus-2026-11/ime-log'],
    run: parseCmtraceLog,
  },
  { file: 'os-blocks.ts', seeds: ['fixture:corpus-2026-11/os-info', 'fixture:computerinfo'], run: parseOsBlocks },
  {
    file: 'update-lists.ts',
    seeds: ['fixture:corpus-2026-11/pswindowsupdate', 'fixture:corpus-2026-11/update-history'],
    run: parseUpdateLists,
  },
  { file: 'dism-mounted.ts', seeds: ['fixture:dism-media'], run: parseDismMountedImages },
  { file: 'boot-chain.ts', seeds: ['fixture:boot-chain'], run: parseBootChain },
  { file: 'robocopy.ts', seeds: ['fixture:robocopy'], run: parseRobocopySummary },
  { file: 'console-text.ts', seeds: ['fixture:systeminfo', 'fixture:reagentc'], run: (t) => unwrapConsoleLines(t) },
  // Binary readers: the text as the XML of a WIM (UTF-16LE with its BOM, inside an image's element) and as raw bytes.
  {
    file: 'wim-header.ts',
    seeds: ['fixture:dism-media'],
    run: (t) => [
      parseWimXml(
        Buffer.from(
          `\uFEFF<WIM><IMAGE INDEX="1"><NAME>${t}</NAME><WINDOWS><ARCH>9</ARCH><VERSION><BUILD>26100</BUILD><SPBUILD>1742</SPBUILD></VERSION></WINDOWS></IMAGE></WIM>`,
          'utf16le',
        ),
      ),
      parseWimHeader(Buffer.from(t, 'latin1')),
    ],
  },
  { file: 'pe-version.ts', seeds: ['fixture:dism-media'], run: (t) => parsePeFileVersion(Buffer.from(t, 'latin1')) },
]

describe('every parser reads a long blank run in linear time', () => {
  it('lists every parser the fuzz registry covers', () => {
    expect(Object.keys(coveredParseExports).filter((f) => !PARSERS.some((p) => p.file === f))).toEqual([])
  })

  for (const p of PARSERS) {
    it(`main/parse/${p.file}`, async () => {
      for (const { name, text } of hostile(linesOf(await loadSeeds(p.seeds), 300))) {
        const { ms } = cpuMs(() => p.run(text), BOUND_MS)
        if (process.env.SD_LINEAR_SHOW) process.stdout.write(`${p.file} ${name}: ${Math.round(ms)} ms\n`)
        expect(ms, `${p.file}, ${name}: CPU time (bound ${BOUND_MS} ms)`).toBeLessThan(BOUND_MS)
      }
    })
  }
})
