/**
 * What `dpkg-query -W -f='${db:Status-Status}' <package>` answers in each
 * state, recorded with dpkg 1.21.22 (Debian 12) in a throw-away admin
 * directory (`dpkg --root=… --force-not-root`): packages built for the
 * purpose, installed, removed, purged, and with a failing preinst, postinst
 * or postrm. The answer carries no newline.
 */
export const DPKG_ANSWERS = {
  installed: { status: 0, stdout: 'installed', stderr: '' },
  /** `${Status}` reads "unknown ok not-installed" or "install ok not-installed" here: it ends in "installed". */
  notInstalled: { status: 0, stdout: 'not-installed', stderr: '' },
  /** Removed, not purged: the configuration files are left. */
  configFiles: { status: 0, stdout: 'config-files', stderr: '' },
  /** A removal whose postrm failed. */
  halfInstalled: { status: 0, stdout: 'half-installed', stderr: '' },
  /** `dpkg --unpack` without `--configure`. */
  unpacked: { status: 0, stdout: 'unpacked', stderr: '' },
  /** An installation whose postinst failed. */
  halfConfigured: { status: 0, stdout: 'half-configured', stderr: '' },
  /** Never installed, or purged. */
  noPackagesFound: (name: string) => ({
    status: 1,
    stdout: '',
    stderr: `dpkg-query: no packages found matching ${name}\n`,
  }),
} as const;

export type DpkgAnswer = { status: number | null; stdout: string; stderr: string };

/**
 * A machine for the set-up's decisions: dpkg answers as recorded above (or
 * no dpkg at all), root or not, what is on PATH, and commands that succeed or
 * fail as told. `apt-get install` makes dpkg answer "installed" for its
 * packages and puts their commands on PATH, as on Debian. Every command run is
 * recorded in `ran`, every log line in `logged`.
 */
export function recordedMachine(options: {
  dpkg?: Record<string, DpkgAnswer>;
  root?: boolean;
  onPath?: string[];
  files?: string[];
  /** Exit statuses of the commands run, in order, by command line prefix; 0 otherwise. */
  failures?: Array<{ command: string; status: number }>;
}) {
  const dpkg = options.dpkg ? { ...options.dpkg } : undefined;
  const onPath = new Set([...(options.onPath ?? []), ...(dpkg ? ['dpkg-query', 'apt-get', 'dpkg'] : [])]);
  const files = new Set(options.files ?? []);
  const failures = [...(options.failures ?? [])];
  const ran: string[] = [];
  const logged: string[] = [];
  return {
    ran,
    logged,
    onPath,
    isRoot: () => options.root ?? true,
    which: (command: string) => (onPath.has(command) ? `/usr/bin/${command}` : undefined),
    exists: (file: string) => files.has(file),
    query(command: string, args: string[]): DpkgAnswer {
      const line = [command, ...args].join(' ');
      if (command === 'dpkg-query' && dpkg) {
        const name = args.at(-1)!;
        return dpkg[name] ?? DPKG_ANSWERS.noPackagesFound(name);
      }
      ran.push(line);
      return { status: 0, stdout: '', stderr: '' };
    },
    run(command: string, args: string[]): number {
      const line = [command, ...args].join(' ');
      ran.push(line);
      const failure = failures.findIndex((entry) => line.startsWith(entry.command));
      if (failure >= 0) return failures.splice(failure, 1)[0]!.status;
      if (command === 'apt-get' && args[0] === 'install' && dpkg) {
        for (const name of args.slice(1).filter((arg) => !arg.startsWith('-'))) {
          dpkg[name] = DPKG_ANSWERS.installed;
          onPath.add(name);
        }
      }
      return 0;
    },
    log: (_step: string, message: string) => void logged.push(message),
  };
}
