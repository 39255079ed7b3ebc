import { mount } from '../shared/mount';
import { IssuePanel } from './issue-panel';

// The panel sits inside Jira's issue view: let the host's surface show through.
document.body.classList.add('dd-transparent');
mount((context) => <IssuePanel context={context} />);
