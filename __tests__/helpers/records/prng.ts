/**
 * A seeded pseudo-random generator (mulberry32): the record corpus is the
 * same on every run and every machine, so tests and the benchmark see the
 * same bytes. Not for anything that needs real randomness.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** n lowercase hexadecimal digits. */
  hex(n: number): string;
  /** n characters of [A-Z0-9]. */
  upper(n: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
  /** A private IPv4 address of 10.0.0.0/8 or 172.31.0.0/16. */
  privateIp(): string;
  /** A public-looking IPv4 address (documentation and test ranges excluded). */
  publicIp(): string;
}

export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (p) => next() < p,
    hex,
    upper: (n) => Array.from({ length: n }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[int(0, 31)]).join(""),
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
    privateIp: () =>
      next() < 0.5 ? `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}` : `172.31.${int(0, 255)}.${int(1, 254)}`,
    publicIp: () => `${int(11, 99)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
  };
}
