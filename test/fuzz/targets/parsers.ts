/**
 * Every pure parser in `main/parse/`, listed by hand so a new parser joins on purpose (the unit test
 * `test/unit/fuzz/registry.test.ts` fails when a `parse*`/`analyze*Text` export is missing here).
 * Property: total (never throws, never hangs) and the result serialises to JSON.
 */
import fc from 'fast-check'
import { parseOemCodePageFromReg, parseChcp } from '../../../main/parse/code-page.ts'
import { parseComputerInfo } from '../../../main/parse/computer-info.ts'
import { parseDismImageInfo } from '../../../main/parse/dism-image-info.ts'
import { parseDismCurrentEdition } from '../../../main/parse/dism-edition.ts'
import { parseDismOutput } from '../../../main/parse/dism-output.ts'
import { parseDismPackages } from '../../../main/parse/dism-packages.ts'
import { parseHotfixList } from '../../../main/parse/hotfix-list.ts'
import { parseManageBdeStatus } from '../../../main/parse/manage-bde-status.ts'
import { parseNativeArchJson, decideNativeArch } from '../../../main/parse/native-arch.ts'
import { parsePackageIdentity } from '../../../main/parse/package-identity.ts'
import {
  parsePackageIdentity as parseCbsPackageIdentity,
  analyzeCbsLogText,
  createCbsScanner,
} from '../../../main/parse/cbs-log.ts'
import { analyzeDismLogText, createDismLogScanner } from '../../../main/parse/dism-log.ts'
import { parseReagentXml } from '../../../main/parse/reagent-xml.ts'
import { parseReagentc, parseGlobalrootPath } from '../../../main/parse/reagentc.ts'
import { parseCollectorLines } from '../../../main/parse/collector-line.ts'
import { parseRebootPending } from '../../../main/parse/reboot-pending.ts'
import { parseLastBoot } from '../../../main/parse/last-boot.ts'
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
import { readDate } from '../../../main/parse/date-text.ts'
import { codeFromToken } from '../../../main/parse/error-token.ts'
import { parseWimHeader, parseWimXml } from '../../../main/parse/wim-header.ts'
import { parsePeFileVersion } from '../../../main/parse/pe-version.ts'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { scanLogLines, CBS_MARKERS, CBS_FULL_AFTER, DISM_MARKERS } from '../../../main/diagnose/log-stream.ts'
import { loadSeeds } from '../seeds.ts'
import { textArbitrary, mutatedSeed } from '../mutate.ts'
import { target, mustSerialise, violated, type FuzzTarget } from '../target.ts'

/** A text parser: `fn(text)` over mutated seeds from the named sources. */
function textParser(name: string, fn: (text: string) => unknown, seedSources: readonly string[]): FuzzTarget<string> {
  return target(`parse/${name}`, `${name}: total on any text, result serialises`, async () => ({
    arbitrary: textArbitrary(await loadSeeds(seedSources)),
    run: (text) => {
      mustSerialise(fn(text), name)
    },
  }))
}

const PACKAGE_SEEDS = ['training:packages.get-windowspackage', 'training:packages.dism-get-packages', 'fixture:cbs-log']

/** The exported function names each target covers (the registry test compares them with main/parse). */
export const coveredParseExports: Record<string, readonly string[]> = {
  'code-page.ts': ['parseOemCodePageFromReg', 'parseChcp'],
  'computer-info.ts': ['parseComputerInfo'],
  'dism-image-info.ts': ['parseDismImageInfo'],
  'dism-edition.ts': ['parseDismCurrentEdition'],
  'dism-output.ts': ['parseDismOutput'],
  'dism-packages.ts': ['parseDismPackages'],
  'hotfix-list.ts': ['parseHotfixList'],
  'manage-bde-status.ts': ['parseManageBdeStatus'],
  'native-arch.ts': ['parseNativeArchJson'],
  'package-identity.ts': ['parsePackageIdentity'],
  'cbs-log.ts': ['parsePackageIdentity', 'analyzeCbsLogText'],
  'dism-log.ts': ['analyzeDismLogText'],
  'last-boot.ts': ['parseLastBoot'],
  'reagent-xml.ts': ['parseReagentXml'],
  'reagentc.ts': ['parseReagentc', 'parseGlobalrootPath'],
  'collector-line.ts': ['parseCollectorLines'],
  'reboot-pending.ts': ['parseRebootPending'],
  'reg-query.ts': ['parseRegQuery'],
  'services.ts': ['parseServices'],
  'setup-log.ts': ['analyzeSetupLog'],
  'setupdiag.ts': ['parseSetupDiag'],
  'storage-layout.ts': ['parseStorageLayout'],
  'systeminfo.ts': ['parseSysteminfo'],
  'update-history.ts': ['parseUpdateHistory'],
  'whoami-groups.ts': ['parseIntegrityLevel'],
  'wu-event.ts': ['parseWuEvents'],
  'windowsupdate-log.ts': ['parseWindowsUpdateLog'],
  'cmtrace-log.ts': ['parseCmtraceLog'],
  'os-blocks.ts': ['parseOsBlocks'],
  'update-lists.ts': ['parseUpdateLists'],
  'dism-mounted.ts': ['parseDismMountedImages'],
  'boot-chain.ts': ['parseBootChain'],
  'robocopy.ts': ['parseRobocopySummary'],
  'wim-header.ts': ['parseWimHeader', 'parseWimXml'],
  'pe-version.ts': ['parsePeFileVersion'],
}

