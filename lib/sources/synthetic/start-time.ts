import { createDateParser } from '../csv/date-parser.js';

const parseUtc = createDateParser('auto', 'UTC');

/** Returns true when the text is an ISO 8601 date or date-time that the synthetic source can start at. */
export function isDatePattern(text: string): boolean {
  return parseUtc(text) !== undefined;
}
