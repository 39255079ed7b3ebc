import { mount } from '../shared/mount';
import { AdminPage } from './admin-page';

mount((context) => <AdminPage context={context} />);