/** The real WIM and PE files made with wimlib-imagex and mingw (test/fixtures/media-tree/README.md). */
const MEDIA_TREE_FILES = [
  'iso-x64/sources/install.wim',
  'iso-x64/sources/boot.wim',
  'iso-x64/sources/setup.exe',
  'esd-x64/sources/install.esd',
  'usb-arm64-split/sources/install.swm',
]

export const parserTargets: FuzzTarget<unknown>[] = [
  textParser('code-page', (t) => [parseOemCodePageFromReg(t), parseChcp(t)], [
    'fixture:reg-query',
    'training:os.currentversion',
  ]),
  textParser('computer-info', parseComputerInfo, [
    'fixture:systeminfo',
    'training:os.currentversion',
    'training:os.native-arch',
  ]),
  textParser('dism-edition', parseDismCurrentEdition, ['fixture:dism-edition', 'fixture:dism-output']),
  textParser('dism-image-info', parseDismImageInfo, [
    'fixture:dism-output',
    'training:install.dism-image-get-packages',
    'training:packages.dism-get-packages',
  ]),
  target('parse/dism-output', 'parseDismOutput: total on any text and exit code', async () => ({
    arbitrary: fc.tuple(
      textArbitrary(await loadSeeds(['fixture:dism-output', 'fixture:dism-log'])),
      fc.option(fc.oneof(fc.integer(), fc.constantFrom(3010, 0x800f0922, -2146498270, 87, 1641, NaN, Infinity)), {
        nil: undefined,
      }),
    ),
    run: ([t, code]) => {
      mustSerialise(parseDismOutput(t, code), 'parseDismOutput')
    },
  })),
  textParser('dism-packages', parseDismPackages, PACKAGE_SEEDS),
  textParser('hotfix-list', parseHotfixList, ['training:hotfixes.get-hotfix']),
  textParser('manage-bde-status', parseManageBdeStatus, ['training:storage.manage-bde']),
  textParser('native-arch', (t) => decideNativeArch(parseNativeArchJson(t)), ['training:os.native-arch']),
  textParser('package-identity', (t) => [parsePackageIdentity(t), parseCbsPackageIdentity(t)], PACKAGE_SEEDS),
  textParser('cbs-log', analyzeCbsLogText, ['fixture:cbs-log']),
  textParser('dism-log', analyzeDismLogText, ['fixture:dism-log']),
  textParser('last-boot', parseLastBoot, ['fixture:last-boot']),
  textParser('reagent-xml', parseReagentXml, ['fixture:reagent-xml']),
  textParser('boot-chain', parseBootChain, ['fixture:boot-chain']),
  textParser('robocopy', parseRobocopySummary, ['fixture:robocopy']),
  textParser('reagentc', (t) => [parseReagentc(t), parseGlobalrootPath(t)], ['fixture:reagentc']),
  // The collector's own -Line format (no capture exists: it is ours); seeded with text that holds `key=value` runs.
  textParser('collector-line', (t) => parseCollectorLines(`SDC1 host=PC1 ${t}\n${t}`), ['fixture:reg-query']),
  textParser('reboot-pending', parseRebootPending, ['training:reboot.sources']),
  textParser('reg-query', parseRegQuery, ['fixture:reg-query', 'training:os.currentversion']),
  textParser('services', parseServices, ['training:services.state']),
  textParser('setup-log', analyzeSetupLog, ['fixture:setup-log']),
  textParser('setupdiag', parseSetupDiag, ['fixture:setupdiag']),
  target('parse/storage-layout', 'parseStorageLayout: total on any layout JSON and manage-bde text', async () => ({
    arbitrary: fc.tuple(
      textArbitrary(await loadSeeds(['training:storage.layout'])),
      fc.option(textArbitrary(await loadSeeds(['training:storage.manage-bde'])), { nil: undefined }),
    ),
    run: ([t, bde]) => {
      mustSerialise(parseStorageLayout(t, bde), 'parseStorageLayout')
    },
  })),
  textParser('systeminfo', parseSysteminfo, ['fixture:systeminfo']),
  textParser('update-history', parseUpdateHistory, ['training:history.update-session']),
  textParser('whoami-groups', parseIntegrityLevel, []),
  textParser('wu-event', parseWuEvents, ['fixture:wu-event']),
  textParser('windowsupdate-log', parseWindowsUpdateLog, ['fixture:corpus-2026-11/windowsupdate-log']),
  textParser('cmtrace-log', parseCmtraceLog, [
    'fixture:corpus-2026-11/configmgr-log',
    'fixture:corpus-2026-11/ime-log',
  ]),
  textParser('os-blocks', parseOsBlocks, ['fixture:corpus-2026-11/os-info', 'fixture:computerinfo']),
  textParser('update-lists', parseUpdateLists, [
    'fixture:corpus-2026-11/pswindowsupdate',
    'fixture:corpus-2026-11/update-history',
  ]),
  textParser('dism-mounted', parseDismMountedImages, ['fixture:dism-media']),
  textParser('console-text', (t) => [unwrapConsoleLines(t), unwrapConsoleLines(t, (l) => /^\S/.test(l))], [
    'fixture:systeminfo',
    'fixture:reagentc',
    'fixture:dism-output',
  ]),
  // Binary readers: real files with bytes overwritten (half of them in the header, where the offsets live) and cut anywhere.
  target(
    'parse/wim-and-pe',
    'parseWimHeader, parseWimXml, parsePeFileVersion: total on mutated and cut real files',
    () => {
      const files = MEDIA_TREE_FILES.map((f) =>
        readFileSync(fileURLToPath(new URL(`../../fixtures/media-tree/${f}`, import.meta.url))),
      )
      return {
        arbitrary: fc.tuple(
          fc.nat({ max: files.length - 1 }),
          fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.boolean()), { maxLength: 24 }),
          fc.option(fc.nat(), { nil: undefined }),
        ),
        run: ([i, flips, cut]) => {
          const b = Buffer.from(files[i])
          for (const [at, v, head] of flips) b[at % (head ? Math.min(b.length, 400) : b.length)] = v
          const x = cut === undefined ? b : b.subarray(0, cut % (b.length + 1))
          const h = parseWimHeader(x.subarray(0, 208), x.length)
          const xml = h.ok
            ? parseWimXml(
                x.subarray(h.value.xml.offset, h.value.xml.offset + Math.min(h.value.xml.storedSize, 1 << 20)),
              )
            : null
          mustSerialise([h, xml, parseWimXml(x), parsePeFileVersion(x)], 'wim/pe')
        },
      }
    },
  ),
  target('parse/date-and-token', 'readDate and codeFromToken: total on any token', () => ({
    arbitrary: fc.tuple(
      fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom(
          '31/12/2024',
          '12/31/2024 10:00:00 PM',
          '2024-02-30',
          '0x800f0922',
          '-2146498270',
          '99999999999999999999',
        ),
      ),
      fc.constantFrom(null, 'dmy', 'mdy'),
    ),
    run: ([s, order]) => {
      mustSerialise([readDate(s, order as never), codeFromToken(s), codeFromToken(s, false)], 'readDate/codeFromToken')
    },
  })),
  // The log reader (main/diagnose/log-stream.ts) cuts a log into chunks anywhere (mid-line, mid-CRLF,
  // mid-UTF-8 sequence, mid-UTF-16 unit): the lines it passes on must not depend on where the cuts fall.
  target(
    'parse/log-stream-chunking',
    'scanLogLines + CBS/DISM scanners: any chunking gives the one-chunk result',
    async () => ({
      arbitrary: fc.tuple(
        mutatedSeed(await loadSeeds(['fixture:cbs-log', 'fixture:dism-log'])),
        fc.constantFrom('utf8', 'utf16le-bom'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }),
      ),
      run: async ([text, encoding, cutAt]) => {
        const bytes =
          encoding === 'utf8'
            ? Buffer.from(text, 'utf8')
            : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
        // Cuts anywhere, including inside a CRLF, a UTF-8 sequence or a UTF-16 unit; a few near the start.
        const cuts = [...new Set(cutAt.map((f, i) => Math.floor((i % 3 === 0 ? f * f * f : f) * bytes.length)))].sort(
          (a, b) => a - b,
        )
        const chunks: Buffer[] = []
        let at = 0
        for (const c of [...cuts, bytes.length]) {
          if (c > at) {
            chunks.push(bytes.subarray(at, c))
            at = c
          }
        }
        const run = async (pieces: Buffer[]) => {
          async function* source() {
            for (const p of pieces) yield p
          }
          const cbs = createCbsScanner()
          const dism = createDismLogScanner()
          const all: Array<[number, string]> = []
          await scanLogLines(
            source(),
            (l, n) => {
              all.push([n, l])
            },
            {},
          )
          async function* again() {
            for (const p of pieces) yield p
          }
          await scanLogLines(again(), (l, n) => cbs.line(l, n), {
            filter: CBS_MARKERS,
            fullAfter: CBS_FULL_AFTER,
            fullLines: 200,
          })
          async function* third() {
            for (const p of pieces) yield p
          }
          await scanLogLines(third(), (l, n) => dism.line(l, n), { filter: DISM_MARKERS })
          // The CBS markers without their prefilter (the regex over every byte): the same lines.
          const plain: Array<[number, string]> = []
          const prefiltered: Array<[number, string]> = []
          async function* fourth() {
            for (const p of pieces) yield p
          }
          await scanLogLines(
            fourth(),
            (l, n) => {
              plain.push([n, l])
            },
            { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 200, prefilter: null },
          )
          async function* fifth() {
            for (const p of pieces) yield p
          }
          await scanLogLines(
            fifth(),
            (l, n) => {
              prefiltered.push([n, l])
            },
            // The one-pass finder from the first byte (by default only a log past FINDER_FROM_BYTES gets it).
            { filter: CBS_MARKERS, fullAfter: CBS_FULL_AFTER, fullLines: 200, finderFrom: 0 },
          )
          if (JSON.stringify(plain) !== JSON.stringify(prefiltered))
            violated(
              `scanLogLines: the CBS prefilter passed other lines than the markers alone (${encoding}, ${pieces.length} chunks)`,
            )
          return JSON.stringify([all, cbs.finish(), dism.finish()])
        }
        if ((await run(chunks)) !== (await run([bytes])))
          violated(`scanLogLines: result depends on chunk boundaries (${encoding}, ${chunks.length} chunks)`)
      },
    }),
  ),
  target('parse/non-string-inputs', 'every parser returns (never throws) when given a non-string', () => ({
    arbitrary: fc.anything({
      withBigInt: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      maxDepth: 2,
    }),
    run: (v) => {
      const any = v as string
      const threw: string[] = []
      for (const fn of [
        parseOemCodePageFromReg,
        parseChcp,
        parseComputerInfo,
        parseDismImageInfo,
        parseDismCurrentEdition,
        parseDismOutput,
        parseDismPackages,
        parseHotfixList,
        parseManageBdeStatus,
        parseNativeArchJson,
        parsePackageIdentity,
        parseCbsPackageIdentity,
        analyzeCbsLogText,
        analyzeDismLogText,
        parseReagentXml,
        parseReagentc,
        parseGlobalrootPath,
        parseRebootPending,
        parseRegQuery,
        parseServices,
        analyzeSetupLog,
        parseSetupDiag,
        parseStorageLayout,
        parseSysteminfo,
        parseUpdateHistory,
        parseIntegrityLevel,
        parseWuEvents,
        parseWindowsUpdateLog,
        parseCmtraceLog,
        parseOsBlocks,
        parseUpdateLists,
        parseCollectorLines,
      ] as Array<(x: string) => unknown>) {
        try {
          fn(any)
        } catch (err) {
          threw.push(`${fn.name} (${(err as Error).message})`)
        }
      }
      if (threw.length) violated(`threw on a ${typeof v}: ${threw.join(', ')}`)
    },
  })),
]
