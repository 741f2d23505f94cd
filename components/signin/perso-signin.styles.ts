import { authStyles } from '../auth/auth.styles.js';
import { controls } from '../base/controls.styles.js';
import { tokens } from '../base/tokens.styles.js';

export const styles = [tokens, controls, authStyles];
