/** One file that cloud-init writes before `runcmd` runs. */
export interface NodeFile {
  /** Absolute path on the node. */
  readonly path: string;
  readonly content: string;
  /** Octal mode as cloud-init takes it, e.g. `'0755'`. */
  readonly permissions: string;
}

/** An executable script (or sourced library) under the scripts directory. */
export function executable(path: string, content: string): NodeFile {
  return { path, content, permissions: '0755' };
}

/** A configuration file or unit that holds nothing secret. */
export function plainFile(path: string, content: string): NodeFile {
  return { path, content, permissions: '0644' };
}

/** A systemd unit from its sections, in order. */
export function systemdUnit(sections: Record<string, readonly string[]>): string {
  return `${Object.entries(sections)
    .map(([name, lines]) => [`[${name}]`, ...lines].join('\n'))
    .join('\n\n')}\n`;
}
