// What the api/*.mjs handlers share.

/** Returned by a handler for the seeds' {"status":204,"body":null} answer. */
export const NO_CONTENT = Symbol('NO_CONTENT');
