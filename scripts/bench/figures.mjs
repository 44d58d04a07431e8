// The bench's results: figures with their targets, printed as `name: value
// (target)` lines, a closing table, or JSON. A target is information for the
// reader; missing it never fails the bench.

/** A measured figure. `target` (optional) is `{ max, text }` in the figure's own unit. */
export function figure({ key, name, value, unit, target }) {
  return {
    key,
    name,
    value,
    unit,
    display: formatValue(value, unit),
    target,
    met: target ? value < target.max : undefined,
  };
}

/** A figure that could not be measured (a feature is missing), with the reason. */
export function skipped(key, name, reason) {
  return { key, name, skipped: reason };
}

/** A figure whose command failed: the bench exits non-zero. */
export function failed(key, name, reason) {
  return { key, name, failed: reason };
}

/**
 * The figures of a whole-process measurement: wall time (with its target), CPU
 * time (user + system of every Node process it ran: what the wall time would
 * be on an idle machine with one core per process, roughly), and, when
 * `rss` is set, the peak RSS of its largest process.
 */
export function processFigures({ key, name, measured, runs, wallTarget, rss }) {
  const of = runs > 1 ? ` (median of ${runs})` : '';
  const figures = [
    figure({
      key: `${key}.wall`,
      name: `${name}, wall time${of}`,
      value: milliseconds(measured.ms),
      unit: 's',
      target: wallTarget,
    }),
    figure({
      key: `${key}.cpu`,
      name: `${name}, CPU time, user + system${of}`,
      value: milliseconds(measured.cpuMs),
      unit: 's',
    }),
  ];
  if (rss) {
    const label = measured.processes > 1 ? 'peak RSS of the largest process' : 'peak RSS';
    figures.push(
      figure({
        key: `${key}.rss`,
        name: `${name}, ${label}`,
        value: megabytes(measured.rssKiB),
        unit: 'MB',
        target: rss.target,
      }),
    );
  }
  return figures;
}

export function milliseconds(ms) {
  return ms / 1000;
}

/** KiB (as getrusage reports) to MB (10^6 bytes). */
export function megabytes(kib) {
  return (kib * 1024) / 1e6;
}

/** One line: `name: value (target)`. */
export function formatLine(result) {
  if (result.skipped) return `${result.name}: skipped (${result.skipped})`;
  if (result.failed) return `${result.name}: FAILED (${firstLine(result.failed)})`;
  return `${result.name}: ${result.display} (${result.target ? `target ${result.target.text}` : 'no target'})`;
}

/** The closing table (Markdown, so it can go into the README as is). */
export function formatTable(results) {
  const rows = results.map((r) => [
    r.name,
    r.skipped ? 'skipped' : r.failed ? 'FAILED' : r.display,
    r.target?.text ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'no',
  ]);
  const header = ['Figure', 'Value', 'Target', 'Within target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatValue(value, unit) {
  if (typeof value === 'string') return value;
  const digits = { s: 2, µs: 1, MB: 0, '×': 2, ms: 1 }[unit] ?? 0;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function firstLine(text) {
  return String(text).split('\n')[0];
}
