import { mount } from '../shared/mount';
import { AdminPage } from './admin-page';

mount(() => <AdminPage />);
