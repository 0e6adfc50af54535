const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a non-negative decimal string ("23.00000000") into an integer count of 10^-decimals
 * units, exactly. Returns undefined for anything else, and for values with more significant
 * decimal places than `decimals` (trailing zeros beyond it are fine).
 */
export function parseScaledDecimal(text: string, decimals: number): bigint | undefined {
  const match = DECIMAL.exec(text);

  if (match === null) {
    return undefined;
  }

  const fraction = (match[2] ?? '').replace(/0+$/, '');

  if (fraction.length > decimals) {
    return undefined;
  }

  return BigInt(match[1] + fraction.padEnd(decimals, '0'));
}

/** Formats a scaled integer back into a decimal string with exactly `decimals` places. */
export function formatScaledDecimal(value: bigint, decimals: number): string {
  const digits = value.toString().padStart(decimals + 1, '0');

  return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
