/**
 * Windows Setup stopped on its own installation files: the media (ISO, USB stick, the download in $WINDOWS.~BT) is
 * damaged or incomplete, not the PC's servicing and not a driver. Two kinds of evidence, each from Microsoft's
 * documentation:
 *
 * - Setup's result/extend pair: "0x8007025D - 0x2000C: This error occurs if the ISO file's metadata is corrupt"
 *   ("Resolution procedures", S29; the page since adds a storage medium with bad blocks, a RAM module included), and
 *   the same data errors in the image's own operations (APPLY_IMAGE 0x0C, COPY_PAYLOAD 0x01 of "Upgrade error codes",
 *   S28): ERROR_INVALID_DATA 0x8007000D, ERROR_FILE_CORRUPT 0x80070570 ("The file or directory is corrupted and
 *   unreadable"), ERROR_CRC 0x80070017 ("Data error (cyclic redundancy check)"), ERROR_BAD_COMPRESSION_BUFFER
 *   0x8007025D ("The specified buffer contains ill-formed data"), winerror.h (S15).
 * - A setup log's own line that copies, extracts or applies the image (install.wim/esd/swm, boot.wim, winre.wim,
 *   `CExtractFilesFromWIM`, "Extract files from WIM") and fails with one of those data errors, or with a path or file
 *   not found (0x80070003, 0x80070002) inside the media's own layout (`\sources\`, $WINDOWS.~BT): the file Setup reads
 *   from its media is not there or not readable (Microsoft's "Log files" page, S30, names setupact.log's Error lines as
 *   where Setup says what failed).
 */
import type { Finding, Evidence, RuleInput } from '../rule.ts'
import { textStories } from '../facts.ts'
import { finding, customRemedy, technical } from '../finding.ts'
import { decodeExtendCode } from '../../knowledge/setup-extend.ts'

/** Data errors: what Setup read from its media was not what was written there. */
const DATA_ERRORS = new Set(['0x8007025D', '0x8007000D', '0x80070570', '0x80070017'])
/** Not there: the file or folder Setup wanted from its media is missing (an incomplete copy or a trimmed image). */
const MISSING = new Set(['0x80070003', '0x80070002'])
/** The image's own operations in "Upgrade error codes" (S28): COPY_PAYLOAD, APPLY_IMAGE. */
const IMAGE_OPS = new Set(['0x01', '0x0C'])

/** A line about Setup's image: the file, or the operation that copies, extracts or applies it. */
const IMAGE_LINE =
  /\b(?:install|boot|winre)\.(?:wim|esd|swm)\b|CExtractFilesFromWIM|Extract(?:ing)? files from (?:the )?WIM|\bWIMApplyImage\b|\bApply(?:ing)? (?:the )?WIM\b|\bWIM (?:file|image)\b/i
/** The media's own layout: its sources folder, or Setup's working copy of it. */
const MEDIA_LAYOUT = /\\sources\\|\$WINDOWS\.~BT|CExtractFilesFromWIM|Extract(?:ing)? files from (?:the )?WIM/i
const CODE = /0x[0-9a-f]{8}/gi
/** Installing from media: a USB stick, an ISO, the installation media and the tools that write it. */
const MEDIA_WORDS = /\b(?:USB|ISO|install(?:ation)? media|bootable|Media Creation Tool|Rufus)\b/i

export interface MediaEvidence {
  code: string
  evidence: Evidence
  /** How the evidence was read: Setup's pair, or a log line on the image. */
  via: 'pair' | 'line'
  phase: string | null
}

/** The pair a text is about: the one whose result code it names most often (a table of pairs quotes each once). */
export function mostNamedPair<T extends { result: string }>(pairs: T[], text: string): T | null {
  let best: T | null = null
  let n = -1
  for (const p of pairs) {
    const c = text.toLowerCase().split(p.result.slice(2).toLowerCase()).length - 1
    if (c > n) {
      best = p
      n = c
    }
  }
  return best
}

