/**
 * Value types shared by every layer: evidence, facts, architectures, machine references.
 *
 * This folder holds only zod schemas (it imports nothing but zod), so main, preload and the
 * renderer can all use it without pulling Node into the renderer.
 */
import { z } from 'zod'

/** Where a fact came from: the command or file, and the lines it was read from. */
export const EvidenceSchema = z.object({
  source: z.string(),
  excerpt: z.string(),
})
export type Evidence = z.infer<typeof EvidenceSchema>

/**
 * A fact is either known (with a value) or unknown (with the reason). A failing probe never fails
 * a scan: it yields an unknown fact whose evidence says what went wrong.
 */
export function factSchema<T extends z.ZodTypeAny>(value: T) {
  return z.discriminatedUnion('status', [
    z.object({ status: z.literal('known'), value, evidence: z.array(EvidenceSchema) }),
    z.object({ status: z.literal('unknown'), error: z.string(), evidence: z.array(EvidenceSchema) }),
  ])
}
export type Fact<T> =
  | { status: 'known'; value: T; evidence: Evidence[] }
  | { status: 'unknown'; error: string; evidence: Evidence[] }

/** A machine's (or a process's) architecture. `x64` is what Windows calls AMD64. */
export const MachineArchSchema = z.enum(['x86', 'x64', 'arm64', 'arm'])
export type MachineArch = z.infer<typeof MachineArchSchema>

/** A package's architecture as DISM names it, normalised (`amd64` → `x64`). */
export const PackageArchSchema = z.enum(['x86', 'x64', 'arm64', 'arm', 'wow64', 'neutral'])
export type PackageArch = z.infer<typeof PackageArchSchema>

/** Which machine a call is about: this PC, a training machine, or a snapshot imported from another PC. */
export const MachineRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('this-pc') }),
  // `via: 'winrm'`: the training machine reached through the remote Host and the training transport.
  z.object({
    kind: z.literal('training'),
    name: z.string().regex(/^[a-z0-9-]{1,64}$/),
    via: z.literal('winrm').optional(),
  }),
  z.object({ kind: z.literal('snapshot'), id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
  // A PC reached over PowerShell remoting: a computer name, FQDN or address.
  // `credential: 'prompt'`: the technician's powershell.exe asks with Windows' own prompt (Get-Credential); no password ever reaches the app.
  z.object({
    kind: z.literal('remote'),
    computer: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/),
    credential: z.literal('prompt').optional(),
  }),
])
export type MachineRef = z.infer<typeof MachineRefSchema>

/** A KB article number, always `KB` + digits. */
export const KbSchema = z.string().regex(/^KB\d{6,8}$/)

/** An error code normalised at the boundary: `0x` + 8 upper-case hex digits. */
export const ErrorCodeSchema = z.string().regex(/^0x[0-9A-F]{8}$/)
