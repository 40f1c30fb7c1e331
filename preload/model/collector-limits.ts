/**
 * The collector line's limits, apart from the schemas: the fleet's readers (loaded by `fleet groups`, a fast command)
 * need them without loading zod.
 */

/** The longest collector line a detection writes (Intune keeps 2,048 characters of a detection's output). */
export const COLLECTOR_LINE_MAX = 2048
