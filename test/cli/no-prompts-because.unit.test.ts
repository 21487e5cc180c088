import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { noPromptsBecause, type Io } from '../../src/context.js';

/** A terminal or not on stdin and stderr, and CI set or not. */
const io = (stdinTTY: boolean, stderrIsTTY: boolean, env: Record<string, string> = {}): Io => {
  const stdin = Object.assign(new PassThrough(), { isTTY: stdinTTY || undefined });
  return { stdin, stdout: new PassThrough(), stderr: new PassThrough(), env, interactive: false, stderrIsTTY, color: false, now: () => new Date(), cwd: '/' } as unknown as Io;
};

describe('why a command does not prompt', () => {
  it('names the stream that is not a terminal, or CI', () => {
    expect(noPromptsBecause(io(false, true))).toBe('standard input is not a terminal');
    expect(noPromptsBecause(io(false, false))).toBe('standard input is not a terminal');
    // `tenant erase x 2>log` at a terminal: stdin is one, stderr is not.
    expect(noPromptsBecause(io(true, false))).toBe('standard error is not a terminal');
    expect(noPromptsBecause(io(true, true, { CI: 'true' }))).toBe('CI is set');
  });
});
