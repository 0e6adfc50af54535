/** Prices of a bar still being built, with the start of its interval. */
export interface OhlcBucket {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Returns the start of the interval that contains a time, aligned to the UTC epoch. */
export function bucketStart(time: number, interval: number): number {
  return Math.floor(time / interval) * interval;
}

/** Returns a bucket opened by its first price. */
export function openBucket(time: number, price: number): OhlcBucket {
  return { time, open: price, high: price, low: price, close: price };
}

/** Moves a bucket's high, low and close by one more price. */
export function extendBucket(bucket: OhlcBucket, price: number): void {
  bucket.high = Math.max(bucket.high, price);
  bucket.low = Math.min(bucket.low, price);
  bucket.close = price;
}
