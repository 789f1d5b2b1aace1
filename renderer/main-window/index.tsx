import { render } from 'preact';
import '../shared/base.css';
import './main-window.css';
import './accounts-table.css';
import { App } from './app';

const root = document.getElementById('app');
if (root) render(<App />, root);
