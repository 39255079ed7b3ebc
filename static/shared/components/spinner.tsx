/** A small turning mark for work under way, named for screen readers by `label`. */
export function Spinner({ label = 'Loading', small = false }: { label?: string; small?: boolean }) {
  return (
    <span
      className="dd-spinner"
      role="status"
      aria-label={label}
      style={small ? { width: 12, height: 12 } : undefined}
    />
  );
}
