import { useRef, type KeyboardEvent } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
  count?: number | null;
}

/**
 * WAI-ARIA tabs: one tab stop, arrow keys move between tabs and select them.
 * The caller renders the panel with `tabPanelProps(id, key)`.
 */
export function Tabs<K extends string>({
  id,
  items,
  selected,
  onSelect,
  label,
}: {
  id: string;
  items: Array<TabItem<K>>;
  selected: K;
  onSelect: (key: K) => void;
  label: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % items.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const item = items[next];
    if (!item) return;
    onSelect(item.key);
    refs.current[next]?.focus();
  };
  return (
    <div className="dd-tabs" role="tablist" aria-label={label}>
      {items.map((item, i) => {
        const isSelected = item.key === selected;
        return (
          <button
            key={item.key}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${item.key}`}
            aria-selected={isSelected}
            aria-controls={`${id}-panel-${item.key}`}
            tabIndex={isSelected ? 0 : -1}
            className="dd-tab"
            onClick={() => onSelect(item.key)}
            onKeyDown={(e) => onKeyDown(e, i)}
            data-testid={`tab-${item.key}`}
          >
            {item.label}
            {item.count !== undefined && item.count !== null ? (
              <span className="dd-count" data-testid={`tab-count-${item.key}`}>
                {item.count.toLocaleString('en')}
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}

/**
 * `startsFocusable`: the panel's content begins with a control (a tablist, a search box), which
 * Tab reaches next anyway: the panel is then no tab stop of its own, an empty stop fewer.
 */
export function tabPanelProps(id: string, key: string, startsFocusable = false) {
  return {
    role: 'tabpanel' as const,
    id: `${id}-panel-${key}`,
    'aria-labelledby': `${id}-tab-${key}`,
    ...(startsFocusable ? {} : { tabIndex: 0 }),
  };
}
