import { mount } from '../shared/mount';
import { ProjectPage } from './project-page';

mount((context) => <ProjectPage context={context} />);
