/**
 * The value rules of the CSV columns, shared by the SQL validator (sql-parts.ts, where the
 * patterns are query parameters) and the client-side gate of the direct load
 * (value-gate.ts). Plain ASCII patterns that mean the same in PostgreSQL and JavaScript.
 */

export const BOOLEAN_WORDS = ['true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', 'on', 'off', '1', '0'];
export const INTEGER = '^[+-]?[0-9]+$';
export const NUMBER = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$';
export const UUID = '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
export const DATE = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
export const TIMESTAMP = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$';
/** Integers longer than this (sign included) are out of range before any arithmetic. */
export const INTEGER_MAX_CHARS = 12;
export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
