/**
 * The first word of the collector's compact line (-Line). Apart from collector.ts's schemas, so code that only reads
 * lines (the fleet store) loads no zod (building those schemas costs a command's start tens of ms).
 */
export const COLLECTOR_LINE_PREFIX = 'SDC1'
