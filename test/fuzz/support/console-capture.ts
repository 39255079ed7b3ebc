/**
 * Captures console output (the app logs through console.*) so tests can read it and jest
 * does not print thousands of lines; `restore()` puts the real console back.
 */
export interface ConsoleCapture {
  lines: string[];
  restore(): void;
}

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

export function captureConsole(): ConsoleCapture {
  const lines: string[] = [];
  const originals = METHODS.map((m) => [m, console[m]] as const);
  for (const m of METHODS) {
    console[m] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.name}: ${a.message}\n${a.stack ?? ''}` : safeJson(a))).join(' '));
    };
  }
  return {
    lines,
    restore() {
      for (const [m, fn] of originals) console[m] = fn;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
