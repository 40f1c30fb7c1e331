/**
 * The EFI system partition too full for an update: 0x800F0922 (or 0xC1900104) while the ESP has less than
 * the 15 MB free Microsoft asks for ("We couldn't update system reserved partition"). Without such a code,
 * an ESP under 10 MB free is a warning: the next update that services boot files may fail the same way.
 * The measured free space and what occupies the partition are the evidence.
 */
import type { Rule, Finding, Evidence, RuleInput } from '../rule.ts'
import type { Partition } from '../../../preload/model/snapshot.ts'
import { codesInPlay, known, factEvidence, textStories } from '../facts.ts'
import { finding, customRemedy, technical } from '../finding.ts'
import { bootFact, factText } from './boot-chain-facts.ts'
import { setAclSpecs } from '../../security/data-dir-guard.ts'

const MB = 1024 * 1024
/** Microsoft: free 15 MB on the system reserved / EFI partition (MS-SRP). */
export const ESP_NEEDED_BYTES = 15 * MB
/** Reported for the 2026 updates (unverified): about 10 MB or less free. */
export const ESP_WARN_BYTES = 10 * MB
/** The data folder on the PC that holds ESP_MOVED_FOLDER (the app's own, which its data folder guard keeps administrators' only). */
export const ESP_MOVED_PARENT = 'C:\\ProgramData\\ServicingDesk'
/**
 * Where non-Windows folders moved off the EFI partition are kept (never deleted): the folder Fix it's repair uses on a
 * PC (step-kinds.ts espMovedDir: `<data folder>\esp-moved`), so both screens name one place.
 */
export const ESP_MOVED_FOLDER = `${ESP_MOVED_PARENT}\\esp-moved`

/**
 * The by-hand lines that make ESP_MOVED_FOLDER before anything is moved into it: created when missing; then the
 * folder that holds it, C:\ProgramData\ServicingDesk, made administrators' only with everything in it, as the app's
 * data folder guard does (main/security/data-dir-guard.ts: well-known SIDs, so they work in every language): owner
 * Administrators (/T: everything already in it too); `/reset /T /C /L` drops every explicit grant on it and below (a
 * standard user who made the folder beforehand may have given themselves one; /L acts on a link itself); then an
 * access list of SYSTEM and Administrators only, not inherited, which everything below inherits. The folder that
 * holds it, not only esp-moved itself: whoever may change a folder may rename or remove what is in it, whatever that
 * allows (ProgramData, like C:\, lets a standard user create folders of their own). What is moved there is put back
 * on the EFI partition by the undo, so only administrators may change it meanwhile.
 */
