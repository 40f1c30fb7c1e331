/** The free space WinRE needs, apart from winre.ts's zod schemas (the diagnosis reads it, and loads no zod at a CLI start). */

/** 250 MB free in the recovery partition, which WinRE updates need (KB5034441, KB5028997; servicing-facts §4). */
export const WINRE_REQUIRED_FREE_BYTES = 250 * 1024 * 1024
