/** The formats "Copy auto-refresh setup" offers (auto-refresh-setup.ts): plain data, shared with the window. */
export const AUTO_REFRESH_FORMATS = ['bash', 'zsh', 'fish', 'powershell', 'cmd', 'dotenv', 'aws-config'] as const;
export type AutoRefreshFormat = (typeof AUTO_REFRESH_FORMATS)[number];
