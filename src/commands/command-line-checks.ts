import type { Command, Option } from 'commander';

/** Does the option's parser gather its values (a second one is added to the first, as a list)? */
function gathers(option: Option): boolean {
  if (!option.parseArg) return false;
  try {
    const parse = option.parseArg as (value: string, previous: unknown) => unknown;
    const both = parse('b', parse('a', undefined));
    return Array.isArray(both) && both.length >= 2;
  } catch {
    return false; // a validator (a whole number, a duration…): one value
  }
}

/**
 * An option that takes one value, given twice, is refused: commander keeps the last one, so
 * `tenant erase tc --confirm ta --confirm tc` would erase tc although one confirmation names
 * another tenant, and `import … --tenant ta --tenant tb` would load into tb. Options meant to
 * repeat (their parser gathers the values: --tenant on migrate, --only, monitor check's
 * --warning …) and flags without a value are left alone.
 * `argv` is the command line as given; tokens after `--` are arguments, never options.
 * @returns what is wrong, or undefined
 */
export function repeatedOption(action: Command, argv: readonly string[]): string | undefined {
  const options = new Map<string, Option>();
  for (let c: Command | null = action; c; c = c.parent) {
    for (const option of c.options) {
      if (!(option.required || option.optional) || gathers(option)) continue;
      if (option.long) options.set(option.long, option);
      if (option.short) options.set(option.short, option);
    }
  }
  const seen = new Map<Option, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    const [name, inline] = token.startsWith('-') ? [token.split('=')[0]!, token.includes('=')] : ['', false];
    const option = options.get(name);
    if (!option) continue;
    const value = inline ? token.slice(name.length + 1) : argv[i + 1];
    if (!inline) i += 1;
    seen.set(option, [...(seen.get(option) ?? []), value ?? '']);
  }
  for (const [option, values] of seen) {
    if (values.length < 2) continue;
    const flag = option.long ?? option.short!;
    // A URL may hold a password in a form no scrubber can be sure of (a space in it): not repeated.
    const shown = /url|password/i.test(flag) ? '' : ` (${values.map((v) => JSON.stringify(v)).join(', ')})`;
    return `${flag} was given ${values.length} times${shown}; it takes one value. Give it once (nothing was changed).`;
  }
  return undefined;
}

/** Output formats chosen together (--json, --csv, --prometheus, --jsonl): each decides what stdout holds. */
export function clashingFormats(action: Command): string | undefined {
  const options = action.optsWithGlobals() as Record<string, unknown>;
  const chosen = ['json', 'jsonl', 'csv', 'prometheus'].filter((f) => options[f] === true).map((f) => `--${f}`);
  return chosen.length > 1 ? `${chosen.join(' and ')} each choose what standard output holds; give one of them (nothing was changed).` : undefined;
}

/**
 * Refuse such a command line before the command runs, through commander's own usage error: the
 * message on stderr, exit 2 (monitor check's override makes it Nagios UNKNOWN, with its line).
 */
export function refuseCommandLine(action: Command, argv: readonly string[]): void {
  const problem = repeatedOption(action, argv) ?? clashingFormats(action);
  if (problem) action.error(`error: ${problem}`, { exitCode: 2, code: 'tenantctl.commandLine' });
}
