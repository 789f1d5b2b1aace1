import { render } from 'preact';
import '../shared/base.css';
import './quick-switcher.css';
import { QuickSwitcher } from './quick-switcher';

const root = document.getElementById('app');
if (root) render(<QuickSwitcher />, root);
