/** Why a link action is disabled: one sentence for every page that offers one. */
export const NO_LINK_REASON = 'You need the Link Issues permission in this project to link issues';

/** Why reopening a confirmed pair is disabled: it overturns a Duplicate link only Link Issues could make. */
export const NO_UNCONFIRM_REASON = 'You need the Link Issues permission in this project to reopen a confirmed duplicate';

/** Why dismissing or reopening is disabled, when the admin's settings ask for Link Issues for it. */
export const NO_DISMISS_REASON = 'A Jira admin lets only people with the Link Issues permission dismiss or reopen suggestions';
