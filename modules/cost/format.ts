/**
 * Numbers as the cost report shows them to people: money in dollars and
 * cents, counts as whole numbers (one decimal when they are not), GB with as
 * many digits as they carry, rates with the digits AWS prices them in.
 * Always en-US, so a report reads the same on every machine.
 */

const LOCALE = "en-US";

function fixed(value: number, digits: number): string {
  return value.toLocaleString(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Dollars and cents ("$1,234.50"); "< $0.01" for a cost that rounds to no cent; "$0" for nothing. */
export function usd(value: number): string {
  if (value === 0) return "$0";
  if (Math.abs(value) < 0.005) return value > 0 ? "< $0.01" : "> -$0.01";
  return value < 0 ? `-$${fixed(-value, 2)}` : `$${fixed(value, 2)}`;
}

/** A count: a whole number with separators ("1,000"), or with one decimal when it is not whole ("1.7"). */
export function count(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString(LOCALE) : fixed(value, 1);
}

/**
 * GB: whole GB from 100 up ("1,800"), one decimal from 1 ("12.5", "3"), and
 * three significant digits below ("0.2", "0.0469").
 */
export function gb(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString(LOCALE);
  if (Math.abs(value) >= 1) return value.toLocaleString(LOCALE, { maximumFractionDigits: 1 });
  return String(Number(value.toPrecision(3)));
}

/** A unit price in dollars with the digits it is published with, up to four decimals ("$0.02", "$0.1105"). */
export function rate(value: number): string {
  return `$${value.toLocaleString(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
}

/** "1 account", "2 accounts". */
export function plural(value: number, one: string, many = `${one}s`): string {
  return `${count(value)} ${value === 1 ? one : many}`;
}