export const espMovedFolderLines = (): string[] => {
  const [owner, acl] = setAclSpecs(ESP_MOVED_PARENT)
  const icacls = (args: readonly string[]) =>
    ['icacls', ...args].map((a) => (/[\s()"&|<>^]/.test(a) ? `"${a}"` : a)).join(' ')
  return [
    `cmd.exe /c if not exist ${ESP_MOVED_FOLDER} mkdir ${ESP_MOVED_FOLDER}`,
    icacls(owner!.args),
    icacls([ESP_MOVED_PARENT, '/reset', '/T', '/C', '/L', '/Q']),
    icacls(acl!.args),
  ]
}

export const mb1 = (n: number) => `${(n / MB).toFixed(1)} MB`

export interface EspView {
  disk: number
  partition: number
  sizeBytes: number
  freeBytes: number
  folders: { name: string; bytes: number | null; microsoft: boolean; loaders?: number | null }[] | null
  foldersDetail: string | null
  source: string
}

/** The ESP and its free space: from the boot-chain fact when known, else the storage fact's system partition. */
export function espOf(input: Pick<RuleInput, 'snapshot'>): EspView | null {
  const bc = known(input.snapshot?.bootChain)
  if (bc?.esp && bc.esp.freeBytes !== null)
    return { ...bc.esp, freeBytes: bc.esp.freeBytes, source: 'Boot chain (Get-Partition / Get-Volume)' }
  const st = known(input.snapshot?.storage)
  const sys: Partition | undefined = st?.disks.flatMap((d) => d.partitions).find((p) => p.role === 'system')
  if (!sys || sys.freeBytes === null) return null
  return {
    disk: sys.diskNumber,
    partition: sys.partitionNumber,
    sizeBytes: sys.sizeBytes,
    freeBytes: sys.freeBytes,
    folders: null,
    foldersDetail: null,
    source: 'Disk layout (Get-Partition / Get-Volume)',
  }
}

/** The System Reserved / EFI system partition, as each display language's Windows and its documentation name it. */
export const ESP_NAME =
  /\b(?:EFI(?:[- ]system)?[- ]?partition|ESP\b|system reserved partition|system reserved|EFI-Systempartition|EFI-Partition|systemreservierte Partition|System-reservierte Partition|partition (?:système )?EFI|partition réservée au système|partición (?:del sistema )?EFI|partición reservada (?:del|para el) sistema|partizione (?:di sistema )?EFI|partizione riservata (?:al|per il) sistema|partição (?:do sistema )?EFI|partição reservada (?:do|ao) sistema|системн\S* раздел\S* EFI|раздел\S* EFI|partycj\S* (?:systemow\S* )?EFI)|EFI\s*システム\s*パーティション|EFI\s*パーティション|システムで予約済み|EFI\s*系统分区|EFI\s*分区|系统保留分区|EFI\s*系統磁碟分割|系統保留磁碟分割|EFI\s*시스템\s*파티션|시스템 예약 파티션|зарезервировано системой/i
/** Told full or short of space, in each display language. */
const ESP_FULL =
  /\b(?:full|not enough (?:free )?space|too small|out of space|no (?:free )?space|insufficient space|voll|zu klein|nicht genug|kein(?:en)? (?:freien )?Platz|pleine|trop petite|pas assez d'espace|plus d'espace|llena|demasiado pequeña|no (?:tiene|hay) suficiente espacio|sin espacio|piena|troppo piccola|spazio insufficiente|non c'è abbastanza spazio|cheia|pequena demais|muito pequena|espaço insuficiente|sem espaço|pełna|za mała|brak miejsca|za mało miejsca)|いっぱい|容量不足|空き容量が不足|足りな|已满|空间不足|空間不足|太小|가득|공간이 부족|заполнен|мало места|недостаточно места|слишком мал/i
/**
 * A sentence that tells a possibility, not this PC's state ("in some cases the system reports …", "kann", "peut",
 * 場合): a list of the code's possible causes names none of them.
 */
const HEDGE =
  /\b(?:in some cases|some cases|sometimes|may|might|can(?!'t|not)|could|possibl\w*|often|typically|usually|if|when|kann|könnte|manchmal|falls|wenn|peut|pourrait|parfois|si|puede|podría|a veces|può|potrebbe|a volte|pode|poderia|às vezes)\b|場合|可能性|かもしれ|可能|如果|有时|경우|수 있|может|бывает|если|może|czasem|jeśli/i
/** A free space told in the sentence: below the 15 MB Microsoft asks for is full. */
const SIZE = /(\d+(?:[.,]\d+)?)\s?(?:MB|Mo|МБ)\b/gi

/**
 * The partition told full in a sentence of the pasted text (its name and its state, or a size under 15 MB, together):
 * the line it is on, or null.
 */
function espToldFull(text: string): { line: number; text: string } | null {
  const head = text.slice(0, 2_000_000)
  let line = 0
  for (const raw of head.split('\n')) {
    line++
    if (!ESP_NAME.test(raw)) continue
    for (const sentence of raw.split(/(?<=[.!?;。！？；])\s*/)) {
      if (!ESP_NAME.test(sentence) || HEDGE.test(sentence)) continue
      const small = [...sentence.matchAll(SIZE)].some((m) => Number.parseFloat(m[1]!.replace(',', '.')) < 15)
      if (small || ESP_FULL.test(sentence)) return { line, text: raw.trim().slice(0, 200) }
    }
  }
  return null
}

/**
 * No measure of this PC's partition, but a pasted text that tells 0x800F0922 or 0xC1900104 and the partition full:
 * Microsoft's reading of those codes for a partition short of its 15 MB ("We couldn't update system reserved
 * partition"), picked by the story over the codes' other causes.
 */
function espToldFinding(input: RuleInput): Finding[] {
  if (!input.text) return []
  const codes = codesInPlay(input)
  const hit = codes.get('0x800F0922') ?? codes.get('0xC1900104') ?? null
  if (!hit) return []
  const told = espToldFull(input.text)
  // The text's own source (the pasted text, or the file diagnose --log read), so a text about failures in general
  // turns this into a note as it does every finding resting on it (text-floor.ts generalTextFindings).
  const source = textStories(input)[0]?.source
  if (!told || !source) return []
  const cited = [bootFact('esp-0x800f0922').sources[0]!]
  return [
    finding({
      id: 'esp-full',
      title: 'The EFI system partition is full, so the update fails',
      technical: `${technical(hit.code)}; the text tells the EFI system (System Reserved) partition short of space`,
      severity: 'error',
      confidence: 0.85,
      causes: [`The text tells the EFI system partition full. ${factText('esp-0x800f0922')}`],
      remedies: [
        customRemedy(
          'esp-measure',
          'Measure the EFI system partition, then free it',
          "Read the partition's size and free space; Microsoft asks for 15 MB free. Servicing Desk's scan of this PC reads it (and what occupies it) and offers the steps that free it.",
          [
            'Get-Partition | Where-Object GptType -eq "{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}" | Get-Volume | Select-Object Size, SizeRemaining',
          ],
          null,
          cited,
        ),
      ],
      evidence: [{ source, excerpt: `line ${told.line}: ${told.text}` }, ...hit.evidence],
      repair: null,
      codes: [hit.code],
    }),
  ]
}

export const espFullRule: Rule = {
  id: 'esp-full',
  evaluate(input): Finding[] {
    const esp = espOf(input)
    if (!esp) return espToldFinding(input)
    if (esp.freeBytes >= ESP_NEEDED_BYTES) return []
    const codes = codesInPlay(input)
    const hit = codes.get('0x800F0922') ?? codes.get('0xC1900104') ?? null
    if (!hit && esp.freeBytes >= ESP_WARN_BYTES) return []
    const foreign = (esp.folders ?? []).filter((f) => !f.microsoft)
    const evidence: Evidence[] = [
      {
        source: esp.source,
        excerpt: `EFI system partition: disk ${esp.disk} partition ${esp.partition}, ${mb1(esp.sizeBytes)}, ${mb1(esp.freeBytes)} free (Microsoft asks for 15 MB free)`,
      },
      ...(esp.folders
        ? [
            {
              source: 'EFI partition folders (read without mounting)',
              excerpt: esp.folders
                .map(
                  (f) =>
                    `\\EFI\\${f.name} ${f.bytes === null ? '?' : mb1(f.bytes)}${f.microsoft ? ' (Windows)' : ' (not Windows)'}`,
                )
                .join('; '),
            },
          ]
        : []),
      ...(hit?.evidence ?? []),
      ...factEvidence(input.snapshot?.bootChain ?? input.snapshot?.storage, 1),
    ]
    const causes = [
      `The EFI system partition has ${mb1(esp.freeBytes)} free of ${mb1(esp.sizeBytes)}. ${factText('esp-0x800f0922')}`,
      ...(foreign.length
        ? [
            `Folders that are not Windows' own take ${mb1(foreign.reduce((a, f) => a + (f.bytes ?? 0), 0))} there: ${foreign.map((f) => `\\EFI\\${f.name}`).join(', ')} (PC-vendor tools and other boot loaders put files there).`,
          ]
        : esp.folders
          ? []
          : [
              esp.foldersDetail ?? 'What occupies the partition was not read (it is not readable without mounting it).',
            ]),
      factText('esp-10mb-2026'),
    ]
    // Only a folder the scan read as holding no .efi file is ever moved: another OS's loader (\EFI\ubuntu) or the
    // firmware's tools moved off the partition no longer start. An older scan without the count moves nothing.
    const movable = foreign.filter((f) => f.loaders === 0)
    const loaders = foreign.filter((f) => f.loaders !== 0)
    const moveCmds = movable.length
      ? [
          ...espMovedFolderLines(),
          ...movable.map((f) => `robocopy Y:\\EFI\\${f.name} ${ESP_MOVED_FOLDER}\\${f.name} /E /MOVE /COPY:DAT`),
        ]
      : ['dir Y:\\EFI /s    (find the folders that are not \\EFI\\Microsoft or \\EFI\\Boot)']
    const source = [bootFact('esp-0x800f0922').sources[0]!]
    const remedies = [
      customRemedy(
        'esp-vendor-tool',
        "Remove the PC vendor's leftovers with its own tool first",
        foreign.length
          ? `${foreign.map((f) => `\\EFI\\${f.name}`).join(', ')} belongs to another vendor or boot loader; its own software (firmware-update utility, boot manager) is the safest way to clean it.`
          : "If the PC vendor's firmware-update utility or another boot loader wrote to the EFI partition, use that software to clean up after itself.",
        [],
        null,
        source,
      ),
      // Microsoft's own procedure ("We couldn't update system reserved partition"): the boot manager's fonts go; it falls
      // back to its built-in font. Kept here (moved, not deleted) so they can be put back.
      customRemedy(
        'esp-fonts',
        "Move the boot manager's fonts off the EFI partition (Microsoft's procedure)",
        `${loaders.length ? `${loaders.map((f) => `\\EFI\\${f.name}`).join(', ')} holds a boot loader (another OS's or the firmware's): it is never moved. ` : ''}Microsoft frees the EFI partition by removing the boot manager's fonts under \\EFI\\Microsoft\\Boot\\Fonts (it falls back to its built-in font). From an elevated prompt: mount the EFI partition, move the Fonts folder to ${ESP_MOVED_FOLDER}\\Microsoft-Boot-Fonts (kept to put back), unmount it, check ${mb1(ESP_NEEDED_BYTES)} or more is free.`,
        // Words only, no command box yet: the training PCs do not model the Fonts folder, so a box of these lines could
        // not be run as shown on them (every box is).
        [],
        null,
        source,
      ),
      ...(movable.length || !foreign.length
        ? [
            customRemedy(
              'esp-move-aside',
              "Move files that are not Windows' boot files off the EFI partition (never delete them)",
              `From an elevated prompt: mount the EFI partition, make ${ESP_MOVED_FOLDER} and the folder that holds it folders only administrators can change (the same folder Fix it uses), move only folders other than \\EFI\\Microsoft and \\EFI\\Boot that hold no .efi boot loader there (kept to put back), unmount it, check ${mb1(ESP_NEEDED_BYTES)} or more is free, then install the update again. To undo: move the folder back with the same robocopy command reversed.`,
              [
                'mountvol Y: /s',
                ...moveCmds,
                'mountvol Y: /d',
                'Get-Partition | Where-Object GptType -eq "{c12a7328-f81f-11d2-ba4b-00a0c93ec93b}" | Get-Volume | Select-Object Size, SizeRemaining',
              ],
              movable.length ? 'free-esp-space' : null,
              source,
            ),
          ]
        : []),
      customRemedy(
        'esp-retry-update',
        'Install the update again',
        "Once 15 MB or more is free, retry the update (Windows Update, or Servicing Desk's install with the Catalog package).",
        [],
        null,
        source,
      ),
      customRemedy(
        'esp-enlarge',
        'If that is not enough: enlarge the EFI partition by hand',
        'With a full backup first, enlarge the EFI system partition (shrink the next partition, recreate the ESP larger, bcdboot to rebuild its files). Only for an expert: a mistake leaves the PC unbootable.',
        [],
        null,
        [],
        false,
      ),
    ]
    return [
      finding({
        id: 'esp-full',
        title: hit
          ? `The EFI system partition is full (${mb1(esp.freeBytes)} free), so the update fails`
          : `The EFI system partition is nearly full (${mb1(esp.freeBytes)} free)`,
        technical: hit
          ? `${technical(hit.code)}; EFI system partition ${mb1(esp.freeBytes)} free < 15 MB`
          : `EFI system partition ${mb1(esp.freeBytes)} free < 10 MB`,
        severity: hit ? 'error' : 'warning',
        confidence: hit ? (foreign.length ? 0.95 : 0.9) : 0.6,
        // The app's guided fix moves only folders the scan listed as not Windows'; without that list, no Fix it.
        causes,
        remedies,
        evidence,
        repair: movable.length ? 'free-esp-space' : null,
        codes: hit ? [hit.code] : [],
      }),
    ]
  },
}
