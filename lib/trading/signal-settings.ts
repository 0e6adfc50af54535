import * as t from 'io-ts';
import { NonEmptyString, NonNegativeNumber, PositiveNumber } from '../events/index.js';

/**
 * A volatility regime: forecasts below `below` (annualized, as a fraction) fall in it, and its
 * `scale` multiplies the volatility-targeted position (0 goes flat in that regime).
 */
export const Regime = t.intersection(
  [t.strict({ name: NonEmptyString, scale: NonNegativeNumber }), t.partial({ below: PositiveNumber })],
  'Regime',
);
export type Regime = t.TypeOf<typeof Regime>;

function isOrderedRegimeList(regimes: readonly Regime[]): boolean {
  for (let i = 0; i < regimes.length; i++) {
    const below = regimes[i].below;
    const last = i === regimes.length - 1;

    if (last !== (below === undefined)) {
      return false;
    }

    const previous = i === 0 ? undefined : regimes[i - 1].below;

    if (below !== undefined && previous !== undefined && below <= previous) {
      return false;
    }
  }

  return regimes.length > 0;
}

/** Regimes ordered by increasing `below`; the last one has no `below` and takes every higher forecast. */
export const RegimeList = new t.Type<Regime[], Regime[], unknown>(
  'regimes ordered by increasing below, the last one without below',
  (input): input is Regime[] => t.array(Regime).is(input) && isOrderedRegimeList(input),
  (input, context) => {
    const decoded = t.array(Regime).validate(input, context);

    if (decoded._tag === 'Left') {
      return decoded;
    }

    return isOrderedRegimeList(decoded.right) ? t.success(decoded.right) : t.failure(input, context);
  },
  t.identity,
);

/** Settings of the `signal` stage. */
export const SignalSettings = t.intersection(
  [
    t.strict({
      /** Annualized volatility the position aims for, as a fraction (0.1 is 10%). */
      targetVolatility: PositiveNumber,
    }),
    t.exact(t.partial({
      /** Cap on the absolute target position, as a fraction of capital (leverage). Default 1. */
      maxPosition: PositiveNumber,
      /** Smallest change of target position that emits a signal. Default 0.05. */
      minChange: NonNegativeNumber,
      /** `long` holds positive positions, `short` negative ones. Default long. */
      direction: t.keyof({ long: null, short: null }),
      regimes: RegimeList,
    })),
  ],
  'SignalSettings',
);
export type SignalSettings = t.TypeOf<typeof SignalSettings>;
