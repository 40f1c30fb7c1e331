/**
 * The collector's file: one zip that the collector script (or `scan --out FILE.zip`) writes on a PC and the
 * app opens as a read-only machine. Three kinds of entry:
 * - `snapshot.json`: who, when, and every probe command's raw answer (the app re-reads them with its own
 *   probes and parsers, so the facts are derived exactly as on a live PC);
 * - `files/...`: the logs and files the diagnosis reads (CBS.log and DISM.log tails, expanded CbsPersist
 *   archives, Panther setupact/setuperr, ReAgent.xml), each mapped back to its Windows path;
 * - `manifest.json`: the SHA-256 and size of every other entry.
 * One schema, shared by the generator, the reader and the tests. Bump COLLECTOR_FORMAT_VERSION on change.
 */
import { z } from 'zod'

export const COLLECTOR_FORMAT = 'servicing-desk-collector'
export const COLLECTOR_FORMAT_VERSION = 1
/** The hard cap on the collector's zip; the compact line printed with -Line (Intune Remediations keeps 2,048 characters). */
export { COLLECTOR_LINE_MAX, COLLECTOR_MAX_BYTES } from './collector-limits.ts'
export { COLLECTOR_LINE_PREFIX } from './collector-line-prefix.ts'

export const CollectedCommandSchema = z.object({
  /** The CommandSpec name the app's probes ask for (`os.currentversion`). */
  name: z
    .string()
    .regex(/^[a-z0-9.-]+$/)
    .max(80),
  /** The command as a person reads it. */
  commandLine: z.string().max(100_000),
  /** Unsigned 32-bit exit code; -1 when it could not start. */
  exitCode: z.number().int().min(-1).max(0xffffffff),
  stdout: z.string(),
  stderr: z.string(),
  timedOut: z.boolean(),
  /** True when stdout was cut at the collector's per-command limit. */
  truncated: z.boolean(),
  durationMs: z.number().nonnegative(),
})
export type CollectedCommand = z.infer<typeof CollectedCommandSchema>

export const CollectedFileSchema = z.object({
  /** The file's Windows path on the PC (`C:\Windows\Logs\CBS\CBS.log`). */
  path: z
    .string()
    .regex(/^[A-Za-z]:\\[^/\0]*$/, 'a Windows path like C:\\Windows\\...')
    .max(400),
  /** Its entry in the zip (`files/...`). */
  entry: z
    .string()
    .regex(/^files\/[A-Za-z0-9._\-/]+$/)
    .max(400),
  /** Bytes kept (a tail of the file when it was larger than its limit). */
  bytes: z.number().int().nonnegative(),
  /** The file's size on the PC. */
  originalBytes: z.number().int().nonnegative(),
  /** Where it came from when it is not a copy of `path` (an expanded CbsPersist archive). */
  from: z.string().max(400).nullable(),
})
export type CollectedFile = z.infer<typeof CollectedFileSchema>

export const CollectorSnapshotSchema = z.object({
  format: z.literal(COLLECTOR_FORMAT),
  formatVersion: z.literal(COLLECTOR_FORMAT_VERSION),
  /** ISO 8601 (UTC) when collection started. */
  takenAt: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
  computerName: z.string().min(1).max(64),
  /** `collector` (the script on the PC) or `app` (scan --out from a machine the app reaches). */
  takenBy: z.enum(['collector', 'app']),
  collectorVersion: z.string().max(40),
  /** The architecture of the process that collected (`AMD64`, `ARM64`, `x86`). */
  processArch: z.enum(['x64', 'arm64', 'x86', 'arm']),
  elevated: z.boolean(),
  commands: z.array(CollectedCommandSchema).max(100),
  files: z.array(CollectedFileSchema).max(100),
  /** What could not be gathered, in plain words. */
  notes: z.array(z.string().max(2000)).max(200),
})
export type CollectorSnapshot = z.infer<typeof CollectorSnapshotSchema>

export const CollectorManifestSchema = z.object({
  format: z.literal(COLLECTOR_FORMAT),
  files: z
    .array(
      z.object({
        entry: z.string().max(400),
        sha256: z.string().regex(/^[0-9a-f]{64}$/i),
        bytes: z.number().int().nonnegative(),
      }),
    )
    .max(200),
})
export type CollectorManifest = z.infer<typeof CollectorManifestSchema>

/** The `-Line` output, read back: `SDC1 host=PC01 build=26100.2033 arch=x64 winre=enabled codes=0x800F0922,…`. */
export const CollectorLineSchema = z.object({
  host: z.string(),
  build: z.string().nullable(),
  arch: z.string().nullable(),
  winre: z.string().nullable(),
  codes: z.array(z.string().regex(/^0x[0-9A-F]{8}$/)),
  takenAt: z.string().nullable(),
})
export type CollectorLine = z.infer<typeof CollectorLineSchema>
