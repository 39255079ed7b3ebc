/**
 * Light/dark theming. In Jira, `view.theme.enable()` asks the host to keep the
 * iframe's colour mode in step with the user's: it sets `data-color-mode` and
 * `data-theme` on <html>, at first and again whenever the user switches Jira's theme
 * while the page is open. We also load the token CSS ourselves with `setGlobalTheme`,
 * so the pages look right in any host that only reports the colour mode in the
 * context (the local sandbox does exactly that), and then the CSS of a mode the host
 * switches to later (`followHostTheme`): at first only the starting mode's is loaded.
 */
import '@atlaskit/css-reset';
import { setBooleanFeatureFlagResolver } from '@atlaskit/platform-feature-flags';
import { getThemeStyles } from '@atlaskit/tokens/get-theme-styles';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { view } from '@forge/bridge';

export type ColorMode = 'light' | 'dark';

const THEME_ATTRIBUTES = ['data-color-mode', 'data-theme'];

/** The mode the host has set on <html>, if any. */
export function hostColorMode(): ColorMode | null {
  const mode = document.documentElement.getAttribute('data-color-mode');
  return mode === 'dark' || mode === 'light' ? mode : null;
}

function applyTokens(mode: ColorMode): Promise<unknown> {
  return setGlobalTheme({ colorMode: mode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' });
}

export async function setupTheme(colorMode: ColorMode): Promise<void> {
  // Atlaskit's theme code asks platform feature flags (such as the increased-contrast themes).
  // With no resolver set, each ask goes to Atlassian's feature-gate client, which an app frame
  // never initialises: the answer is false, with a console warning in every frame ("Client
  // must be initialized before using this method"). The package's own hook for a product's
  // flags answers the same false, quietly.
  setBooleanFeatureFlagResolver(() => false);
  try {
    await view.theme.enable();
  } catch (err) {
    // Older hosts do not support theming; the token CSS below still applies.
    console.warn('[dedupe] theming not enabled by the host', err);
  }
  try {
    // The host may already have set a mode on <html>; it knows best.
    await applyTokens(hostColorMode() ?? colorMode);
  } catch (err) {
    // Fallback values in styles.css keep the page readable without token CSS.
    console.warn('[dedupe] could not load theme tokens', err);
  }
}

/**
 * Calls `onChange` each time the theme attributes on <html> are set (by the host, or by
 * `setGlobalTheme` once a mode's token CSS is in). No polling. Returns the disconnect.
 */
export function observeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.documentElement, { attributes: true, attributeFilter: THEME_ATTRIBUTES });
  return () => observer.disconnect();
}

/**
 * Appends the token CSS of `mode` (its colour theme, with spacing and typography) that the
 * page does not have yet. Says whether it added any.
 */
async function loadTokenCss(mode: ColorMode): Promise<boolean> {
  if (document.head.querySelector(`style[data-theme="${mode}"]`)) return false;
  const styles = await getThemeStyles({ colorMode: mode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' });
  let added = false;
  for (const style of styles) {
    if (document.head.querySelector(`style[data-theme="${style.id}"]`)) continue;
    const el = document.createElement('style');
    el.textContent = style.css;
    el.dataset['theme'] = style.id;
    document.head.appendChild(el);
    added = true;
  }
  return added;
}

/**
 * When the host switches the colour mode while the page is open, loads that mode's token
 * CSS (the page had only its starting mode's), so the page and its charts take the new
 * colours rather than the light fallbacks, or none at all. The attributes stay the host's:
 * written back unchanged once the CSS is in, so what observes them (`observeTheme`) reads
 * the new tokens again. Returns the disconnect.
 */
export function followHostTheme(): () => void {
  return observeTheme(() => {
    const mode = hostColorMode();
    if (mode === null) return;
    loadTokenCss(mode)
      .then((added) => {
        if (!added) return;
        const root = document.documentElement;
        root.setAttribute('data-theme', root.getAttribute('data-theme') ?? '');
      })
      .catch((err: unknown) => console.warn('[dedupe] could not load theme tokens', err));
  });
}