/** What the inputs show of damaged or incomplete media, or null. */
export function setupMediaEvidence(input: RuleInput): MediaEvidence | null {
  for (const { source, story } of textStories(input)) {
    // An operation outside Microsoft's table (a newer Setup's) with a data error counts where the text installs from
    // media: the data that Setup reads there is the media's.
    const fromMedia = MEDIA_WORDS.test(input.text ?? '')
    const media = story.setupPairs.filter(
      (p) =>
        DATA_ERRORS.has(p.result) &&
        p.meaning &&
        (IMAGE_OPS.has(p.meaning.operation.hex) || (fromMedia && p.meaning.operation.name === null)),
    )
    if (!media.length) continue
    const about = mostNamedPair(story.setupPairs, input.text ?? '')
    // A text about another pair (a driver's 0xC1900101 - 0x20017) quotes the media pair as one of several.
    if (about && !media.includes(about as (typeof media)[number])) continue
    const p = about ?? media[0]!
    return {
      code: p.result,
      evidence: { source, excerpt: `line ${p.line}: ${p.text}` },
      via: 'pair',
      phase: p.meaning?.phase.label ?? null,
    }
  }
  const lines: { source: string; line: number; text: string }[] = []
  for (const { source, analysis } of input.logs.setupLog)
    for (const e of analysis.errors) lines.push({ source, line: e.line, text: e.text })
  const text = input.text ?? ''
  if (text && IMAGE_LINE.test(text)) {
    const all = text.slice(0, 2_000_000).split('\n')
    for (let i = 0; i < all.length && lines.length < 400; i++)
      if (IMAGE_LINE.test(all[i]!)) lines.push({ source: 'pasted text', line: i + 1, text: all[i]!.trim() })
  }
  for (const l of lines) {
    if (!IMAGE_LINE.test(l.text)) continue
    for (const m of l.text.matchAll(CODE)) {
      const code = `0x${m[0].slice(2).toUpperCase()}`
      if (DATA_ERRORS.has(code) || (MISSING.has(code) && MEDIA_LAYOUT.test(l.text)))
        return {
          code,
          evidence: { source: l.source, excerpt: `line ${l.line}: ${l.text.slice(0, 240)}` },
          via: 'line',
          phase: null,
        }
    }
  }
  return null
}

/** The finding for damaged or incomplete setup media, or none. */
export function setupMediaFindings(input: RuleInput): Finding[] {
  const m = setupMediaEvidence(input)
  if (!m) return []
  const missing = MISSING.has(m.code)
  const pairMeaning =
    m.via === 'pair' ? decodeExtendCode(/ - (0x[0-9A-F]+)/i.exec(m.evidence.excerpt)?.[1] ?? '', m.code) : null
  return [
    finding({
      id: 'setup-media-damaged',
      title: missing
        ? 'The Windows installation media is incomplete: Setup could not find a file it copies from it'
        : 'The Windows installation media is damaged: Setup read invalid data from it',
      technical: `${technical(m.code)}${pairMeaning ? ` - ${pairMeaning.extend}: ${pairMeaning.text}` : ''}`,
      severity: 'error',
      confidence: 0.8,
      causes: [
        missing
          ? 'Setup stopped while copying or extracting its image (install.wim/install.esd): a file or folder it reads from the media is not there — an interrupted download or copy, a USB stick written incompletely, or an image trimmed by a tool that removed what Setup needs. It is the media, not a failed update of this PC.'
          : "Setup stopped while reading its image (install.wim/install.esd): the data it read was not valid — a damaged download, ISO or USB stick. Microsoft's row for 0x8007025D - 0x2000C names a corrupt ISO, or a storage medium with bad blocks, a RAM module included.",
      ],
      remedies: [
        customRemedy(
          'new-media',
          'Download the installation media again and re-create the USB stick or ISO',
          "Use Microsoft's Media Creation Tool or a fresh ISO from Microsoft's download page, unmodified; before using an ISO, compare its SHA-256 with the hash Microsoft publishes for it. Write the USB stick again (another stick or port if it fails the same way).",
          ['Get-FileHash -Algorithm SHA256 <path to the .iso>'],
          null,
          ['S29'],
        ),
        customRemedy(
          'memory-and-disk',
          'If fresh media fails the same way, test the memory and the system disk',
          // mdsched.exe is a dialog that schedules a restart (no step kind), and chkdsk /scan records what it finds in
          // the volume's $corrupt file: the memory test is told in words, the disk check is chkdsk's read-only form.
          "Microsoft's row for 0x8007025D names bad blocks in RAM: run Windows Memory Diagnostic (Start > Windows Memory Diagnostic > Restart now and check for problems). chkdsk without parameters only reports whether the volume needs an offline repair (chkdsk C: /f at the next restart).",
          ['chkdsk C:'],
          null,
          ['S29'],
        ),
      ],
      evidence: [m.evidence],
      repair: null,
      codes: [m.code],
    }),
  ]
}
