/**
 * JSON text of a value parsed from JSON, as `JSON.stringify` writes it, without recursion.
 *
 * `JSON.stringify` recurses once per level and runs out of stack at about 2,500 levels of an
 * ADF description (a node and its `content` array are two). Jira serves deeper documents
 * (lists nested in lists, pasted HTML), and `JSON.parse` reads them, so an issue with one
 * used to throw `RangeError` where its text hash was taken: every run that read the issue
 * failed in its fetch step, and every event of the issue was dropped. This walks with a
 * stack of its own, so depth costs memory, not call frames. For any JSON value the text is
 * the same as `JSON.stringify`'s (so stored hashes stay valid); a cycle throws, as there.
 */

type Frame =
  | { kind: 'array'; value: readonly unknown[]; next: number }
  | { kind: 'object'; value: Record<string, unknown>; keys: string[]; next: number; wrote: boolean };

function isWritable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

export function jsonText(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();

  // Writes a value; containers are opened and left on the stack for the loop below.
  const write = (value: unknown, inArray: boolean): void => {
    if (value === null || !isWritable(value)) {
      out.push(value === null || inArray ? 'null' : '');
      return;
    }
    if (typeof value !== 'object') {
      out.push(String(JSON.stringify(value)));
      return;
    }
    if (open.has(value)) throw new TypeError('Converting circular structure to JSON');
    open.add(value);
    if (Array.isArray(value)) {
      out.push('[');
      stack.push({ kind: 'array', value, next: 0 });
    } else {
      out.push('{');
      stack.push({ kind: 'object', value: value as Record<string, unknown>, keys: Object.keys(value), next: 0, wrote: false });
    }
  };

  write(root, false);
  for (let frame = stack[stack.length - 1]; frame !== undefined; frame = stack[stack.length - 1]) {
    if (frame.kind === 'array') {
      if (frame.next < frame.value.length) {
        if (frame.next > 0) out.push(',');
        write(frame.value[frame.next++], true);
        continue;
      }
      out.push(']');
    } else {
      let key: string | undefined;
      while (frame.next < frame.keys.length && key === undefined) {
        const k = frame.keys[frame.next++] as string;
        if (isWritable(frame.value[k])) key = k;
      }
      if (key !== undefined) {
        out.push(`${frame.wrote ? ',' : ''}${JSON.stringify(key)}:`);
        frame.wrote = true;
        write(frame.value[key], false);
        continue;
      }
      out.push('}');
    }
    open.delete(frame.value);
    stack.pop();
  }
  return out.join('');
}
