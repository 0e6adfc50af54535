export type SequenceCheck =
  | { readonly kind: 'next' }
  | { readonly kind: 'gap'; readonly missing: number }
  | { readonly kind: 'duplicate'; readonly last: number };

/**
 * Follows trade ids per instrument. Exchanges number trades in increasing order, so an id at or
 * below the last one seen is a repeat, and a jump of more than one means trades were missed.
 *
 * NOTE: a trade that arrives late, after a later id, is treated as a repeat and dropped.
 */
export class TradeSequence {
  private readonly lastIds = new Map<string, number>();

  /** Classifies a trade id against the last accepted one, without accepting it. */
  check(instrument: string, tradeId: number): SequenceCheck {
    const last = this.lastIds.get(instrument);

    if (last !== undefined && tradeId <= last) {
      return { kind: 'duplicate', last };
    }

    return last === undefined || tradeId === last + 1 ? { kind: 'next' } : { kind: 'gap', missing: tradeId - last - 1 };
  }

  /** Records a trade id as accepted. */
  accept(instrument: string, tradeId: number): void {
    this.lastIds.set(instrument, tradeId);
  }

  /** The last id seen for an instrument. */
  last(instrument: string): number | undefined {
    return this.lastIds.get(instrument);
  }
}
