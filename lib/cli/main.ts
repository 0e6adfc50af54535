#!/usr/bin/env node
import { buildProgram } from './program.js';

// A reader that closes the pipe early (`tickflow ... | head`) is not an error of the command.
// Without this listener the EPIPE error is thrown, and the WebAssembly backend's
// uncaughtException handler turns it into a crash with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      process.exit(process.exitCode ?? 0);
    }

    throw error;
  });
}

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`tickflow: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
