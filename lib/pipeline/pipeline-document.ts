import * as t from 'io-ts';
import { NonEmptyString, refine } from '../events/index.js';

/** A pipeline id: letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const PipelineId = refine(t.string, (value) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(value), 'PipelineId');

/** An instrument entry: its id, or `{id, allowNegativePrices}`. */
export const InstrumentEntry = t.union(
  [NonEmptyString, t.intersection([t.type({ id: NonEmptyString }), t.partial({ allowNegativePrices: t.boolean })])],
  'InstrumentEntry',
);

export const PipelineOutputsCodec = t.partial({ bus: t.boolean, log: t.boolean }, 'PipelineOutputs');

/** The codecs of each top-level section, decoded one by one so one broken section does not hide problems in the others. */
export const PipelineDocumentSections = {
  instruments: t.array(InstrumentEntry, 'Array<InstrumentEntry>'),
  source: t.UnknownRecord,
  stages: t.array(t.UnknownRecord, 'Array<stage>'),
  optional: t.partial({ id: PipelineId, description: t.string, outputs: PipelineOutputsCodec }),
};

/**
 * The top level of a pipeline file. `source` and the stage entries are checked by their own
 * codecs afterwards, chosen by `source.type` and each stage's `use`.
 */
export const PipelineDocument = t.intersection(
  [
    t.type({
      instruments: t.array(InstrumentEntry),
      source: t.UnknownRecord,
      stages: t.array(t.UnknownRecord),
    }),
    t.partial({
      id: PipelineId,
      description: t.string,
      outputs: PipelineOutputsCodec,
    }),
  ],
  'PipelineDocument',
);
export type PipelineDocument = t.TypeOf<typeof PipelineDocument>;
