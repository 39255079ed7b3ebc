import type { MouseEvent } from 'react';
import { issueUrl, openIssue } from '../host';
import { Button } from './button';

/**
 * An issue key that is a real link to the issue: copy link, middle-click and Ctrl/Cmd-click
 * do what a browser does with links. A plain click opens the issue through the host
 * (`router.open`, a new tab), as every key in the app always has. Without a site address in
 * the page's context it falls back to a link-styled button that does only that.
 */
export function IssueKeyLink({ issueKey, id, testId }: { issueKey: string; id?: string; testId?: string }) {
  const href = issueUrl(issueKey);
  const label = `Open ${issueKey} in a new tab`;
  if (href === null) {
    return (
      <Button appearance="link" onClick={() => openIssue(issueKey)} aria-label={label} {...(id !== undefined ? { id } : {})} {...(testId !== undefined ? { 'data-testid': testId } : {})}>
        {issueKey}
      </Button>
    );
  }
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    // Modified clicks and other buttons are the browser's (new tab, new window, download).
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    openIssue(issueKey);
  };
  return (
    <a className="dd-btn dd-btn--link" href={href} target="_blank" rel="noopener noreferrer" onClick={onClick} aria-label={label} id={id} data-testid={testId}>
      {issueKey}
    </a>
  );
}
