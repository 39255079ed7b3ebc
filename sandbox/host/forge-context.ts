/**
 * What the shell needs from the Forge side, and the context object a frame reads
 * with `view.getContext()`. The shape follows what Jira hands Custom UI: the
 * account, the site, the module and an `extension` describing where it is shown.
 */
import type { ColorMode } from './session';

export interface FrameCall {
  accountId: string;
  moduleKey: string;
  localId: string;
  extension: Record<string, unknown>;
}

/** The Forge runtime as the shell uses it (start.ts adapts LocalForge to this). */
export interface HostForge {
  /** A bridge `invoke` from a frame: resolver function `functionKey`, method `method`. */
  callResolver(functionKey: string, method: string, payload: unknown, call: FrameCall): Promise<unknown>;
  /** The `dynamicProperties` function of a module (the issue context badge). */
  dynamicProperties(functionKey: string, call: FrameCall): Promise<unknown>;
}

export interface SiteInfo {
  cloudId: string;
  siteUrl: string;
  environmentId: string;
  environmentType: string;
}

export function forgeContext(site: SiteInfo, call: FrameCall, colorMode: ColorMode): Record<string, unknown> {
  return {
    accountId: call.accountId,
    accountType: 'licensed',
    cloudId: site.cloudId,
    siteUrl: site.siteUrl,
    workspaceId: site.cloudId,
    environmentId: site.environmentId,
    environmentType: site.environmentType,
    localId: call.localId,
    moduleKey: call.moduleKey,
    locale: 'en-US',
    timezone: 'UTC',
    license: null,
    theme: { colorMode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' },
    extension: call.extension,
  };
}
