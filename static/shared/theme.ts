/**
 * Light/dark theming. In Jira, `view.theme.enable()` asks the host to keep the
 * iframe's colour mode in step with the user's. We also load the token CSS
 * ourselves with `setGlobalTheme`, so the pages look right in any host that only
 * reports the colour mode in the context (the local sandbox does exactly that).
 */
import '@atlaskit/css-reset';
import { setBooleanFeatureFlagResolver } from '@atlaskit/platform-feature-flags';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { view } from '@forge/bridge';

export async function setupTheme(colorMode: 'light' | 'dark'): Promise<void> {
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
    const hostMode = document.documentElement.getAttribute('data-color-mode');
    const mode = hostMode === 'dark' || hostMode === 'light' ? hostMode : colorMode;
    await setGlobalTheme({ colorMode: mode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' });
  } catch (err) {
    // Fallback values in styles.css keep the page readable without token CSS.
    console.warn('[dedupe] could not load theme tokens', err);
  }
}
