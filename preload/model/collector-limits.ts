/**
 * The collector's limits, apart from the schemas: the fleet's readers (loaded by `fleet groups`, a fast command) and the
 * collector's steps (loaded by a machine's scan) need them without loading zod.
 */

/** The hard cap on the collector's zip (and on what it gathers before zipping). */
export const COLLECTOR_MAX_BYTES = 25 * 1024 * 1024

/** The longest collector line a detection writes (Intune keeps 2,048 characters of a detection's output). */
export const COLLECTOR_LINE_MAX = 2048
