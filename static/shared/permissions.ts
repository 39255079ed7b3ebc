/** Why a link action is disabled: one sentence for every page that offers one. */
export const NO_LINK_REASON = 'You need the Link Issues permission in this project to link issues';
