/**
 * A piece of text made safe to put inside a regular expression: each of the pattern's special characters escaped,
 * so a word of the knowledge's tables ("C++", "(x86)", "v1.2") matches only itself. One helper, because every table of
 * words becomes a pattern the same way.
 */
export const escapePattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
