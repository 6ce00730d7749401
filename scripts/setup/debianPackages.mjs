// Installs the Debian packages a set-up step needs, or names the command that does.
import { SetupError } from './run.mjs';
import { hostSystem } from './system.mjs';

/** dpkg's package state alone: `${Status}` reads "unknown ok not-installed" for an absent package. */
export const STATUS_FORMAT = '-f=${db:Status-Status}';

/** States whose files are in place and configured (pending triggers run on the next dpkg call). */
const PRESENT = new Set(['installed', 'triggers-awaited', 'triggers-pending']);
/** States an interrupted or failed dpkg run leaves behind: `dpkg --configure -a` finishes them first. */
const BROKEN = new Set(['half-installed', 'unpacked', 'half-configured']);

/**
 * What one `dpkg-query -W -f='${db:Status-Status}' <package>` answer says:
 * `present`, `broken` (half-installed, unpacked, half-configured) or `absent`
 * (not-installed, config-files left by a removal, unknown to dpkg, or an
 * answer that cannot be read: installing again is harmless, skipping is not).
 */
export function packageState(answer) {
  if (answer.status !== 0) return 'absent';
  const state = answer.stdout.trim();
  if (PRESENT.has(state)) return 'present';
  if (BROKEN.has(state)) return 'broken';
  return 'absent';
}

/**
 * What to do about a step's packages on this machine:
 * - `ready`: every package is installed;
 * - `not-debian`: no dpkg; `message` names the packages to get some other way;
 * - `install`: root with apt: `steps` are the commands to run;
 * - `explain`: not root (or no apt-get): `message` names the exact command.
 * `command` is that command as one line a person can paste.
 */
export function installPlan({ packages, states, purpose, hasDpkg, hasAptGet, isRoot, hasSudo }) {
  if (!hasDpkg) {
    return {
      kind: 'not-debian',
      message: `not a Debian system; make sure these (or their equivalents) are installed for ${purpose}: ${packages.join(' ')}`,
    };
  }
  const missing = packages.filter((name) => states[name] !== 'present');
  if (missing.length === 0) return { kind: 'ready' };
  const steps = [
    ...(missing.some((name) => states[name] === 'broken') ? [['dpkg', ['--configure', '-a']]] : []),
    ['apt-get', ['install', '-y', '--no-install-recommends', ...missing]],
  ];
  const asRoot = isRoot ? '' : hasSudo ? 'sudo ' : '';
  const command = steps.map(([name, args]) => `${asRoot}${name} ${args.join(' ')}`).join(' && ');
  if (isRoot && hasAptGet) return { kind: 'install', missing, steps, command };
  const how = !hasAptGet
    ? `apt-get is missing; install them with your package manager (on Debian: ${command})`
    : `install them ${hasSudo ? 'with' : 'as root with'}: ${command}`;
  return {
    kind: 'explain',
    missing,
    command,
    message: `${purpose} needs these Debian packages: ${missing.join(' ')}\n  ${how}`,
  };
}

/** Each package's state as dpkg reports it; undefined when there is no dpkg at all. */
export function packageStates(packages, system = hostSystem) {
  if (!system.which('dpkg-query')) return undefined;
  return Object.fromEntries(
    packages.map((name) => [name, packageState(system.query('dpkg-query', ['-W', STATUS_FORMAT, name]))]),
  );
}

/**
 * Makes sure the packages are installed: installs them as root (updating
 * the package lists once when apt-get fails: a fresh machine often has none),
 * throws a SetupError naming the command otherwise. Answers the packages it
 * installed.
 */
export function ensureDebianPackages(packages, purpose, system = hostSystem) {
  const states = packageStates(packages, system);
  const plan = installPlan({
    packages,
    states: states ?? {},
    purpose,
    hasDpkg: states !== undefined,
    hasAptGet: system.which('apt-get') !== undefined,
    isRoot: system.isRoot(),
    hasSudo: system.which('sudo') !== undefined,
  });
  if (plan.kind === 'ready') return [];
  if (plan.kind === 'not-debian') {
    system.log('packages', plan.message);
    return [];
  }
  if (plan.kind === 'explain') throw new SetupError(plan.message);

  system.log('packages', `installing ${plan.missing.join(' ')} for ${purpose}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const [command, args] of plan.steps) {
    if (system.run(command, args, { env }) === 0) continue;
    if (command === 'apt-get') {
      system.log('packages', 'apt-get install failed; updating the package lists and trying once more');
      if (system.run('apt-get', ['update'], { env }) === 0 && system.run(command, args, { env }) === 0)
        continue;
    }
    throw new SetupError(
      `${purpose} needs these Debian packages: ${plan.missing.join(' ')}\n` +
        `  "${command} ${args.join(' ')}" failed (see its output above); fix that, then run: ${plan.command}`,
    );
  }
  const after = packageStates(plan.missing, system) ?? {};
  const still = plan.missing.filter((name) => after[name] !== 'present');
  if (still.length > 0) {
    throw new SetupError(
      `apt-get reported success, but dpkg does not list ${still.join(' ')} as installed; run: ${plan.command}`,
    );
  }
  return plan.missing;
}
