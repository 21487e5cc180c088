import { expect } from 'vitest';

/** One line of the Prometheus text exposition format: a sample, or a HELP/TYPE comment. */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*")*)?\})? (-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|[+-]Inf)$/;
const COMMENT = /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|untyped|histogram|summary))$/;

/** Assert that every line parses as exposition format and every metric name starts with tenantctl_. */
export function expectPrometheus(text: string): void {
  const lines = text.split('\n').filter((l) => l !== '');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    if (line.startsWith('#')) expect(line, line).toMatch(COMMENT);
    else {
      expect(line, line).toMatch(SAMPLE);
      expect(line).toMatch(/^tenantctl_/);
    }
  }
}

/** Poll until `probe` returns a truthy value (statistics reach the views asynchronously). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, tries = 60): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
