/**
 * Boots a React surface: reads the Forge context, applies the theme, renders.
 * Rendering does not wait for the token CSS (fallbacks cover the first paint).
 */
import { Component, StrictMode, type ErrorInfo, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadContext, type AppContext } from './context';
import { setSiteUrl } from './host';
import { followHostTheme, setupTheme } from './theme';
import './styles/base.css';
import './styles/controls.css';
import './styles/data.css';

interface BoundaryState {
  error: Error | null;
}

/** Last line of defence: a render bug shows a message instead of a blank iframe. */
class ErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('[dedupe] render failed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <div className="dd-banner dd-banner--error" role="alert">
          <strong>Something went wrong while showing this page.</strong> Reload the page to try again.
        </div>
      );
    }
    return this.props.children;
  }
}

export function mount(render: (context: AppContext) => ReactNode): void {
  const el = document.getElementById('root');
  if (!el) throw new Error('index.html needs a #root element');
  const root = createRoot(el);
  // From the first theme on, the page follows the host's switches of it (for the page's lifetime).
  let following: Promise<unknown> | null = null;
  // Rendered again with the same components when a late context arrives: their state stays.
  const show = (context: AppContext) => {
    const theme = setupTheme(context.colorMode);
    following ??= theme.then(() => followHostTheme());
    setSiteUrl(context.siteUrl);
    root.render(
      <StrictMode>
        <ErrorBoundary>{render(context)}</ErrorBoundary>
      </StrictMode>,
    );
  };
  void loadContext(show).then(show);
}
