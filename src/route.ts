import { GROUP_OUTLINE } from './commands/outline.js';

/**
 * Which command group a command line names, before anything else is loaded: bin/tenantctl.js
 * asks this (a file of its own in the bundle, scripts/bundle.mjs) to choose the one bundle file
 * that runs the group, and cli.ts asks it to register only that group.
 */

/** Where the command group is named in argv (skipping global options; `help <group>` names it too), or -1. */
export function groupIndex(argv: readonly string[]): number {
  for (let i = 2; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--database-url' || arg === '--profile') i += 1;
    else if (arg === 'help' && i + 1 < argv.length && Object.hasOwn(GROUP_OUTLINE, argv[i + 1]!)) return i + 1;
    else if (!arg.startsWith('-')) return Object.hasOwn(GROUP_OUTLINE, arg) ? i : -1;
  }
  return -1;
}

/** The command group named on the command line, if any. */
export function groupNamed(argv: readonly string[]): string | undefined {
  const at = groupIndex(argv);
  return at >= 0 ? argv[at] : undefined;
}

/**
 * The word right after the group (`tenant create …` → `create`), when it is not an option:
 * a group may register only that subcommand. Anything else (`help <group>`, options between
 * the group and its subcommand) gives undefined, and the whole group registers.
 */
export function subcommandNamed(argv: readonly string[]): string | undefined {
  const at = groupIndex(argv);
  const next = at >= 0 && argv[at - 1] !== 'help' ? argv[at + 1] : undefined;
  return next !== undefined && !next.startsWith('-') ? next : undefined;
}
