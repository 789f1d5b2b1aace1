import { render } from 'preact';
import '../shared/base.css';
import './mfa-popup.css';
import { MfaPopup } from './mfa-popup';

const root = document.getElementById('app');
if (root) render(<MfaPopup />, root);
