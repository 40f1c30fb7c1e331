/**
 * Peels what a paste picks up on its way: Markdown code fences, `>` quoting, `*`/`-` bullets,
 * and per-line timestamps that a CI or container log puts before every line (`2024-05-01T10:00:00.123Z `,
 * `[10:00:00] `, BuildKit's `#12 3.456 `). A prefix is peeled only when most non-empty lines carry it, so
 * text that merely contains a `>` keeps it. CBS/DISM's own `2024-05-01 10:00:00, Info` is content, not a
 * prefix, and stays. Lines are iterated, not split; each step says what it did in `notes`.
 */
import { forEachLine } from '../parse/lines.ts'

export interface CleanedText {
  text: string
  notes: string[]
  flattened: boolean
  /** For a flattened paste: the text before its line breaks were put back (some readers do better on it). */
  asPasted?: string
}

const FENCE = /^\s{0,3}(?:```|~~~)/
/** A line that is one inline-code span: `` `text` `` (the text itself holds no backtick). */
const TICKED = /^\s*`([^`]*)`\s*$/
/**
 * Each prefix with `first`, the characters a line's first non-blank character is one of wherever `re` matches (blanks:
 * what \s and trimStart take alike): a line starting otherwise is not tested, so a pattern no line can match is
 * never compiled (test/unit/analyze/clean-text-prefixes.test.ts holds it on every fixture line).
 */
const DIGITS = '0123456789'
export const PREFIXES: { name: string; re: RegExp; first: string }[] = [
  // `>` (Markdown, e-mail) and the bar some chat and terminal exports draw instead (▌ │ ┃).
  { name: 'quote marks (>)', re: /^\s{0,3}[>▌│┃](?:\s?[>▌│┃])*\s?/, first: '>▌│┃' },
  { name: 'list bullets', re: /^\s{0,3}[*\-+]\s+/, first: '*-+' },
  {
    name: 'timestamps',
    re: /^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s/,
    first: DIGITS,
  },
  { name: 'timestamps', re: /^\s*\[\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\]\s?/, first: '[' },
  { name: 'build step prefixes', re: /^#\d+ \d+\.\d+ /, first: '#' },
  { name: 'comment marks (#)', re: /^\s{0,3}#{1,3}(?: |$)/, first: '#' },
  // A batch file's `rem` / `::`, a C-like `//`, an ini's `;`: output kept as comments in a script or source file.
  { name: 'comment marks (rem, ::, //, ;)', re: /^\s{0,3}(?:[Rr][Ee][Mm]|::|\/\/|;)(?: |$)/, first: 'Rr:/;' },
]

/** Tags of rendered HTML (a page's or highlighter's markup around console output); XML's own tags are not among them. */
const HTML_TAG = /<\/?(?:span|div|pre|code|br|p|td|th|tr|tbody|table|font|b|i|em|strong|a|li|ul|ol)(?:\s[^<>]*)?\/?>/gi
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', '#39': "'" }

/**
 * Console output as a web page renders it: each token wrapped in `<span style=…>` by a syntax highlighter,
 * `<br>` for line breaks, `&gt;` for `>`. When most lines carry such tags, the tags are dropped and the
 * entities decoded, so the output below them reads as it was printed.
 */
function unMarkup(text: string): string | null {
  // No tag without a `<`: the pattern is not run (nor compiled) on a text that has none.
  if (!text.includes('<')) return null
  let nonEmpty = 0
  let tagged = 0
  forEachLine(text, (l) => {
    if (l.trim() === '') return
    nonEmpty++
    HTML_TAG.lastIndex = 0
    if (HTML_TAG.test(l)) tagged++
  })
  if (nonEmpty === 0 || tagged < Math.max(2, 0.6 * nonEmpty)) return null
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(HTML_TAG, '')
    .replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (m, e: string) => {
      const k = e.toLowerCase()
      if (k.startsWith('#x')) return String.fromCodePoint(parseInt(k.slice(2), 16))
      if (k.startsWith('#') && k !== '#39') return String.fromCodePoint(parseInt(k.slice(1), 10))
      return ENTITIES[k] ?? m
    })
}

export function cleanPastedText(pasted: string): CleanedText {
  const notes: string[] = []
  // Only small and medium texts are rewritten; a large log is read as it is (bounded work).
  if (pasted.length > 8 * 1024 * 1024) return { text: pasted, notes, flattened: false }
  const unmarked = unMarkup(pasted)
  if (unmarked !== null)
    notes.push("The text was a web page's HTML; its tags were removed and its entities (&gt; …) decoded.")
  const text = unmarked ?? pasted
  let nonEmpty = 0
  let fences = 0
  let ticked = 0
  let gutter = 0
  const counts = PREFIXES.map(() => 0)
  let longest = 0
  forEachLine(text, (l) => {
    if (l.length > longest) longest = l.length
    const first = l.trimStart().charAt(0)
    if (first === '') return
    nonEmpty++
    if ((first === '`' || first === '~') && FENCE.test(l)) {
      fences++
      return
    }
    if (first === '`' && TICKED.test(l)) ticked++
    else if (DIGITS.includes(first) && /^\s*\d{1,3}\s*$/.test(l)) gutter++
    PREFIXES.forEach((p, i) => {
      if (p.first.includes(first) && p.re.test(l)) counts[i]!++
    })
  })
  const flattened = longest > 120 && nonEmpty <= 3 + fences
  if (flattened && !/^\s*[[{]/.test(text)) {
    const un = unflattenText(text)
    if (un !== text) {
      notes.push('The text had lost its line breaks; they were put back where its layout starts a new line.')
      return { text: un, notes, flattened, asPasted: text }
    }
  }
  const peel = PREFIXES.filter((_, i) => nonEmpty - fences > 0 && counts[i]! >= Math.max(2, 0.6 * (nonEmpty - fences)))
  // Each line wrapped in its own inline-code backticks (a blog's or chat's rendering of console output).
  // A blog's code-block line numbers (a line holding only 1, 2, 3 …) are not counted against it.
  const unTick = nonEmpty - fences - gutter > 0 && ticked >= Math.max(2, 0.6 * (nonEmpty - fences - gutter))
  if (fences === 0 && peel.length === 0 && !unTick) return { text, notes, flattened }
  const out: string[] = []
  forEachLine(text, (l) => {
    if (FENCE.test(l)) return
    let s = unTick ? l.replace(TICKED, '$1') : l
    for (const p of peel) s = s.replace(p.re, '')
    out.push(s)
  })
  if (fences > 0) notes.push('Markdown code fences were removed.')
  if (unTick) notes.push('Inline code marks (`) around each line were removed.')
  for (const name of new Set(peel.map((p) => p.name))) notes.push(`Leading ${name} were removed from each line.`)
  return { text: out.join('\n'), notes, flattened }
}

/**
 * Where a new line starts in the layouts Servicing Desk reads: a flattened paste (all
 * newlines turned into spaces) gets its breaks back before each of these. Only used on flattened text.
 */
const LINE_STARTS: (RegExp | [RegExp, string])[] = [
  // CBS.log / DISM.log lines, and their CheckSUR / RestoreHealth summary block.
  /(?=\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (?:Info|Error|Warning|Perf))/g,
  /(?=Checking System Update Readiness|\([pfw]\)\s+[A-Z]|Summary:|(?<!Recovery |Last |Last Setup )Operation: |Operation result: |Last Successful Step:|Total Detected Corruption:|Total Repaired Corruption:|Total Operation Time|CBS Manifest Corruption:|CSI (?:Manifest|Metadata|Catalog|Payload) (?:Corruption|All Zeros|Bad Hash)|Unavailable repair files:|Customer Experience report)/g,
  // reg query.
  [/(?<! ) +(?=[A-Za-z][\w.]* {2,}REG_[A-Z_]+)/g, '\n    '],
  /(?=HKEY_LOCAL_MACHINE\\|End of search:)/g,
  // Format-List (Get-ComputerInfo, Get-WinEvent | Format-List, Get-WindowsImage): `Name    : value`.
  /(?<! ) +(?=[A-Z][A-Za-z0-9]{3,60} +: )/g,
  // Event Viewer's copy.
  /(?=(?:Log Name|Source|Date|Event ID|Task Category|Level|Keywords|User|Computer|Description|OpCode):)/g,
  // The lookahead first: the look-behind's ` +` scanned back over every blank before each position (quadratic).
  /(?=Installation (?:Failure|Successful|Started):)(?<!(?:Information|Warning|Error|Critical) +)/g,
  // Get-WinEvent | Format-Table: provider groups, the header and its dashes, rows (time, Id, level).
  /(?=ProviderName: |TimeCreated +Id +LevelDisplayName|-{11} +-{2} )/g,
  // `(?<! )`: a run of blanks is tried from its first blank only (from every blank it was quadratic; same matches).
  /(?<! ) +(?=\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4} \d{1,2}:\d{2}(?::\d{2})?(?: [AaPp][Mm])? +\d{1,5} +(?:Information|Warning|Error|Critical|Verbose) )/g,
  // Event Viewer list rows (level, computer, ID, source) and a Time:/ID:/Source:/Message: listing.
  /(?<! ) +(?=(?:Information|Warning|Error|Critical|Verbose) +\S+ +\d{1,5} +Microsoft-Windows-[\w.-]+ )/g,
  /(?=(?:Time|ID|Machine|Message): ?\S)(?<=\s)/g,
  // DISM console output (English, German, French).
  /(?=Deployment Image Servicing and Management tool|Tool zur Imageverwaltung für die Bereitstellung|Outil Gestion et maintenance des images de déploiement|(?<!Image |Abbild)Version ?: \d|Image Version ?: |Abbildversion: |Version de l.image ?: |Error: |Fehler: |Erreur ?: |The operation completed|Der Vorgang wurde erfolgreich|L.opération a réussi|The DISM log file|Die DISM-Protokolldatei|Le fichier journal DISM|The source files|The component store|Details for image|Index ?: \d|(?<!Provider)Name ?: |Description ?: |Size ?: |\[=+)/g,
  // reagentc /info, current and Windows 8 layouts, English, French, Chinese.
  /(?=Windows Recovery Environment \(Windows RE\)|Information:|Informations de configuration|Windows RE\s+(?:status|location|enabled|staged|Version)|Boot Configuration Data|Recovery image (?:location|index)|Custom image (?:location|index)|REAGENTC\.EXE|État de Windows RE|Emplacement de Windows RE|Identificateur|Windows RE 状态|Windows RE 位置|引导配置数据|恢复映像|自定义映像|信息:|Windows 恢复环境|Extended configuration|Setup enabled|User Wim enabled|Custom Recovery Tool|WinRE\.WIM directory|Recovery Environment:|BCD Id:|Os recovery image|Os image index|User image|Recovery Operation|Operation Parameter|Boot Key Scan Code)/g,
  // SetupDiag (its progress dots stand on their own lines).
  / (?=\.{2,}(?:No match|\s|$))/g,
  /(?=SetupDiag(?: v\d| found| results|: processing rule)|Searching for setup logs|Found [A-Za-z]:\\|Gathering baseline|\.\.\.No match|Last Phase:|Last Operation:|Message = |Function: |Recommend |Copyright \(c\))/g,
  // systeminfo labels (English, Russian, French, Spanish, German) and hotfix entries.
  /(?<! ) +(?=(?:Host Name|OS Name|OS Version|OS Manufacturer|OS Configuration|OS Build Type|Registered Owner|Registered Organization|Product ID|Original Install Date|System Boot Time|System Manufacturer|System Model|System Type|Processor\(s\)|BIOS Version|Windows Directory|System Directory|Boot Device|System Locale|Input Locale|Time Zone|Total Physical Memory|Available Physical Memory|Virtual Memory|Page File Location|Domain|Logon Server|Hotfix\(s\)|Network Card\(s\)|Hyper-V Requirements|Имя узла|Название ОС|Версия ОС|Изготовитель|Параметры ОС|Построение ОС|Зарегистрированн|Код продукта|Дата установки|Время загрузки|Модель системы|Тип системы|Процессор|Версия BIOS|Папка Windows|Системная папка|Устройство загрузки|Язык|Часовой пояс|Полный объем|Доступная физическая|Виртуальная память|Расположение файла|Домен|Сервер входа|Исправлени|Сетевые адаптеры|Nom de l.hôte|Nom du système|Version du système|Fabricant du système|Configuration du système|Type de version|Propriétaire|Organisation|ID de produit|Date d.installation|Heure de démarrage|Modèle du système|Type du système|Processeur|Version du BIOS|Répertoire|Périphérique d.amorçage|Option régionale|Paramètres régionaux|Fuseau horaire|Mémoire|Emplacements? des fichiers|Serveur d.ouverture|Correctif|Carte\(s\) réseau|Nombre de host|Nombre del sistema|Versión del sistema|Fabricante del sistema|Configuración del sistema|Tipo de compilación|Propiedad de|Organización|Id\. del producto|Fecha de instalación|Tiempo de arranque|Modelo el sistema|Modelo del sistema|Tipo de sistema|Procesador|Versión del BIOS|Directorio de|Dispositivo de arranque|Configuración regional|Zona horaria|Cantidad total|Memoria|Ubicación|Dominio|Servidor de inicio|Revisión|Tarjeta|Hostname|Betriebssystem|Hersteller|Registrierte|Produkt-ID|Ursprüngliches Installationsdatum|Systemstartzeit|Systemmodell|Systemtyp|Prozessor|BIOS-Version|Windows-Verzeichnis|System-Verzeichnis|Startgerät|Systemgebietsschema|Eingabegebietsschema|Zeitzone|Gesamter physischer|Verfügbarer physischer|Auslagerungsdatei|Anmeldeserver|Hotfix\(es\)|Netzwerkkarte)[^:\n]{0,40}:)/g,
  // Console prompts (a transcript whose newlines were lost).
  /(?=PS [A-Za-z]:\\[^<>|"\n]{0,80}>)/g,
  / (?=[A-Za-z]:\\[^<>|"\n ]{0,200}> ?[A-Za-z])/g,
]

export function unflattenText(text: string): string {
  let t = text
  for (const x of LINE_STARTS) t = Array.isArray(x) ? t.replace(x[0], x[1]) : t.replace(x, '\n')
  // Breaks put before a match that already started a line, or doubled by two patterns, are dropped.
  return t.replace(/\n(?:[^\S\n]*\n)+/g, '\n').replace(/^\n/, '')
}
