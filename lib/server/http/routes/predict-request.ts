import * as t from 'io-ts';
import { EpochMillis, FiniteNumber, NonEmptyString, NonNegativeNumber, refine } from '../../../events/index.js';
import { rejectUnknownFields } from '../decode-input.js';
import { MAX_DATE_MS } from '../query-params.js';

const BarTime = refine(EpochMillis, (time) => time <= MAX_DATE_MS, `EpochMillis at most ${MAX_DATE_MS}`);

/** One bar of a predict request; `t` is the bar's open time in UTC epoch milliseconds. */
export const PredictBar = t.strict(
  {
    t: BarTime,
    open: FiniteNumber,
    high: FiniteNumber,
    low: FiniteNumber,
    close: FiniteNumber,
    volume: NonNegativeNumber,
  },
  'PredictBar',
);
export type PredictBar = t.TypeOf<typeof PredictBar>;

const PredictRequired = t.strict({ instrument: NonEmptyString });
const PredictOptional = t.partial({ bars: t.array(PredictBar) });

/** Body of `POST /api/ml/lstm/predict`: without bars, the latest stored window is used. */
export const PredictRequest = t.intersection([PredictRequired, PredictOptional], 'PredictRequest');
export type PredictRequest = t.TypeOf<typeof PredictRequest>;

const REQUEST_KEYS = [...Object.keys(PredictRequired.type.props), ...Object.keys(PredictOptional.props)];
const BAR_KEYS = Object.keys(PredictBar.type.props);

/** Throws `unknown-field` for a key of the body, or of one of its bars, that the API does not define. */
export function rejectUnknownPredictFields(body: unknown): void {
  rejectUnknownFields(body, REQUEST_KEYS);

  const bars = (body as { bars?: unknown } | null)?.bars;

  if (Array.isArray(bars)) {
    bars.forEach((bar: unknown, index) => rejectUnknownFields(bar, BAR_KEYS, `bars[${index}]`));
  }
}
