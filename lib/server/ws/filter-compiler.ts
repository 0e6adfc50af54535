import sift from 'sift';
import { describeValue, type AnyEvent, type EventType } from '../../events/index.js';
import { TickflowError } from '../../errors.js';
import { exceedsDepth } from '../json-depth.js';
import { fieldKindOf, type FieldKind } from './event-schema.js';

/**
 * The operators a filter may use. `$where` is left out because sift compiles its string into
 * code, and `$regex` because a client-chosen pattern can take exponential time (ReDoS).
 */
const FIELD_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not']);
const LOGICAL_OPERATORS = new Set(['$and', '$or']);
/**
 * sift ships CommonJS whose named exports Node's ESM loader cannot detect, but its default
 * export is the module object itself, carrying every operation as a property.
 */
const siftModule = sift as unknown as typeof import('sift');
const { $and, $eq, $exists, $gt, $gte, $in, $lt, $lte, $ne, $nin, $not, $or, createQueryTester } = siftModule;
const SIFT_OPERATIONS = { $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $exists, $not, $and, $or };

const MAX_DEPTH = 8;
const MAX_NODES = 200;
const MAX_IN_VALUES = 1000;
/**
 * Arrays and objects a filter may nest, checked before anything walks it: each level of
 * `$and` or `$or` takes two (the array and the query in it), and conditions take a few more.
 */
const MAX_JSON_DEPTH = 2 * MAX_DEPTH + 8;

export type EventFilter = (event: AnyEvent) => boolean;

/**
 * Checks a MongoDB-style filter against the operator allow-list and the fields of the given
 * event types, then compiles it with sift. Throws TickflowError `invalid-filter`,
 * `filter-operator-not-allowed` or `unknown-filter-field`, naming the operator or field.
 */
export function compileFilter(filter: unknown, types: readonly EventType[]): EventFilter {
  if (filter === undefined) {
    return () => true;
  }

  if (exceedsDepth(filter, MAX_JSON_DEPTH)) {
    throw invalid('filter', `a filter nested at most ${MAX_JSON_DEPTH} arrays and objects deep (${MAX_DEPTH} levels of $and and $or)`, '(a deeper value)');
  }

  const budget = { nodes: 0 };

  checkQuery(filter, types, 'filter', 0, budget);

  return createQueryTester(filter as object, { operations: SIFT_OPERATIONS }) as EventFilter;
}

/** Throws `unknown-filter-field` unless the dotted path is a field of one of the types. */
export function checkFieldPath(path: string, types: readonly EventType[], where: string): FieldKind {
  const kind = path.length > 0 && !path.startsWith('$') ? fieldKindOf(types, path) : undefined;

  if (kind === undefined) {
    throw new TickflowError('unknown-filter-field', `${where}: unknown field "${path}" for event types ${types.join(', ')}`, { field: path, types });
  }

  return kind;
}

function checkQuery(query: unknown, types: readonly EventType[], where: string, depth: number, budget: { nodes: number }): void {
  if (!isPlainObject(query)) {
    throw invalid(where, 'an object such as {"instrument": "SPX"}', query);
  }

  if (depth > MAX_DEPTH || ++budget.nodes > MAX_NODES) {
    throw invalid(where, `a filter at most ${MAX_DEPTH} levels deep and ${MAX_NODES} conditions large`, '(larger filter)');
  }

  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith('$')) {
      checkLogical(key, value, types, `${where}.${key}`, depth, budget);
      continue;
    }

    checkCondition(value, checkFieldPath(key, types, where), `${where}.${key}`, depth, budget);
  }
}

function checkLogical(operator: string, value: unknown, types: readonly EventType[], where: string, depth: number, budget: { nodes: number }): void {
  if (!LOGICAL_OPERATORS.has(operator)) {
    throw notAllowed(operator, where, `at this level only ${[...LOGICAL_OPERATORS].join(', ')} or field names are allowed`);
  }

  if (!Array.isArray(value) || value.length === 0) {
    throw invalid(where, 'a non-empty array of filters', value);
  }

  value.forEach((member, index) => checkQuery(member, types, `${where}[${index}]`, depth + 1, budget));
}

function checkCondition(condition: unknown, kind: FieldKind, where: string, depth: number, budget: { nodes: number }): void {
  if (!isPlainObject(condition)) {
    checkScalar(condition, kind, where);
    return;
  }

  const keys = Object.keys(condition);

  if (keys.length === 0 || keys.some((key) => !key.startsWith('$'))) {
    throw invalid(where, 'a value or an object of operators such as {"$gt": 1}; use dotted paths for nested fields', condition);
  }

  for (const operator of keys) {
    if (++budget.nodes > MAX_NODES) {
      throw invalid(where, `a filter of at most ${MAX_NODES} conditions`, '(larger filter)');
    }

    checkOperator(operator, condition[operator], kind, `${where}.${operator}`, depth, budget);
  }
}

function checkOperator(operator: string, operand: unknown, kind: FieldKind, where: string, depth: number, budget: { nodes: number }): void {
  if (!FIELD_OPERATORS.has(operator)) {
    throw notAllowed(operator, where, `allowed operators are ${[...FIELD_OPERATORS, ...LOGICAL_OPERATORS].join(', ')}`);
  }

  if (operator === '$exists') {
    if (typeof operand !== 'boolean') {
      throw invalid(where, 'true or false', operand);
    }

    return;
  }

  if (operator === '$not') {
    if (!isPlainObject(operand) || depth >= MAX_DEPTH) {
      throw invalid(where, 'an object of operators such as {"$gt": 1}', operand);
    }

    checkCondition(operand, kind, where, depth + 1, budget);
    return;
  }

  if (operator === '$in' || operator === '$nin') {
    if (!Array.isArray(operand) || operand.length > MAX_IN_VALUES) {
      throw invalid(where, `an array of at most ${MAX_IN_VALUES} values`, operand);
    }

    operand.forEach((value, index) => checkScalar(value, kind, `${where}[${index}]`));
    return;
  }

  checkScalar(operand, kind, where);
}

/** Rejects values that could never equal or compare with a field of the given kind. */
function checkScalar(value: unknown, kind: FieldKind, where: string): void {
  if (value === null) {
    return;
  }

  const valueKind = typeof value;

  if (valueKind !== 'number' && valueKind !== 'string' && valueKind !== 'boolean') {
    throw invalid(where, 'a number, string, boolean or null', value);
  }

  if (valueKind === 'number' && !Number.isFinite(value)) {
    throw invalid(where, 'a finite number', value);
  }

  if ((kind === 'number' || kind === 'string' || kind === 'boolean') && valueKind !== kind) {
    throw invalid(where, `a ${kind}, because the field holds ${kind}s`, value);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notAllowed(operator: string, where: string, hint: string): TickflowError {
  return new TickflowError('filter-operator-not-allowed', `${where}: operator ${operator} is not allowed; ${hint}`, { operator });
}

function invalid(where: string, expected: string, received: unknown): TickflowError {
  const text = typeof received === 'string' && received.startsWith('(') ? received : describeValue(received);

  return new TickflowError('invalid-filter', `${where}: expected ${expected}, received ${text}`, { path: where, expected, received: text });
}
