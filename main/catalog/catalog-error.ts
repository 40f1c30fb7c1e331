/** Errors of the Catalog client, each with a stable code for the contract (`not-found`, `failed`, …). */
export type CatalogErrorCode =
  | 'not-found'
  | 'unavailable'
  | 'refused'
  | 'arch-mismatch'
  | 'hash-mismatch'
  | 'bad-page'
  | 'too-large'

export class CatalogError extends Error {
  readonly code: CatalogErrorCode
  constructor(code: CatalogErrorCode, message: string) {
    super(message)
    this.name = 'CatalogError'
    this.code = code
  }
}
