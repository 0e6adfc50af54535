import type { IncomingMessage } from 'node:http';
import { exceedsDepth } from '../json-depth.js';
import { HttpError } from './http-error.js';
import { findNonFiniteNumber } from './non-finite-number.js';

export interface BodyLimits {
  readonly limitBytes: number;
  readonly timeoutMs: number;
}

const CLOSE = { Connection: 'close' };

/**
 * Arrays and objects a request body may nest. The deepest body the API defines nests three
 * (`{"bars": [{...}]}`); a far deeper one would overflow the stack of any recursive walk.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Reads and parses a JSON request body. A declared length over the limit is rejected before a
 * byte is read; a body that grows past the limit, or that is still arriving after the timeout,
 * is cut off. Those responses close the connection, so the rest of the body is never read.
 */
export async function readJsonBody(request: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  checkContentType(request.headers['content-type']);
  checkDeclaredLength(request.headers['content-length'], limits.limitBytes);

  const text = await readText(request, limits);

  return parseJson(text);
}

function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined) {
    return;
  }

  const mediaType = contentType.split(';')[0].trim().toLowerCase();

  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    throw new HttpError('unsupported-media-type', `request body must be application/json, received ${mediaType}`, { contentType: mediaType });
  }
}

function checkDeclaredLength(header: string | undefined, limitBytes: number): void {
  const declared = header === undefined ? NaN : Number(header);

  if (declared > limitBytes) {
    throw tooLarge(declared, limitBytes);
  }
}

function readText(request: IncomingMessage, limits: BodyLimits): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;

    const finish = (error: Error | undefined, text?: string): void => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
      // An 'error' emitted without a listener is thrown, and a client may still reset a
      // connection whose body was cut off.
      request.on('error', ignoreLateError);

      if (error !== undefined) {
        request.pause();
        reject(error);
        return;
      }

      resolve(text ?? '');
    };

    const onData = (chunk: Buffer): void => {
      received += chunk.length;

      if (received > limits.limitBytes) {
        finish(tooLarge(received, limits.limitBytes));
        return;
      }

      chunks.push(chunk);
    };

    const onEnd = (): void => finish(undefined, Buffer.concat(chunks).toString('utf8'));
    const onError = (error: Error): void => finish(new HttpError('request-aborted', `request body could not be read: ${error.message}`, {}, CLOSE));
    const onAborted = (): void => finish(new HttpError('request-aborted', 'the client closed the connection before the body was complete', {}, CLOSE));

    const timer = setTimeout(() => {
      finish(new HttpError('request-timeout', `request body not received within ${limits.timeoutMs} ms; send the whole body at once`, { timeoutMs: limits.timeoutMs, receivedBytes: received }, CLOSE));
    }, limits.timeoutMs);

    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

function ignoreLateError(): void {}

function parseJson(text: string): unknown {
  if (text.trim().length === 0) {
    throw new HttpError('empty-body', 'request body is empty; send a JSON object');
  }

  let value: unknown;

  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError('invalid-json', `request body is not valid JSON: ${(error as Error).message}`);
  }

  if (exceedsDepth(value, MAX_BODY_DEPTH)) {
    throw new HttpError('body-too-deep', `request body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep; send a flatter body`, { maxDepth: MAX_BODY_DEPTH });
  }

  const path = findNonFiniteNumber(value);

  if (path !== undefined) {
    throw new HttpError('non-finite-number', `number at ${path || '(root)'} is too large to be finite; send a finite number`, { path });
  }

  return value;
}

function tooLarge(bytes: number, limitBytes: number): HttpError {
  return new HttpError('payload-too-large', `request body of ${bytes} bytes or more exceeds the limit of ${limitBytes} bytes`, { limitBytes }, CLOSE);
}
